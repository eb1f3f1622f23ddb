#include "engine/property_prefetch.h"

#include "case_io/case_binary.h"
#include "oracles/output_shape.h"

namespace convcheck {

std::string CaseKey(const ConvCase& c) {
  Writer w;
  PutCase(w, c);
  return w.bytes();
}

BackendOutcome SpeculativeBackend::Run(const ConvCase& c) {
  if (seen_.emplace(CaseKey(c), true).second) requested_.push_back(c);
  const ShapeResult predicted = OutputShape(c);
  if (predicted.ok()) return BackendOutcome::Shape(predicted.shape());
  return BackendOutcome::Rejected(predicted.violation().message);
}

std::vector<BackendOutcome> SpeculativeBackend::RunBatch(const std::vector<ConvCase>& cases) {
  return RunEach(*this, cases);
}

BackendOutcome SpeculativeBackend::RunPadded(const ConvCase& /*c*/, const std::vector<PadPair>& /*pads*/) {
  return BackendOutcome::Skipped("speculative pass: the recipe form is not prefetched");
}

void CachedBackend::Fill(const std::vector<ConvCase>& cases) {
  if (cases.empty()) return;
  std::vector<BackendOutcome> outcomes = inner_.RunBatch(cases);
  for (size_t i = 0; i < cases.size(); ++i) answers_[CaseKey(cases[i])] = std::move(outcomes[i]);
}

BackendOutcome CachedBackend::Run(const ConvCase& c) {
  const auto it = answers_.find(CaseKey(c));
  if (it != answers_.end()) {
    ++hits_;
    return it->second;
  }
  ++misses_;
  return inner_.Run(c);
}

std::vector<BackendOutcome> CachedBackend::RunBatch(const std::vector<ConvCase>& cases) {
  std::vector<BackendOutcome> out(cases.size());
  std::vector<ConvCase> missing;
  std::vector<size_t> where;
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto it = answers_.find(CaseKey(cases[i]));
    if (it != answers_.end()) {
      ++hits_;
      out[i] = it->second;
    } else {
      ++misses_;
      missing.push_back(cases[i]);
      where.push_back(i);
    }
  }
  if (!missing.empty()) {
    std::vector<BackendOutcome> got = inner_.RunBatch(missing);
    for (size_t j = 0; j < where.size(); ++j) out[where[j]] = std::move(got[j]);
  }
  return out;
}

BackendOutcome CachedBackend::RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) {
  return inner_.RunPadded(c, pads);
}

}  // namespace convcheck
