// `convcheck stack` for stacks that end their spatial dims (flatten, linear): a network's
// summary after the per-layer trace, and the sweep of which input sizes every layer accepts.
#pragma once

#include <string>

#include "oracles/stack.h"

namespace convcheck::cli {

// Prints the output and the features the first Linear takes; exit 0 (every layer accepted).
int PrintNetworkSummary(const Stack& s, const StackRun& run);
// Per spatial dim: the smallest size every layer before the flatten accepts (validity is
// monotone in the size) and how many sizes of LO..HI pass; exit 0 when all do, else 1.
int RunValiditySweep(const Stack& s, const std::string& file, int64_t lo, int64_t hi);

}  // namespace convcheck::cli
