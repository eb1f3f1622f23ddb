// Round trip of one layer: which output_padding makes conv_transpose(conv(x)) restore x's shape
// when both use the same kernel, stride, padding and dilation, or why none can.
//
// Why it always exists for a valid zero-padded conv: with n = x + 2p − d(k−1) − 1 the conv gives
// y = floor(n/s) + 1, and the transposed conv with output_padding 0 gives x − (n mod s); the
// missing n mod s is < s, which PyTorch accepts as output_padding (< max(stride, dilation)).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oracles/conv_case.h"
#include "oracles/rule.h"

namespace convcheck {

// Why no output_padding restores the input.
enum class RoundTripBlock {
  kNone,
  kInvalidConv,         // the convolution itself breaks a rule (see `violation`)
  kNotAConvolution,     // the case is already a transposed convolution
  kOutputPaddingTooLarge,  // the missing size is >= max(stride, dilation) ("same", odd total)
};
const char* RoundTripBlockName(RoundTripBlock b);

// One spatial dim of the round trip.
struct DimRoundTrip {
  int64_t input = 0;             // x
  int64_t conv_output = 0;       // y = conv(x)
  int64_t transpose_output = 0;  // conv_transpose(y) with output_padding 0
  int64_t output_padding = 0;    // x − transpose_output: what restores x
  int64_t transpose_padding = 0; // the symmetric padding the transposed conv uses
};

struct RoundTripResult {
  RoundTripBlock block = RoundTripBlock::kNone;
  std::optional<RuleViolation> violation;  // the rule, with the dim and numbers
  std::vector<DimRoundTrip> dims;          // filled as far as it is defined
  bool ok() const { return block == RoundTripBlock::kNone; }
  Dims OutputPadding() const;              // per dim, from `dims`
};

// The round trip of a convolution case. Never throws.
// Example: conv2d [1,128,24,24] k3 s2 p1 -> dims {24, 12, 23, op 1}.
RoundTripResult RoundTripPadding(const ConvCase& conv);

// The transposed case that undoes `conv`: input `conv_output` (the conv's output shape), the
// conv's effective kernel, stride, dilation and groups, out_channels = the conv's input
// channels, padding from RoundTripPadding, the given output_padding, zeros padding mode.
ConvCase InverseCase(const ConvCase& conv, const Dims& conv_output, const Dims& output_padding);

// The output_padding dim `dim` needs as a function of the input size, as a sentence:
// "output_padding 1 when H is even, 0 when H is odd". Empty when the conv is invalid.
std::string RoundTripFixSentence(const ConvCase& conv, int dim);

// Conventional name of spatial dim `dim` of a rank-`rank` op: L; H, W; D, H, W.
std::string DimLetter(int rank, int dim);

}  // namespace convcheck
