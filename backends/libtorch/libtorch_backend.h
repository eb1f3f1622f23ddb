// The LibTorch backend. Its .cpp and libtorch_numeric.cpp are the translation units of the
// LibTorch plugin (libconvcheck_libtorch.so) that include torch (sanity/ has its own).
#pragma once

#include <memory>

#include "backends/backend.h"

namespace convcheck {

// Uses at::conv{1,2,3}d / at::conv_transpose{1,2,3}d with zero-filled tensors; non-zero
// padding modes go through torch::nn::functional::pad first, exactly as nn.Conv*d does.
// `threads` > 0 sets at::set_num_threads (the harness runs one thread per worker).
std::unique_ptr<Backend> MakeLibTorchBackend(int threads = 1);

}  // namespace convcheck
