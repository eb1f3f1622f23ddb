// The pooling solver: every max/avg pool (kernel, stride, padding, ceil_mode) within bounds
// that maps one spatial size to another, PyTorch's rules (padding <= kernel/2, ceil mode's
// last-window rule) decided by the oracle itself; plus TF/Keras SAME pooling where it fits.
// Example: 61 -> 31: kernel 2 with ceil_mode (stride defaults to the kernel) comes first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace convcheck {

struct PoolSolution {
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t padding = 0;
  bool ceil_mode = false;
  bool tf_same = false;  // TF/Keras padding="SAME" (no PyTorch pool argument: pad first)
};

// Every solution with kernel <= max_kernel, stride <= max_stride, most obvious first: stride ==
// kernel (PyTorch's default), then fewest non-defaults (padding 0, floor mode), then smallest
// kernel. TF SAME solutions follow the PyTorch ones. Empty for sizes < 1.
std::vector<PoolSolution> SolvePool(int64_t in, int64_t out, int64_t max_kernel = 8, int64_t max_stride = 8);

// "nn.MaxPool1d(kernel_size=2, ceil_mode=True)" for a PyTorch solution (stride, padding and
// ceil_mode only where not the default); meaningless for a TF SAME one.
std::string PoolSolutionModule(const PoolSolution& s);

// "nn.MaxPool1d(kernel_size=2, ceil_mode=True)  (or AvgPool1d: same sizes)" / "TF SAME: pool_size=3, strides=2 (...)".
std::string DescribePoolSolution(const PoolSolution& s);

}  // namespace convcheck
