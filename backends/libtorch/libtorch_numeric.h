// The LibTorch numeric backend (values and autograd gradients); the plugin hands it out.
#pragma once

#include <memory>

#include "backends/numeric_backend.h"

namespace convcheck {

// One intra-op thread, backtraces off (backends/libtorch/no_backtraces.h).
std::unique_ptr<NumericBackend> MakeLibTorchNumericBackend();

}  // namespace convcheck
