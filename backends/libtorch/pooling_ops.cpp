#include "backends/libtorch/pooling_ops.h"

#include <limits>

#include "oracles/layer_ops.h"
#include "oracles/layer_shape.h"

namespace convcheck {
namespace {

at::Tensor MaxPool(const at::Tensor& x, const ConvCase& c, const Dims& stride, const Dims& padding, bool ceil) {
  switch (SpatialRank(c.op)) {
    case 1: return at::max_pool1d(x, c.kernel, stride, padding, c.dilation, ceil);
    case 2: return at::max_pool2d(x, c.kernel, stride, padding, c.dilation, ceil);
    default: return at::max_pool3d(x, c.kernel, stride, padding, c.dilation, ceil);
  }
}

at::Tensor AvgPool(const at::Tensor& x, const ConvCase& c, const Dims& stride, const Dims& padding, bool ceil,
                   bool count_include_pad, c10::optional<int64_t> divisor) {
  switch (SpatialRank(c.op)) {
    case 1: return at::avg_pool1d(x, c.kernel, stride, padding, ceil, count_include_pad);
    case 2: return at::avg_pool2d(x, c.kernel, stride, padding, ceil, count_include_pad, divisor);
    default: return at::avg_pool3d(x, c.kernel, stride, padding, ceil, count_include_pad, divisor);
  }
}

// F.pad's list for TF SAME pooling: last dim first, (left, right) each.
std::vector<int64_t> TfSamePads(const ConvCase& c, const Dims& stride) {
  const Dims x = SpatialInput(c);
  const bool max = FamilyOf(c.op) == OpFamily::kMaxPool;
  std::vector<int64_t> flat;
  for (size_t i = x.size(); i-- > 0;) {
    const PadPair p = TfSamePoolPadding(x[i], c.kernel[i], stride[i], max ? c.dilation[i] : 1);
    flat.push_back(p.left);
    flat.push_back(p.right);
  }
  return flat;
}

at::Tensor WindowPool(const ConvCase& c, const at::Tensor& x) {
  const Dims stride = PoolStride(c);
  const bool max = FamilyOf(c.op) == OpFamily::kMaxPool;
  if (c.padding_kind != PaddingKind::kSame) {
    if (max) return MaxPool(x, c, stride, c.padding, c.ceil_mode);
    c10::optional<int64_t> divisor;
    if (c.divisor_override) divisor = *c.divisor_override;
    return AvgPool(x, c, stride, c.padding, c.ceil_mode, c.count_include_pad, divisor);
  }
  namespace F = torch::nn::functional;
  const std::vector<int64_t> pads = TfSamePads(c, stride);
  const Dims zero(c.kernel.size(), 0);
  if (max) {
    const at::Tensor padded = F::pad(x, F::PadFuncOptions(pads).mode(torch::kConstant).value(-std::numeric_limits<double>::infinity()));
    return MaxPool(padded, c, stride, zero, false);
  }
  const at::Tensor sums = AvgPool(F::pad(x, F::PadFuncOptions(pads)), c, stride, zero, false, true, c10::nullopt);
  const at::Tensor counts = AvgPool(F::pad(at::ones_like(x), F::PadFuncOptions(pads)), c, stride, zero, false, true, c10::nullopt);
  return sums / counts;
}

at::Tensor AdaptivePool(const ConvCase& c, const at::Tensor& x) {
  const bool max = FamilyOf(c.op) == OpFamily::kAdaptiveMaxPool;
  switch (SpatialRank(c.op)) {
    case 1: return max ? std::get<0>(at::adaptive_max_pool1d(x, c.output_size)) : at::adaptive_avg_pool1d(x, c.output_size);
    case 2: return max ? std::get<0>(at::adaptive_max_pool2d(x, c.output_size)) : at::adaptive_avg_pool2d(x, c.output_size);
    default: return max ? std::get<0>(at::adaptive_max_pool3d(x, c.output_size)) : at::adaptive_avg_pool3d(x, c.output_size);
  }
}

// nn.BatchNorm*d in eval mode: its _check_input_dim is the rank rule; num_features sizes the
// running statistics (a mismatch fails in at::batch_norm).
at::Tensor BatchNorm(const ConvCase& c, const at::Tensor& x) {
  const int64_t n = c.in_features ? *c.in_features : (x.dim() > 1 ? x.size(1) : 1);
  namespace nn = torch::nn;
  switch (SpatialRank(c.op)) {
    case 1: { nn::BatchNorm1d m(n); m->eval(); m->to(x.scalar_type()); return m->forward(x); }
    case 2: { nn::BatchNorm2d m(n); m->eval(); m->to(x.scalar_type()); return m->forward(x); }
    default: { nn::BatchNorm3d m(n); m->eval(); m->to(x.scalar_type()); return m->forward(x); }
  }
}

}  // namespace

at::Tensor LayerForward(const ConvCase& c, const at::Tensor& x) {
  switch (FamilyOf(c.op)) {
    case OpFamily::kMaxPool:
    case OpFamily::kAvgPool: return WindowPool(c, x);
    case OpFamily::kAdaptiveAvgPool:
    case OpFamily::kAdaptiveMaxPool: return AdaptivePool(c, x);
    case OpFamily::kFlatten: return x.flatten(c.start_dim, c.end_dim);
    case OpFamily::kLinear: {
      const int64_t in = c.in_features ? *c.in_features : (x.dim() > 0 ? x.size(-1) : 0);
      const at::Tensor w = at::zeros({c.out_features, in}, x.options());
      c10::optional<at::Tensor> b;
      if (c.bias) b = at::zeros({c.out_features}, x.options());
      return at::linear(x, w, b);
    }
    case OpFamily::kBatchNorm: return BatchNorm(c, x);
    case OpFamily::kElementwise:
      if (c.op == Op::kRelu) return at::relu(x);
      if (c.op == Op::kTanh) return at::tanh(x);
      if (c.op == Op::kSigmoid) return at::sigmoid(x);
      return at::dropout(x, 0.5, /*train=*/false);
    case OpFamily::kConv: break;
  }
  TORCH_CHECK(false, "LayerForward: not a layer op: ", OpName(c.op));
}

}  // namespace convcheck
