// The k/s/p/d solver: every (kernel, stride, padding, dilation[, output_padding]) within bounds
// that maps one spatial size to another, simplest first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace convcheck {

struct SolveBounds {
  bool transposed = false;     // conv_transpose instead of conv
  int64_t max_kernel = 16;
  int64_t max_stride = 0;      // 0: every stride that can matter (in + 2·max_padding, or out + 2·max_padding)
  bool allow_padding = false;
  int64_t max_padding = 0;     // 0 with allow_padding: (max_kernel − 1)·max_dilation
  bool allow_dilation = false;
  int64_t max_dilation = 4;    // used only with allow_dilation
};

struct Solution {
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t padding = 0;
  int64_t dilation = 1;
  int64_t output_padding = 0;  // transposed only
  int non_default = 0;         // how many of stride, padding, dilation, output_padding differ from the default
  int64_t unused = 0;          // input elements a conv never reads / output elements a convT never writes
  bool operator==(const Solution& o) const;
};

struct SolveResult {
  std::vector<Solution> solutions;  // simplest first
  SolveBounds bounds;               // with the automatic limits filled in
  std::string error;                // non-empty for bad input (sizes < 1, bounds < 1)
};

// Every solution within the bounds, obvious first: those that use every element (no skipped
// input, no unwritten output), then a stride nearest the scale factor (in/out for conv, out/in
// transposed, rounded), then kernel == stride, then fewest non-default parameters, then smallest
// kernel, stride, dilation, padding, output_padding. Strides and paddings are derived from the closed form
// rather than enumerated, so it stays fast for large sizes.
// Examples: 768 → 128 (conv): kernel 6, stride 6 first; 12 → 24 (transposed): kernel 2, stride 2
// before kernel 13, stride 1.
SolveResult Solve(int64_t in, int64_t out, const SolveBounds& bounds);

// The bounds Solve uses after filling the automatic limits.
SolveBounds EffectiveBounds(int64_t in, int64_t out, const SolveBounds& bounds);

// Elements unused by a solution (see Solution::unused); 0 for sizes above 2^16 (not counted).
int64_t UnusedElements(int64_t in, int64_t out, const Solution& s, bool transposed);

// "kernel 6, stride 6" (only the non-default parameters besides the kernel).
std::string DescribeSolution(const Solution& s, bool transposed);

}  // namespace convcheck
