// `convcheck convert --pool max|avg ...`: another framework's pooling convention as an exact
// PyTorch recipe (oracles/pool_conventions.h), as text or --json.
#pragma once

#include <vector>

#include "cli/json_flag.h"
#include "oracles/pool_conventions.h"

namespace convcheck::cli {

// Prints the recipe (or writes its JSON); exit 0 with a recipe, 1 when the other framework
// rejects the pool or no recipe exists, 2 when the JSON file cannot be written.
int RunPoolConvert(Convention cv, const ForeignPool& pool, const std::vector<ForeignDim>& dims, const JsonFlag& json);

}  // namespace convcheck::cli
