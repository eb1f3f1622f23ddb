// RapidCheck generators of the non-convolution cases (oracles/layer_ops.h): max/avg/adaptive
// pooling mostly, plus flatten, linear and the shape-neutral layers. Valid cases are valid by
// construction (input sizes derived from the kernel's extent plus a drawn slack); invalid cases
// break one named rule of oracles/layer_shape.h; extreme cases put parameters at the integer
// boundaries. Each draws its op from the non-convolution ops in `opts.ops`.
#pragma once

#include <rapidcheck.h>

#include "generators/conv_case_gen.h"

namespace convcheck {

// The non-convolution ops of `ops`, and the convolution ones.
std::vector<Op> LayerOpsOf(const std::vector<Op>& ops);
std::vector<Op> ConvOpsOf(const std::vector<Op>& ops);

// Small valid cases: batch 1-2 or unbatched, channels <= 4, kernel <= 4, stride <= 3 or
// the default (= kernel), padding <= kernel/2, dilation <= 2 (max), ceil_mode, count_include_pad
// and divisor_override drawn; spatial sizes a few above the window's extent.
rc::Gen<ConvCase> ValidPoolCase(const GenOptions& opts);
// Valid cases at an edge: ceil mode's dropped last window, padding = kernel/2, one window
// exactly, zero batch, TF SAME pooling, adaptive output larger than the input, the issue's
// MaxPool1d(2, stride=2, padding=1, ceil_mode=True) on 5.
rc::Gen<ConvCase> EdgePoolCase(const GenOptions& opts);
// A case that breaks exactly one rule, and that rule.
rc::Gen<InvalidCase> InvalidPoolCase(const GenOptions& opts);
// Kernel, stride, padding, dilation, output_size near 2^31, 2^32, 2^62, 2^63-1 on small inputs;
// one in five of them an up-sampler (generators/upsampler_case_gen.h ExtremeUpsampler) when asked.
rc::Gen<ConvCase> ExtremePoolCase(const GenOptions& opts);
// The mix the default run draws for these ops: 14 valid : 3 edge : 3 invalid.
rc::Gen<ConvCase> MixedPoolCase(const GenOptions& opts);

}  // namespace convcheck
