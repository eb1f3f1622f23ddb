#include "backends/backend.h"

namespace convcheck {

std::vector<BackendOutcome> RunEach(Backend& backend, const std::vector<ConvCase>& cases) {
  std::vector<BackendOutcome> out;
  out.reserve(cases.size());
  for (const ConvCase& c : cases) out.push_back(backend.Run(c));
  return out;
}

std::vector<BackendOutcome> RunPaddedEach(Backend& backend, const std::vector<PaddedCall>& calls) {
  std::vector<BackendOutcome> out;
  out.reserve(calls.size());
  for (const PaddedCall& call : calls) out.push_back(backend.RunPadded(call.c, call.pads));
  return out;
}

}  // namespace convcheck
