// The functional call a user writes for a case, shared by the shape and the numeric LibTorch
// backends so both run exactly the same op. Included only by LibTorch translation units.
#pragma once

#include <torch/torch.h>

#include <algorithm>

#include "backends/libtorch/torch_enums.h"
#include "backends/module_semantics.h"
#include "oracles/conv_case.h"

namespace convcheck {

inline at::Tensor ConvolveTransposed(const ConvCase& c, const at::Tensor& x, const at::Tensor& w,
                                     const c10::optional<at::Tensor>& b) {
  switch (SpatialRank(c.op)) {
    case 1: return at::conv_transpose1d(x, w, b, c.stride, c.padding, c.output_padding, c.groups, c.dilation);
    case 2: return at::conv_transpose2d(x, w, b, c.stride, c.padding, c.output_padding, c.groups, c.dilation);
    default: return at::conv_transpose3d(x, w, b, c.stride, c.padding, c.output_padding, c.groups, c.dilation);
  }
}

// The convolution as a user writes it: "same"/"valid" through the string overload, a
// non-zero padding mode through F::pad first (exactly what nn.Conv*d does).
inline at::Tensor Convolve(const ConvCase& c, const at::Tensor& x, const at::Tensor& w,
                           const c10::optional<at::Tensor>& b) {
  if (IsTransposed(c.op)) return ConvolveTransposed(c, x, w, b);
  const int rank = SpatialRank(c.op);
  if (c.padding_mode != PaddingMode::kZeros) {
    // nn.Conv*d refuses this in its constructor (torch/nn/modules/conv.py _ConvNd.__init__; the
    // C++ ConvNdImpl, test Conv1dSameStrided); the F::pad path below would lose the check.
    const bool strided = std::any_of(c.stride.begin(), c.stride.end(), [](int64_t s) { return s != 1; });
    TORCH_CHECK(!(c.padding_kind == PaddingKind::kSame && strided),
                "padding='same' is not supported for strided convolutions");
    namespace F = torch::nn::functional;
    const at::Tensor padded = F::pad(x, F::PadFuncOptions(ModulePads(c, w.sizes().vec())).mode(ToPadMode(c.padding_mode)));
    const std::vector<int64_t> zero(static_cast<size_t>(rank), 0);
    switch (rank) {
      case 1: return at::conv1d(padded, w, b, c.stride, zero, c.dilation, c.groups);
      case 2: return at::conv2d(padded, w, b, c.stride, zero, c.dilation, c.groups);
      default: return at::conv3d(padded, w, b, c.stride, zero, c.dilation, c.groups);
    }
  }
  if (c.padding_kind != PaddingKind::kExplicit) {
    const c10::string_view mode = c.padding_kind == PaddingKind::kSame ? "same" : "valid";
    switch (rank) {
      case 1: return at::conv1d(x, w, b, c.stride, mode, c.dilation, c.groups);
      case 2: return at::conv2d(x, w, b, c.stride, mode, c.dilation, c.groups);
      default: return at::conv3d(x, w, b, c.stride, mode, c.dilation, c.groups);
    }
  }
  switch (rank) {
    case 1: return at::conv1d(x, w, b, c.stride, c.padding, c.dilation, c.groups);
    case 2: return at::conv2d(x, w, b, c.stride, c.padding, c.dilation, c.groups);
    default: return at::conv3d(x, w, b, c.stride, c.padding, c.dilation, c.groups);
  }
}

}  // namespace convcheck
