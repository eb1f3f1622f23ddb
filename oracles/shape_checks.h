// The oracle's rule checks that PyTorch's and ONNX's geometry share (groups, parameter signs,
// the weight, output_padding, a positive output), so output_shape.cpp and onnx_shape.cpp name
// a broken rule with the same words. Internal to oracles/. Each returns the first rule `c`
// breaks, or nullopt.
#pragma once

#include <optional>
#include <string>

#include "oracles/conv_case.h"
#include "oracles/int128.h"
#include "oracles/rule.h"

namespace convcheck {

using Check = std::optional<RuleViolation>;

// A violation whose message starts with "dim <dim>: " when dim >= 0.
RuleViolation Violation(Rule rule, int dim, const std::string& message);
// input is [C, *spatial] or [N, C, *spatial] for the op's rank.
Check CheckInputRank(const ConvCase& c);
// The module's rules: padding_mode on a transposed op, groups, channels % groups, "same" + stride.
Check CheckModuleRules(const ConvCase& c);
// padding, output_padding >= 0; stride, dilation >= 1 (per dim, in Convolution.cpp's order).
Check CheckParameterSigns(const ConvCase& c);
// The weight's rank, its dim 0 against groups, the input channels, its spatial sizes.
Check CheckWeight(const ConvCase& c, const Dims& w);
// Transposed conv: output_padding must be below stride or dilation.
Check CheckOutputPadding(int dim, int64_t op, int64_t s, int64_t d);
// A transposed conv's output size must be positive (rule empty_output).
Check CheckPositiveOutput(int dim, const i128* out);

}  // namespace convcheck
