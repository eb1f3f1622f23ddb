#include "properties/reason_table.h"

namespace convcheck {
namespace {

// LibTorch's words, per rule. Sources: aten/src/ATen/native/Convolution.cpp (v1.13.1:
// check_shape_forward, _convolution, convolution_same, the conv*d entry points' batchify),
// aten/src/ATen/native/ConvolutionMM2d.cpp / NaiveConvolutionTranspose*.cpp (slow_conv*_shape_check),
// torch/csrc/api/include/torch/nn/modules/conv.h (ConvNdImpl's checks), PadNd.cpp / Padding.h
// (reflection, replication and circular padding). Where a message was seen in a run, the run
// is named. A rule may have several wordings (different kernels check it).
ReasonTable LibTorch() {
  const std::string conv = "Convolution.cpp";
  const std::string shape_check = "slow_conv*_shape_check (ConvUtils.h, NaiveConvolutionTranspose*.cpp)";
  return {"libtorch",
          {
              {Rule::kInputRank, R"(Expected \dD \(unbatched\) or \dD \(batched\) input to conv)", conv + " batchify"},
              {Rule::kInputRank, R"(Expected \d+-dimensional input for \d+-dimensional weight)", conv + " check_shape_forward"},
              // nn.Conv*d with a non-zero padding_mode pads before it convolves: F.pad refuses the rank.
              {Rule::kInputRank, R"(Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now)", "torch/nn/functional pad (_pad_enum)"},
              {Rule::kNonPositiveStride, R"(non-positive stride is not supported)", conv + " check_shape_forward"},
              {Rule::kNonPositiveStride, R"(stride should be greater than zero)", shape_check},
              {Rule::kNegativePadding, R"(negative padding is not supported)", conv + " check_shape_forward"},
              {Rule::kNegativeOutputPadding, R"(negative output_padding is not supported)", conv + " check_shape_forward"},
              {Rule::kNonPositiveDilation, R"(non-positive dilation is not supported)", conv + " check_shape_forward (seen in the default run)"},
              {Rule::kNonPositiveDilation, R"(dilation should be greater than zero)", shape_check},
              {Rule::kNonPositiveGroups, R"(non-positive groups is not supported)", conv + " check_shape_forward"},
              {Rule::kWeightRank, R"(Expected \d+-dimensional input for \d+-dimensional weight)", conv + " check_shape_forward"},
              {Rule::kWeightRank, R"(weight should have at least three dimensions)", conv + " _convolution"},
              {Rule::kWeightBelowGroups, R"(Given groups=-?\d+, expected weight to be at least -?\d+ at dimension 0)", conv + " check_shape_forward"},
              {Rule::kWeightNotDivisible, R"(Given groups=-?\d+, expected weight to be divisible by -?\d+ at dimension 0)", conv + " check_shape_forward"},
              {Rule::kChannelMismatch, R"(Given (groups|transposed)=-?\d+, weight of size \[[-0-9, ]*\], expected input\[[-0-9, ]*\] to have -?\d+ channels, but got -?\d+ channels instead)", conv + " check_shape_forward"},
              {Rule::kWeightBelowGroups, R"(in_channels must be divisible by groups)", "nn/modules/conv.h ConvNdImpl::reset"},
              {Rule::kWeightNotDivisible, R"(in_channels must be divisible by groups)", "nn/modules/conv.h ConvNdImpl::reset"},
              {Rule::kOutChannelsNotDivisible, R"(out_channels must be divisible by groups)", "nn/modules/conv.h ConvNdImpl::reset"},
              {Rule::kNonPositiveKernel, R"(kernel size should be greater than zero)", shape_check},
              {Rule::kNonPositiveKernel, R"(non-empty \dD \(n_output_plane x n_input_plane x [a-z_ x]*\) tensor expected for weight)", shape_check + " (seen in the default run)"},
              {Rule::kNonPositiveKernel, R"(Kernel size can't be greater than actual input size)", conv + " check_shape_forward (a 0-wide kernel's extent d*(0-1)+1 <= 0)"},
              {Rule::kSameWithStride, R"(padding='same' is not supported for strided convolutions)", conv + " convolution_same"},
              {Rule::kPaddingModeTransposed, R"(Only `?"?zeros`?"? padding mode is supported for ConvTranspose\dd)", "nn/modules/conv.h ConvTransposeNdImpl"},
              {Rule::kPaddingModeTooLarge, R"(Padding size should be less than the corresponding input dimension)", "ReflectionPad.cpp"},
              {Rule::kPaddingModeTooLarge, R"(Padding value causes wrapping around more than once)", "PadNd.cpp _pad_circular"},
              {Rule::kPaddingModeTooLarge, R"(input tensor must have non-zero|Expected \dD or \dD \(batch mode\) tensor with possibly 0 batch size and other non-zero dimensions)", "ReplicationPadding.cpp"},
              {Rule::kKernelExceedsInput, R"(Kernel size can't be greater than actual input size)", conv + " check_shape_forward"},
              {Rule::kOutputPaddingTooLarge, R"(output padding must be smaller than either stride or dilation)", shape_check},
              {Rule::kEmptyOutput, R"(Output size is too small)", shape_check},
              {Rule::kEmptyInput, R"(Only zero batch or zero channel inputs are supported)", conv + " _convolution"},
              {Rule::kEmptyInput, R"(non-empty \dD or \dD \(batch mode\) tensor expected for input)", shape_check},
          }};
}

}  // namespace

const std::vector<ReasonTable>& AllReasonTables() {
  static const std::vector<ReasonTable> tables = {LibTorch()};
  return tables;
}

const ReasonTable* ReasonTableFor(const std::string& framework) {
  for (const ReasonTable& t : AllReasonTables()) {
    if (t.framework == framework) return &t;
  }
  return nullptr;
}

}  // namespace convcheck
