#include "oracles/rule.h"

namespace convcheck {
namespace {
constexpr Rule kAllRules[] = {
    Rule::kInputRank,          Rule::kNonPositiveStride,     Rule::kNegativePadding,
    Rule::kNegativeOutputPadding, Rule::kNonPositiveDilation, Rule::kNonPositiveGroups,
    Rule::kWeightRank,         Rule::kWeightBelowGroups,     Rule::kWeightNotDivisible,
    Rule::kChannelMismatch,    Rule::kOutChannelsNotDivisible, Rule::kNonPositiveKernel,
    Rule::kSameWithStride,     Rule::kPaddingModeTransposed, Rule::kPaddingModeTooLarge,
    Rule::kKernelExceedsInput, Rule::kOutputPaddingTooLarge, Rule::kEmptyOutput,
    Rule::kEmptyInput,         Rule::kOverflow,
    Rule::kPoolPaddingTooLarge, Rule::kZeroDivisor, Rule::kNegativeOutputSize,
    Rule::kFeatureMismatch,    Rule::kFlattenDims,           Rule::kPadsWithAutoPad,
    Rule::kUnpoolOutputSize,   Rule::kUpsampleMode,
};
}  // namespace

const char* RuleName(Rule r) {
  switch (r) {
    case Rule::kInputRank: return "input_rank";
    case Rule::kNonPositiveStride: return "non_positive_stride";
    case Rule::kNegativePadding: return "negative_padding";
    case Rule::kNegativeOutputPadding: return "negative_output_padding";
    case Rule::kNonPositiveDilation: return "non_positive_dilation";
    case Rule::kNonPositiveGroups: return "non_positive_groups";
    case Rule::kWeightRank: return "weight_rank";
    case Rule::kWeightBelowGroups: return "weight_below_groups";
    case Rule::kWeightNotDivisible: return "weight_not_divisible_by_groups";
    case Rule::kChannelMismatch: return "channel_mismatch";
    case Rule::kOutChannelsNotDivisible: return "out_channels_not_divisible_by_groups";
    case Rule::kNonPositiveKernel: return "non_positive_kernel";
    case Rule::kSameWithStride: return "same_with_stride";
    case Rule::kPaddingModeTransposed: return "padding_mode_transposed";
    case Rule::kPaddingModeTooLarge: return "padding_mode_too_large";
    case Rule::kKernelExceedsInput: return "kernel_exceeds_input";
    case Rule::kOutputPaddingTooLarge: return "output_padding_too_large";
    case Rule::kEmptyOutput: return "empty_output";
    case Rule::kEmptyInput: return "empty_input";
    case Rule::kOverflow: return "overflow";
    case Rule::kPoolPaddingTooLarge: return "pool_padding_too_large";
    case Rule::kZeroDivisor: return "zero_divisor";
    case Rule::kNegativeOutputSize: return "negative_output_size";
    case Rule::kFeatureMismatch: return "feature_mismatch";
    case Rule::kFlattenDims: return "flatten_dims";
    case Rule::kPadsWithAutoPad: return "pads_with_auto_pad";
    case Rule::kUnpoolOutputSize: return "unpool_output_size";
    case Rule::kUpsampleMode: return "upsample_mode";
  }
  return "?";
}

std::optional<Rule> ParseRuleName(const std::string& s) {
  for (Rule r : kAllRules) {
    if (s == RuleName(r)) return r;
  }
  return std::nullopt;
}

}  // namespace convcheck
