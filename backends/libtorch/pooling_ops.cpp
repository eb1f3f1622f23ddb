#include "backends/libtorch/pooling_ops.h"

#include <limits>

#include "oracles/layer_ops.h"
#include "oracles/layer_shape.h"
#include "oracles/upsample_shape.h"

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

// The indices max_unpool needs (the input's shape, int64): each element points at its window's
// first position (j·s − p per dim, clamped into the output), flattened over the output plane.
// These are exactly the indices max_pool returns for a constant input of the pool this unpool
// mirrors, so the case is what a real encoder hands its decoder; the output plane is the
// case's (explicit output_size, else _unpool_output_size's default). A zero-sized output plane
// gets index 0, which LibTorch must refuse ("Found an invalid max index").
at::Tensor UnpoolIndices(const ConvCase& c, const at::Tensor& x) {
  const size_t r = static_cast<size_t>(SpatialRank(c.op));
  if (static_cast<size_t>(x.dim()) < r) return at::zeros(x.sizes(), x.options().dtype(at::kLong));
  const Dims in = SpatialInput(c), stride = PoolStride(c);
  Dims out(r);
  for (size_t d = 0; d < r; ++d) {
    const __int128 def = UnpoolDefaultSize(in[d], c.kernel[d], stride[d], c.padding[d]);
    out[d] = c.output_size.empty() ? static_cast<int64_t>(std::max<__int128>(std::min<__int128>(def, INT64_MAX), 0)) : c.output_size[d];
  }
  // Per dim: position j·s − p clamped to [0, out − 1], times the output stride of that dim.
  at::Tensor flat = at::zeros({1}, at::kLong);
  for (size_t d = 0; d < r; ++d) {
    const int64_t n = in[d];
    at::Tensor pos = (at::arange(n, at::kLong) * stride[d] - c.padding[d]).clamp(0, std::max<int64_t>(out[d] - 1, 0));
    flat = (flat.unsqueeze(-1) * std::max<int64_t>(out[d], 1) + pos).reshape({-1});
  }
  Dims plane(in.begin(), in.end());
  const Dims lead(c.input.begin(), c.input.end() - static_cast<std::ptrdiff_t>(r));
  Dims full = lead;
  full.insert(full.end(), plane.begin(), plane.end());
  Dims view(lead.size(), 1);
  view.insert(view.end(), plane.begin(), plane.end());
  return flat.reshape(view).expand(full).contiguous();
}

// F.max_unpoolNd as LibTorch runs it: the output size from LibTorch's own
// torch::nn::functional::_unpool_output_size (on a meta tensor [1, 1, *spatial], which is what
// Python's _unpool_output_size reads through input.size()[-r + d]; the C++ function itself
// reads input_size[d + 2], out of bounds for an unbatched input), then at::max_unpool2d / 3d on
// the input as given (1d: max_unpool2d on input.unsqueeze(-1), as F.max_unpool1d does).
at::Tensor Unpool(const ConvCase& c, const at::Tensor& x) {
  namespace F = torch::nn::functional;
  const int r = SpatialRank(c.op);
  const at::Tensor idx = UnpoolIndices(c, x);
  const Dims stride = PoolStride(c);
  std::vector<int64_t> size(c.output_size.begin(), c.output_size.end());
  if (x.dim() >= r) {
    std::vector<int64_t> probe = {1, 1};
    for (int d = 0; d < r; ++d) probe.push_back(x.size(x.dim() - r + d));
    const at::Tensor meta = at::empty(probe, at::TensorOptions().device(at::kMeta));
    c10::optional<std::vector<int64_t>> given;
    if (!c.output_size.empty()) {  // the full form [N, C, *spatial]: the C++ function drops a spatial-only one
      std::vector<int64_t> full = {1, 1};
      full.insert(full.end(), c.output_size.begin(), c.output_size.end());
      given = full;
    }
    size = F::_unpool_output_size(meta, c.kernel, stride, c.padding, given);
  } else if (size.empty()) {
    size.assign(static_cast<size_t>(r), 1);
  }
  if (r == 1) return at::max_unpool2d(x.unsqueeze(-1), idx.unsqueeze(-1), {size[0], 1}).squeeze(-1);
  if (r == 2) return at::max_unpool2d(x, idx, size);
  return at::max_unpool3d(x, idx, size, stride, c.padding);
}

// nn.Upsample's forward: F.interpolate (LibTorch's C++ frontend, which checks align_corners and
// the mode's rank as Python does and sizes the output as floor(double(x) * scale)).
at::Tensor Upsample(const ConvCase& c, const at::Tensor& x) {
  namespace F = torch::nn::functional;
  F::InterpolateFuncOptions o;
  if (!c.output_size.empty()) o.size(std::vector<int64_t>(c.output_size.begin(), c.output_size.end()));
  if (!c.scale_factor.empty()) o.scale_factor(c.scale_factor);
  switch (c.upsample_mode) {
    case UpsampleMode::kNearest: o.mode(torch::kNearest); break;
    case UpsampleMode::kLinear: o.mode(torch::kLinear); break;
    case UpsampleMode::kBilinear: o.mode(torch::kBilinear); break;
    case UpsampleMode::kTrilinear: o.mode(torch::kTrilinear); break;
  }
  if (c.align_corners) o.align_corners(*c.align_corners);
  return F::interpolate(x, o);
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
    case OpFamily::kMaxUnpool: return Unpool(c, x);
    case OpFamily::kUpsample: return Upsample(c, x);
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
