#include "backends/backend.h"

namespace convcheck {

std::vector<BackendOutcome> RunEach(Backend& backend, const std::vector<ConvCase>& cases) {
  std::vector<BackendOutcome> out;
  out.reserve(cases.size());
  for (const ConvCase& c : cases) out.push_back(backend.Run(c));
  return out;
}

}  // namespace convcheck
