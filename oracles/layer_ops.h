// The non-convolution layers of a CNN a case can describe: pooling (max, avg, adaptive),
// flatten, linear and the shape-neutral layers (relu, tanh, sigmoid, dropout, batch_norm).
// Classification of ops only; their shape rules live in oracles/layer_shape.h.
#pragma once

#include "oracles/conv_case.h"

namespace convcheck {

enum class OpFamily { kConv, kMaxPool, kAvgPool, kAdaptiveAvgPool, kAdaptiveMaxPool, kFlatten,
                      kLinear, kElementwise, kBatchNorm, kMaxUnpool, kUpsample };

OpFamily FamilyOf(Op op);
bool IsConvOp(Op op);
// max_pool / avg_pool (the pools with kernel, stride and padding).
bool IsWindowPool(Op op);
bool IsAdaptivePool(Op op);
// max_unpool / upsample: the decoder's up-samplers (oracles/upsample_shape.h).
bool IsUpsampler(Op op);
// Every op with spatial dims a stack traces per dim: convolutions, pools, up-samplers.
bool HasSpatialDims(Op op);
// Spatial rank of a non-convolution op: 1..3 for pools, up-samplers and batch_norm, 0 for the
// rest.
int LayerSpatialRank(Op op);
// The op of `family` with spatial rank 1..3 (pools, up-samplers and batch_norm only).
Op MakeLayerOp(OpFamily family, int rank);
// Every op of the family, in rank order; for generators and tests.
const std::vector<Op>& PoolOps();
const std::vector<Op>& UpsamplerOps();

// The per-dim stride a window pool uses: `stride`, or `kernel` where PyTorch's stride=None
// applies (an empty stride list).
Dims PoolStride(const ConvCase& c);

}  // namespace convcheck
