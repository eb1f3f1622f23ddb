#include "backends/capable_backend.h"

namespace convcheck {

BackendOutcome CapableBackend::Run(const ConvCase& c) {
  if (auto why = Unsupported(caps_, inner_->Name(), c)) return BackendOutcome::Skipped(*why);
  return inner_->Run(c);
}

namespace {

// Skips the items `caps` cannot express and runs the rest in one call of `run`; outcome i
// belongs to item i either way.
template <typename Item, typename GetCase, typename RunAll>
std::vector<BackendOutcome> RunCapable(const BackendCapabilities& caps, const std::string& name,
                                       const std::vector<Item>& items, GetCase get_case, RunAll run) {
  std::vector<BackendOutcome> out(items.size());
  std::vector<Item> runnable;
  std::vector<size_t> where;
  for (size_t i = 0; i < items.size(); ++i) {
    if (auto why = Unsupported(caps, name, get_case(items[i]))) {
      out[i] = BackendOutcome::Skipped(*why);
    } else {
      runnable.push_back(items[i]);
      where.push_back(i);
    }
  }
  if (runnable.empty()) return out;
  std::vector<BackendOutcome> ran = run(runnable);
  for (size_t j = 0; j < where.size(); ++j) {
    out[where[j]] = j < ran.size() ? std::move(ran[j])
                                   : BackendOutcome::Crashed("backend answered " + std::to_string(ran.size()) + " of " +
                                                             std::to_string(runnable.size()) + " cases");
  }
  return out;
}

}  // namespace

std::vector<BackendOutcome> CapableBackend::RunBatch(const std::vector<ConvCase>& cases) {
  return RunCapable(caps_, inner_->Name(), cases, [](const ConvCase& c) -> const ConvCase& { return c; },
                    [this](const std::vector<ConvCase>& run) { return inner_->RunBatch(run); });
}

std::vector<BackendOutcome> CapableBackend::RunPaddedBatch(const std::vector<PaddedCall>& calls) {
  return RunCapable(caps_, inner_->Name(), calls, [](const PaddedCall& call) -> const ConvCase& { return call.c; },
                    [this](const std::vector<PaddedCall>& run) { return inner_->RunPaddedBatch(run); });
}

BackendOutcome CapableBackend::RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) {
  if (auto why = Unsupported(caps_, inner_->Name(), c)) return BackendOutcome::Skipped(*why);
  return inner_->RunPadded(c, pads);
}

}  // namespace convcheck
