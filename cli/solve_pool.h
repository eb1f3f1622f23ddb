// `convcheck solve --pool --in 61 --out 31`: the pools (kernel, stride, padding, ceil_mode, or
// TF SAME) that map one size to another (oracles/pool_solver.h), most obvious first.
#pragma once

#include <cstdint>

namespace convcheck::cli {

// Prints the solutions; exit 0 when one exists, 1 when none.
int RunPoolSolve(int64_t in, int64_t out, int64_t max_kernel, int64_t max_stride, int64_t limit);

}  // namespace convcheck::cli
