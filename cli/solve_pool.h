// `convcheck solve --pool --in 61 --out 31`: the pools (kernel, stride, padding, ceil_mode, or
// TF SAME) that map one size to another (oracles/pool_solver.h), most obvious first.
#pragma once

#include <cstdint>

#include "cli/json_flag.h"

namespace convcheck::cli {

// Prints the solutions, or with --json writes them (each with its PyTorch module; a TF SAME one
// with its exact recipe from oracles/pool_conventions.h); exit 0 when one exists, 1 when none,
// 2 when the JSON file cannot be written.
int RunPoolSolve(int64_t in, int64_t out, int64_t max_kernel, int64_t max_stride, int64_t limit, const JsonFlag& json);

}  // namespace convcheck::cli
