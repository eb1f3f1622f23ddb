// The shape rules of the decoder's up-samplers: nn.MaxUnpool{1,2,3}d (F.max_unpoolNd) and
// nn.Upsample / F.interpolate with mode nearest, linear, bilinear or trilinear. Named rules, per
// dim, exact arithmetic, never throws — the contract of oracles/output_shape.h, which dispatches
// here (through oracles/layer_shape.h) for these ops. Sources, per rule, in upsample_shape.cpp
// and docs/rules.md; LibTorch 1.13.1.
#pragma once

#include <optional>

#include "oracles/output_shape.h"

namespace convcheck {

// The output shape of a max_unpool or upsample case, or the first rule it breaks, in PyTorch's
// order. max_unpool assumes a valid indices tensor of the input's shape (every index inside the
// output plane), so the shape is decided by the sizes alone.
// Examples: max_unpool2d [1,3,12,12] k2 -> [1,3,24,24];
//           upsample2d [1,3,12,12] scale_factor 2 -> [1,3,24,24].
ShapeResult UpsamplerOutputShape(const ConvCase& c);

// max_unpool's default output size in one dim, torch/nn/functional.py _unpool_output_size:
// (y − 1)·s + k − 2p, exact.
__int128 UnpoolDefaultSize(int64_t y, int64_t k, int64_t s, int64_t p);

// F.interpolate's output size for a scale factor in one dim, as LibTorch 1.13.1 computes it
// (aten/src/ATen/native/UpSample.cpp compute_output_size): the double product
// static_cast<double>(x) * scale, truncated toward zero into int64. The product is a double, so
// 100 * 0.29 = 28.999999999999996 gives 28, not 29. nullopt when the product lies outside
// int64 (a C++ conversion with no defined result; LibTorch on x86 gets INT64_MIN and refuses it).
std::optional<int64_t> UpsampleScaledSize(int64_t x, double scale);

// The spatial rank a linear-family mode needs (linear 1, bilinear 2, trilinear 3); 0 for nearest.
int UpsampleModeRank(UpsampleMode m);

}  // namespace convcheck
