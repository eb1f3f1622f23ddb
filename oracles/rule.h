// The closed set of validity rules a convolution case can break, and the error value the oracle
// returns instead of throwing. Rule names are stable identifiers used in reports and the corpus.
#pragma once

#include <optional>
#include <string>

namespace convcheck {

enum class Rule {
  kInputRank,             // input is neither [C,*] nor [N,C,*] for the op's rank
  kNonPositiveStride,     // stride <= 0
  kNegativePadding,       // padding < 0
  kNegativeOutputPadding, // output_padding < 0
  kNonPositiveDilation,   // dilation <= 0
  kNonPositiveGroups,     // groups <= 0
  kWeightRank,            // weight_shape has a rank other than the input's
  kWeightBelowGroups,     // weight.size(0) < groups
  kWeightNotDivisible,    // weight.size(0) % groups != 0
  kChannelMismatch,       // input channels disagree with the weight (and groups)
  kOutChannelsNotDivisible,  // transposed: out_channels % groups != 0 (no weight exists)
  kNonPositiveKernel,     // a kernel entry <= 0 (weight with an empty spatial dim)
  kSameWithStride,        // padding="same" with a stride other than 1
  kPaddingModeTransposed, // transposed convolutions accept only padding_mode="zeros"
  kPaddingModeTooLarge,   // reflect: pad >= input; circular: pad > input; replicate: empty input
  kKernelExceedsInput,    // dilation*(k-1)+1 > input + 2*padding
  kOutputPaddingTooLarge, // output_padding >= stride and >= dilation
  kEmptyOutput,           // transposed output size <= 0
  kEmptyInput,            // a zero-sized spatial dim with non-empty batch and channels
  kOverflow,              // a size does not fit int64
  // Rules of the other CNN layers (oracles/layer_shape.h).
  kPoolPaddingTooLarge,   // pooling: padding > kernel/2
  kZeroDivisor,           // avg pooling: divisor_override == 0
  kNegativeOutputSize,    // adaptive pooling: an output_size entry < 0
  kFeatureMismatch,       // linear in_features / batch_norm num_features vs the input
  kFlattenDims,           // flatten: start_dim/end_dim out of range or start after end
  // Rules of ONNX's Conv/ConvTranspose geometry (oracles/onnx_shape.h).
  kPadsWithAutoPad,       // pads given together with auto_pad SAME_UPPER/SAME_LOWER/VALID
  // Rules of the up-samplers (oracles/upsample_shape.h).
  kUnpoolOutputSize,      // max_unpool output_size outside (default - stride, default + stride)
  kUpsampleMode,          // align_corners with mode nearest, or a mode for another rank
};

// Stable snake_case name ("kernel_exceeds_input").
const char* RuleName(Rule r);
std::optional<Rule> ParseRuleName(const std::string& s);

// Why a case is invalid: the rule, the spatial dim it concerns (-1: not per-dim) and a sentence
// with the numbers, e.g. "dim 1: kernel extent 7 exceeds padded input 5".
struct RuleViolation {
  Rule rule;
  int dim = -1;
  std::string message;
};

}  // namespace convcheck
