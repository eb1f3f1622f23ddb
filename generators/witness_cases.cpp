#include "generators/witness_cases.h"

namespace convcheck {
namespace {

ConvCase Conv(Op op, Dims input, int64_t out_channels, int64_t kernel) {
  ConvCase c = DefaultCase(op, std::move(input), out_channels);
  c.kernel = {kernel};
  return c;
}

std::vector<ConvCase> Witnesses() {
  std::vector<ConvCase> out;
  // padding="same", kernel 4: total padding 3, left 1 and right 2 (Convolution.cpp
  // _convolution_mode: the odd element goes to the right).
  ConvCase same = Conv(Op::kConv1d, {1, 2, 9}, 3, 4);
  same.padding_kind = PaddingKind::kSame;
  same.padding = {0};
  out.push_back(same);
  // Negative padding and stride 0: LibTorch says "negative padding is not supported".
  ConvCase pad_and_stride = Conv(Op::kConv1d, {1, 1, 4}, 1, 1);
  pad_and_stride.padding = {-1};
  pad_and_stride.stride = {0};
  out.push_back(pad_and_stride);
  // Negative output_padding and stride 0: "negative output_padding is not supported".
  ConvCase out_pad_and_stride = Conv(Op::kConvTranspose1d, {1, 1, 4}, 1, 1);
  out_pad_and_stride.output_padding = {-1};
  out_pad_and_stride.stride = {0};
  out.push_back(out_pad_and_stride);
  return out;
}

}  // namespace

std::vector<ConvCase> WitnessCases(const GenOptions& opts) { return ForEachDType(Witnesses(), opts); }

}  // namespace convcheck
