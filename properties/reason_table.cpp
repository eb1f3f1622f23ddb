#include "properties/reason_table.h"

namespace convcheck {
namespace {

// LibTorch's words, per rule. Sources: aten/src/ATen/native/Convolution.cpp (v1.13.1:
// check_shape_forward, _convolution, convolution_same, the conv*d entry points' batchify),
// aten/src/ATen/native/ConvolutionMM2d.cpp / NaiveConvolutionTranspose*.cpp (slow_conv*_shape_check),
// torch/csrc/api/include/torch/nn/modules/conv.h (ConvNdImpl's checks), PadNd.cpp / Padding.h
// (reflection, replication and circular padding). Where a message was seen in a run, the run
// is named. A rule may have several wordings (different kernels check it).
// LibTorch's words for the pools, flatten, linear and batch_norm. Sources (v1.13.1; every string
// below is also in the installed libtorch_cpu.so.1.13.0): aten/src/ATen/native/Pool.h
// (pooling_output_shape, pool2d_shape_check, pool3d_shape_check), MaxPooling.cpp
// (check_max_pool1d), DilatedMaxPool2d.cpp / DilatedMaxPool3d.cpp, AveragePool2d.cpp /
// AveragePool3d.cpp, Pooling.cpp (avg_pool1d, adaptive_*_pool1d: checkDimRange, then the 2-d op
// on an unsqueezed input), AdaptiveAveragePooling.cpp / AdaptiveAveragePooling3d.cpp /
// AdaptiveMaxPooling2d.cpp / AdaptiveMaxPooling3d.cpp, TensorShape.cpp (flatten) with
// WrapDimUtils.h (maybe_wrap_dim: TORCH_CHECK_INDEX), Linear.cpp / LinearAlgebra.cpp (matmul,
// addmm, addmv), torch/csrc/api/src/nn/modules/batchnorm.cpp (_check_input_dim) and
// Normalization.cpp (batch_norm_cpu).
std::vector<ReasonPattern> LibTorchLayers() {
  const std::vector<OpFamily> window = {OpFamily::kMaxPool, OpFamily::kAvgPool};
  const std::vector<OpFamily> adaptive = {OpFamily::kAdaptiveAvgPool, OpFamily::kAdaptiveMaxPool};
  const std::vector<OpFamily> pools = {OpFamily::kMaxPool, OpFamily::kAvgPool, OpFamily::kAdaptiveAvgPool,
                                       OpFamily::kAdaptiveMaxPool};
  const std::string pool_h = "Pool.h";
  const std::string max1d = "MaxPooling.cpp check_max_pool1d";
  // One check refuses both a wrong rank and an empty non-batch dim.
  const std::string rank_or_empty2d = R"(Expected 3D or 4D \(batch mode\) tensor with optional 0 dim batch size for input)";
  const std::string rank_or_empty1d = R"(max_pool1d: Expected 2D or 3D \(batch mode\) tensor with optional 0 dim batch size for input)";
  // AveragePool3d.cpp meta ("4D or 5D"), DilatedMaxPool2d.cpp meta ("3D or 4D", seen in the default run).
  const std::string non_empty = R"(non-empty \dD or \dD \(batch mode\) tensor expected for input)";
  return {
      {Rule::kInputRank, rank_or_empty2d, pool_h + " pool2d_shape_check", window},
      {Rule::kEmptyInput, rank_or_empty2d, pool_h + " pool2d_shape_check", window},
      {Rule::kInputRank, rank_or_empty1d, "DilatedMaxPool2d.cpp (max_pool1d_with_indices)", window},
      {Rule::kEmptyInput, rank_or_empty1d, "DilatedMaxPool2d.cpp (max_pool1d_with_indices)", window},
      {Rule::kInputRank, non_empty, "AveragePool3d.cpp / DilatedMaxPool2d.cpp meta", window},
      {Rule::kEmptyInput, non_empty, "AveragePool3d.cpp / DilatedMaxPool2d.cpp meta", window},
      // An output whose element count passes int64 is refused where it is allocated (seen in
      // the default run).
      {Rule::kOverflow, R"(numel: integer multiplication overflow)", "c10/core/TensorImpl.h compute_numel (safe_multiplies)", pools},
      {Rule::kOverflow, R"(Storage size calculation overflowed with sizes=)", "EmptyTensor.cpp computeStorageNbytes", pools},
      {Rule::kInputRank, R"(max_pool1d\(\) Expected 2D or 3D input tensor)", max1d, window},
      {Rule::kInputRank, R"(Expected 4D or 5D tensor for input)", pool_h + " pool3d_shape_check", window},
      {Rule::kInputRank, R"(Expected \d+ to \d+ dimensions, but got \d+-dimensional tensor for argument #1 'self')",
       "Pooling.cpp avg_pool1d / adaptive_*_pool1d checkDimRange", pools},
      {Rule::kEmptyInput, R"(Expected input's non-batch dimensions to have positive length)", pool_h + " pool3d_shape_check", window},
      {Rule::kZeroDivisor, R"(divisor must be not zero)", "AveragePool2d.cpp / AveragePool3d.cpp meta", window},
      {Rule::kNonPositiveStride, R"(stride should not be zero)", pool_h + " pooling_output_shape", window},
      {Rule::kNonPositiveStride, R"(stride should be greater than zero)", pool_h + " pool2d_shape_check / pool3d_shape_check", window},
      {Rule::kNonPositiveStride, R"(max_pool1d\(\) stride must be greater than zero)", max1d, window},
      {Rule::kNegativePadding, R"(pad must be non-negative)", pool_h + " pooling_output_shape", window},
      {Rule::kNegativePadding, R"(max_pool1d\(\) padding must be non-negative)", max1d, window},
      {Rule::kPoolPaddingTooLarge, R"(pad should be at most half of kernel size)", pool_h + " pooling_output_shape", window},
      {Rule::kPoolPaddingTooLarge, R"(pad should be smaller than or equal to half of kernel size)", pool_h + " pool2d_shape_check / pool3d_shape_check", window},
      {Rule::kPoolPaddingTooLarge, R"(max_pool1d\(\) padding should be at most half of kernel size)", max1d, window},
      {Rule::kNonPositiveKernel, R"(kernel size should be greater than zero)", pool_h + " pool2d_shape_check / pool3d_shape_check", window},
      {Rule::kNonPositiveKernel, R"(max_pool1d\(\) kernel_size must be greater than zero)", max1d, window},
      {Rule::kNonPositiveDilation, R"(dilation should be greater than zero)", pool_h + " pool2d_shape_check / pool3d_shape_check", window},
      {Rule::kNonPositiveDilation, R"(max_pool1d\(\) dilation must be greater than zero)", max1d, window},
      {Rule::kKernelExceedsInput, R"(input image \(T: -?\d+ H: -?\d+ W: -?\d+\) smaller than kernel size)", pool_h + " pool3d_shape_check(check_input_size)", window},
      {Rule::kEmptyOutput, R"(Output size is too small)", pool_h + " pool2d_shape_check / pool3d_shape_check", window},
      {Rule::kEmptyOutput, R"(max_pool1d\(\) Invalid computed output size)", max1d, window},
      {Rule::kInputRank, R"(adaptive_(avg|max)_pool\dd\(\): Expected \dD or \dD tensor)", "AdaptiveAveragePooling*.cpp / AdaptiveMaxPooling*.cpp", adaptive},
      {Rule::kEmptyInput, R"(Expected input to have non-zero size for non-batch dimensions)", "AdaptiveAveragePooling*.cpp / AdaptiveMaxPooling*.cpp", adaptive},
      {Rule::kNegativeOutputSize, R"(elements of output_size must be greater than or equal to 0)", "AdaptiveAveragePooling.cpp adaptive_avg_pool2d_out_cpu_template", adaptive},
      // adaptive_max_pool* and adaptive_avg_pool3d check no sign: the allocation of the output
      // refuses the negative size, naming it (seen in the default run).
      {Rule::kNegativeOutputSize, R"(Trying to create tensor with negative dimension -\d+)", "EmptyTensor.cpp check_size_nonnegative", adaptive},
      {Rule::kFlattenDims, R"(Dimension out of range \(expected to be in range of \[-?\d+, -?\d+\], but got -?\d+\))",
       "WrapDimUtils.h maybe_wrap_dim (TORCH_CHECK_INDEX)", {OpFamily::kFlatten}, "c10::IndexError"},
      {Rule::kFlattenDims, R"(flatten\(\) has invalid args: start_dim cannot come after end_dim)", "TensorShape.cpp flatten", {OpFamily::kFlatten}},
      {Rule::kInputRank, R"(both arguments to matmul need to be at least 1D)", "LinearAlgebra.cpp matmul", {OpFamily::kLinear}},
      {Rule::kFeatureMismatch, R"(mat1 and mat2 shapes cannot be multiplied \(\d+x\d+ and \d+x\d+\))", "LinearAlgebra.cpp addmm_impl_cpu_", {OpFamily::kLinear}},
      {Rule::kFeatureMismatch, R"(size mismatch, got \d+, \d+x\d+,\d+)", "Blas.cpp addmv (a 1-d input)", {OpFamily::kLinear}},
      {Rule::kInputRank, R"(expected \dD or \dD input \(got \d+D input\)|expected \dD input \(got \d+D input\))", "nn/modules/batchnorm.cpp _check_input_dim", {OpFamily::kBatchNorm}},
      {Rule::kFeatureMismatch, R"((running_mean|running_var|weight|bias) should contain \d+ elements not \d+)", "Normalization.cpp batch_norm_cpu", {OpFamily::kBatchNorm}},
  };
}

// LibTorch's words for the up-samplers (v1.13.1; every string below is in the installed
// libtorch_cpu.so or in the installed C++ frontend headers): aten/src/ATen/native/MaxUnpooling.cpp
// (max_unpooling2d_forward_out_cpu, max_unpooling3d_shape_check), the CPU kernel
// cpu/MaxUnpoolKernel.cpp ("Found an invalid max index"), EmptyTensor.cpp
// (check_size_nonnegative), torch/csrc/api/include/torch/nn/functional/pooling.h
// (_unpool_output_size), aten/src/ATen/native/UpSample.h (upsample_{1,2,3}d_common_check),
// UpSampleNearest*d.cpp / UpSampleLinear1d.cpp / UpSampleBilinear2d.cpp /
// UpSampleTrilinear3d.cpp (the meta functions' non-empty check) and
// torch/csrc/api/include/torch/nn/functional/upsampling.h (interpolate, _interp_output_size).
std::vector<ReasonPattern> LibTorchUpsamplers() {
  const std::vector<OpFamily> unpool = {OpFamily::kMaxUnpool};
  const std::vector<OpFamily> up = {OpFamily::kUpsample};
  const std::string mu = "MaxUnpooling.cpp";
  const std::string interp = "nn/functional/upsampling.h interpolate";
  // One check refuses an empty spatial input and an empty (or, through x86's conversion of an
  // out-of-range double, overflowed) output size.
  const std::string sizes = R"(Input and output sizes should be greater than 0, but got input \()";
  return {
      {Rule::kInputRank, R"(Input to max_unpooling[23]d should be a [34]d or [45]d Tensor)", mu, unpool},
      {Rule::kEmptyInput, R"(Expected input to have non-zero size for non-batch dimensions)", mu, unpool},
      {Rule::kNonPositiveStride, R"(strides should be greater than zero, but got stride)", mu + " max_unpooling3d_shape_check", unpool},
      // A negative output size is refused where the output is resized, in overflow's words
      // (at::max_unpool2d([1,3,12,12], {-1, 24}) on this machine).
      {Rule::kEmptyOutput, R"(numel: integer multiplication overflow)", "c10/core/TensorImpl.h compute_numel (resize_ of a negative size)", unpool},
      {Rule::kUnpoolOutputSize, R"(invalid output_size [-0-9 ]* \(dim \d+ must be between -?\d+ and -?\d+\))",
       "nn/functional/pooling.h _unpool_output_size", unpool},
      {Rule::kOverflow, R"(numel: integer multiplication overflow)", "c10/core/TensorImpl.h compute_numel (safe_multiplies)", unpool},
      // The C++ _unpool_output_size computes (y - 1)s + k - 2p in int64: 2^63 wraps to INT64_MIN,
      // which the output's sizes refuse (seen: max_unpool1d [1,1,2], kernel 2^63 - 1).
      {Rule::kOverflow, R"(IntArrayRef contains an int that cannot be represented as a SymInt)",
       "nn/functional/pooling.h _unpool_output_size, then c10/core/SymIntArrayRef.h", unpool},
      {Rule::kOverflow, R"(Storage size calculation overflowed with sizes=)", "EmptyTensor.cpp computeStorageNbytes", unpool},
      {Rule::kUpsampleMode, R"(align_corners option can only be set with the interpolating modes)", interp, up},
      {Rule::kUpsampleMode, R"(Got \dD input, but (linear|bilinear|trilinear) mode needs \dD input)", interp, up},
      {Rule::kInputRank, R"(scale_factor shape must match input shape)", interp + " _interp_output_size", up},
      {Rule::kInputRank, R"(It is expected output_size equals to \d, but got size \d+)", "UpSample.h upsample_*_common_check", up},
      {Rule::kInputRank, R"(Input Error: Only 3D, 4D and 5D input Tensors supported)", interp, up},
      {Rule::kEmptyInput, sizes, "UpSample.h upsample_*_common_check", up},
      {Rule::kEmptyOutput, sizes, "UpSample.h upsample_*_common_check", up},
      {Rule::kOverflow, R"(IntArrayRef contains an int that cannot be represented as a SymInt)",
       "c10/core/SymIntArrayRef.h (x86 converts an out-of-range double size to INT64_MIN; seen for 3 x 1e30)", up},
      {Rule::kEmptyInput, R"(Non-empty \dD data tensor expected but got a tensor with sizes)", "UpSampleNearest*d.cpp / UpSample*.cpp meta", up},
      {Rule::kOverflow, R"(numel: integer multiplication overflow)", "c10/core/TensorImpl.h compute_numel (safe_multiplies)", up},
      {Rule::kOverflow, R"(Storage size calculation overflowed with sizes=)", "EmptyTensor.cpp computeStorageNbytes", up},
  };
}

ReasonTable LibTorch() {
  const std::string conv = "Convolution.cpp";
  const std::string shape_check = "slow_conv*_shape_check (ConvUtils.h, NaiveConvolutionTranspose*.cpp)";
  ReasonTable t{"libtorch", "c10::Error",
          {
              {Rule::kInputRank, R"(Expected \dD \(unbatched\) or \dD \(batched\) input to conv)", conv + " batchify"},
              {Rule::kInputRank, R"(Expected \d+-dimensional input for \d+-dimensional weight)", conv + " check_shape_forward"},
              // nn.Conv*d with a non-zero padding_mode pads before it convolves: F.pad refuses the rank.
              {Rule::kInputRank, R"(Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now)",
               "PadNd.cpp _pad_enum (TORCH_CHECK_NOT_IMPLEMENTED; seen in the default run)", {OpFamily::kConv},
               "c10::NotImplementedError"},
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
  for (ReasonPattern& p : LibTorchLayers()) t.patterns.push_back(std::move(p));
  for (ReasonPattern& p : LibTorchUpsamplers()) t.patterns.push_back(std::move(p));
  return t;
}

}  // namespace

std::string ExpectedErrorType(const ReasonTable& table, const ReasonPattern& p) {
  return p.error_type.empty() ? table.default_error_type : p.error_type;
}

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
