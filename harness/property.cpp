#include "harness/property.h"

namespace convcheck {

std::vector<std::unique_ptr<CaseProperty>>& PropertyRegistry() {
  static std::vector<std::unique_ptr<CaseProperty>> registry;
  return registry;
}

}  // namespace convcheck
