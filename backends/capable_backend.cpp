#include "backends/capable_backend.h"

namespace convcheck {

BackendOutcome CapableBackend::Run(const ConvCase& c) {
  if (auto why = Unsupported(caps_, inner_->Name(), c)) return BackendOutcome::Skipped(*why);
  return inner_->Run(c);
}

std::vector<BackendOutcome> CapableBackend::RunBatch(const std::vector<ConvCase>& cases) {
  std::vector<BackendOutcome> out(cases.size());
  std::vector<ConvCase> runnable;
  std::vector<size_t> where;
  for (size_t i = 0; i < cases.size(); ++i) {
    if (auto why = Unsupported(caps_, inner_->Name(), cases[i])) {
      out[i] = BackendOutcome::Skipped(*why);
    } else {
      runnable.push_back(cases[i]);
      where.push_back(i);
    }
  }
  if (runnable.empty()) return out;
  std::vector<BackendOutcome> ran = inner_->RunBatch(runnable);
  for (size_t j = 0; j < where.size(); ++j) {
    out[where[j]] = j < ran.size() ? std::move(ran[j])
                                   : BackendOutcome::Crashed("backend answered " + std::to_string(ran.size()) + " of " +
                                                             std::to_string(runnable.size()) + " cases");
  }
  return out;
}

BackendOutcome CapableBackend::RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) {
  if (auto why = Unsupported(caps_, inner_->Name(), c)) return BackendOutcome::Skipped(*why);
  return inner_->RunPadded(c, pads);
}

}  // namespace convcheck
