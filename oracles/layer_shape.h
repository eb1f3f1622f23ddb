// The shape rules of the non-convolution layers of a CNN (oracles/layer_ops.h): max/avg pooling,
// adaptive pooling, flatten, linear and the shape-neutral layers. Named rules, per dim, exact
// (128-bit) arithmetic, never throws — the same contract as the convolution oracle
// (oracles/output_shape.h), which dispatches here for these ops. Sources, per rule, in
// layer_shape.cpp and docs/rules.md.
#pragma once

#include "oracles/output_shape.h"

namespace convcheck {

// The output shape of a non-convolution case, or the first rule it breaks, in PyTorch's order.
// Example: max_pool1d, input [1,1,5], kernel 2, stride 2, padding 1, ceil_mode -> [1,1,3].
ShapeResult LayerOutputShape(const ConvCase& c);

// Ok(shape), or Rule::kOverflow when its element count exceeds int64; the last step of every
// layer's shape rule.
ShapeResult FittingShape(Dims shape);

// One dim of a max/avg pool with pads (left, right), PyTorch's pooling_output_shape_pad_lr:
// floor((x + l + r - d(k-1) - 1 + (ceil ? s-1 : 0)) / s) + 1, minus one in ceil mode when the
// last window would start at or past x + l (it must start inside the input or the left
// padding). Caller guarantees s > 0.
__int128 PoolOutputSize(int64_t x, int64_t k, int64_t pad_left, int64_t pad_right, int64_t s,
                        int64_t d, bool ceil_mode);

// TF/Keras SAME pooling in one dim: ceil(x/s) outputs; the total padding
// max((out-1)s + d(k-1)+1 - x, 0) is split with the extra element on the right.
PadPair TfSamePoolPadding(int64_t x, int64_t k, int64_t s, int64_t d);

}  // namespace convcheck
