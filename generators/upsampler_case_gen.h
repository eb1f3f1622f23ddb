// RapidCheck generators of the up-sampler cases (max_unpool1d/2d/3d, upsample1d/2d/3d), drawn by
// generators/pool_case_gen.cpp among the other layers. Valid cases are valid by construction (a
// max_unpool's explicit output_size is drawn inside its accepted range, an upsample's input is
// large enough for its scale to give at least 1); invalid cases break one named rule of
// oracles/upsample_shape.h.
#pragma once

#include <rapidcheck.h>

#include "generators/conv_case_gen.h"

namespace convcheck {

// A small valid case of base.op (an up-sampler), from a base case with dtype, device, unit
// per-dim fields and the leading dims (batch 1-2 or unbatched, kept for max_unpool; upsample
// takes a batched input only): channels <= 4, kernel <= 4, stride <= 3 or the default, padding <= kernel/2, an explicit
// output_size one time in three; upsample: size or a scale among integer, dyadic and other
// doubles (0.29, 1.1, 1.7), mode nearest or the rank's linear mode, align_corners drawn.
ConvCase ValidUpsampler(ConvCase base);
// The same case at an edge: zero batch, output_size at the inner edge of its range (default ± (s
// − 1)), an unbatched input with zero channels (accepted: only dims 1.. are checked), a scale
// whose double product lies just under an integer (100 × 0.29 = 28.999…), an output of size 1.
ConvCase EdgeUpsampler(ConvCase c, int kind);
// The rules `c` can be made to break alone, and the case that breaks `rule` in dim d by `amount`
// (1..3): max_unpool's output_size at amount − 1 past its exclusive bound (so amount 1 is the
// bound itself), an extra leading dim, an empty dim, a padding that leaves no output, a 3-d
// stride <= 0; upsample's align_corners with nearest, an unbatched input, an empty input, a
// scale or size that leaves no output.
std::vector<Rule> BreakableUpsamplerRules(const ConvCase& c);
// The valid case `c` with one parameter at `big` (2^31 − 1 … 2^63 − 1): a max_unpool kernel,
// stride or padding, an upsample size, or a scale factor of 1e18 or 1e30 (a product past int64).
ConvCase ExtremeUpsampler(ConvCase c, int64_t big);
ConvCase BreakUpsampler(ConvCase c, Rule rule, size_t d, int64_t amount);

}  // namespace convcheck
