// Cases that pin an oracle choice which random cases rarely show, listed at the head of every
// case stream after the worked examples (generators/case_stream.h), once each:
// - a padding="same" convolution whose total padding is odd (even kernel): which side takes the
//   extra element changes only the values, never a shape, so the engine always checks its values
//   (engine/engine.h AlwaysValueChecked);
// - invalid cases that break two rules at once: the oracle names the rule LibTorch checks first
//   (Convolution.cpp check_shape_forward: padding, output_padding, then stride), and
//   RejectsForTheRightReason checks the refusal names that same rule.
#pragma once

#include <vector>

#include "generators/conv_case_gen.h"
#include "oracles/conv_case.h"

namespace convcheck {

// The witness cases whose op is in opts.ops, once per dtype of opts.dtypes, on opts.device.
std::vector<ConvCase> WitnessCases(const GenOptions& opts);

}  // namespace convcheck
