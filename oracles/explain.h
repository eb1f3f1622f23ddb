// Where a predicted size comes from: the formula with the case's numbers substituted and the
// floor made visible, one line per spatial dim.
#pragma once

#include <string>
#include <vector>

#include "oracles/conv_case.h"

namespace convcheck {

// Lines such as
//   "dim 0: floor((x + 2p - d(k-1) - 1)/s) + 1 = (24 + 2·1 - 1·(3-1) - 1)/2 + 1 = 12.5 → floor → 12"
// preceded by the batch/channel line and the weight shape. Works for invalid cases too (the
// per-dim arithmetic is shown as far as it is defined); never throws.
std::vector<std::string> ExplainShape(const ConvCase& c);

// One dim of a convolution: "(24 + 2·1 − 1·(3−1) − 1)/2 + 1 = 12.5 → floor → 12".
std::string ExplainConvDim(int64_t x, int64_t pad_left, int64_t pad_right, int64_t k, int64_t s,
                           int64_t d);
// One dim of a transposed convolution: "(12−1)·2 − 2·1 + 1·(3−1) + 0 + 1 = 23".
std::string ExplainConvTransposeDim(int64_t x, int64_t k, int64_t s, int64_t p, int64_t d,
                                    int64_t op);

// The round trip of a convolution case (oracles/round_trip.h), one line per dim: the conv, the
// transposed conv with output_padding 0, and what output_padding must add, e.g.
//   "dim 0 (H): conv (24 + 2·1 − 1·(3−1) − 1)/2 + 1 = 12.5 → floor → 12; convT (12−1)·2 − 2·1 +
//    1·(3−1) + 0 + 1 = 23; output_padding = 24 − 23 = 1 (the floor dropped (24 + 2·1 − 1·(3−1) − 1)
//    mod 2 = 1)". Lines for an invalid case name the rule instead.
std::vector<std::string> ExplainRoundTrip(const ConvCase& conv);

}  // namespace convcheck
