// The float64 reference of the pooling ops (max, avg, adaptive avg, adaptive max; 1d/2d/3d) and
// of their input gradients: direct loops over each output element's window, written from
// PyTorch's CPU kernels so the windows, divisors and argmax ties are PyTorch's, not a guess.
// Shares no code with any framework; standard library only; never throws.
//
// The rules, with the source read (pytorch/pytorch, the CPU kernels LibTorch 1.13.1 runs):
// - max pool (cpu/MaxPoolKernel.cpp cpu_max_pool): the window of output o in a dim starts at
//   o*s - pad and reads start + j*dilation, j < k, skipping positions outside the input (the
//   padding acts as -inf). The max is taken with `val > maxval || isnan(val)` scanning the
//   window row-major (first dim outermost), so among equal values the FIRST in that order wins;
//   the gradient goes to it alone. A window with no input position at all gives -inf and no
//   gradient (PyTorch stores an out-of-window index there; see ReferencePoolInputGrad).
// - avg pool (cpu/AvgPoolKernel.cpp cpu_avg_pool, AveragePool3d.cpp avg_pool3d_out_frame): the
//   window is [o*s - pad, min(o*s - pad + k, in + pad)) — cut at the END OF THE PADDED INPUT,
//   so a ceil_mode window running past it counts only the padded part — and the sum runs over
//   its part inside [0, in). Divisor: divisor_override when given, else with count_include_pad
//   the product of the padded lengths (pool_size), else the product of the in-input lengths. A
//   window with no input element gives 0. avg_pool1d is avg_pool2d on [.., 1, L] with kernel
//   (1, k) (Pooling.cpp avg_pool1d) and takes no divisor_override, so rank 1 ignores it.
// - adaptive pools (AdaptivePooling.h start_index/end_index): output o of `out` reads
//   [floor(o*in/out), ceil((o+1)*in/out)); avg divides by the window's element count
//   (cpu/AdaptiveAvgPoolKernel.cpp), max keeps the first maximum as above
//   (cpu/AdaptiveMaxPoolKernel.cpp).
// - TF/Keras SAME pooling (padding "same", no PyTorch pool takes it): the pads of
//   TfSamePoolPadding (asymmetric, extra on the right); max ignores the pads, avg divides by
//   the count of input elements in the window (Keras averages over valid elements only).
#pragma once

#include "oracles/conv_case.h"
#include "oracles/reference_conv.h"

namespace convcheck {

// The output of pool case `c` (a max, avg or adaptive pool; batched or not) on input `x` of
// c.input's shape. Error: `c` is not a pool, is invalid for the shape oracle, or `x` has
// another shape. Example: max_pool1d, kernel 2, stride 2, padding 1, ceil_mode, on
// {1, 5, 2, 4, 3} -> {1, 5, 4} (windows [-1,0], [1,2], [3,4]).
RefResult ReferencePoolForward(const ConvCase& c, const DoubleTensor& x);

// The gradient of <pool(x), grad_out> with respect to x (c.input's shape): for avg pools each
// window's grad_out / divisor spread over its input elements; for max pools grad_out added at
// each window's first argmax. Errors as ReferencePoolForward, or grad_out not of the output
// shape.
RefResult ReferencePoolInputGrad(const ConvCase& c, const DoubleTensor& x, const DoubleTensor& grad_out);

// Whether some window of max pool case `c` (valid, with padding "same" or explicit) reads no
// input element at all — padding only, e.g. kernel 2, padding 1, dilation 2 on a length-1
// input reads positions -1 and 1. Its output is -inf; LibTorch's max pool kernels still record
// an index for it (the first position after the left padding, outside the window, in the next
// plane or past the tensor's end), and the backward pass adds the gradient there. False for
// every other op.
bool HasPaddingOnlyMaxWindow(const ConvCase& c);

// The most input elements one output element of pool case `c` reads (the window volume, at
// least 1; saturates at INT64_MAX): the accumulation length of the forward op. 1 for a case
// that is not a pool.
int64_t PoolWindowVolume(const ConvCase& c);

// The most windows of pool case `c` that read one input element (at least 1; saturates): the
// accumulation length of the input gradient. Window pools: the kernel volume; adaptive pools:
// prod(ceil(out/in) + 1). 1 for a case that is not a pool.
int64_t PoolGradientFanIn(const ConvCase& c);

}  // namespace convcheck
