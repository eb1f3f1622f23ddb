#include "oracles/layer_shape.h"

#include <sstream>

#include "oracles/int128.h"
#include "oracles/layer_ops.h"
#include "oracles/upsample_shape.h"

namespace convcheck {
namespace {

using Check = std::optional<RuleViolation>;

RuleViolation Violation(Rule rule, int dim, const std::string& message) {
  return RuleViolation{rule, dim, dim >= 0 ? "dim " + std::to_string(dim) + ": " + message : message};
}

std::string Str(int64_t v) { return std::to_string(v); }

// Pools and batch_norm take [C, *spatial] or [N, C, *spatial] (Pool.h pool2d_shape_check,
// pool3d_shape_check "Expected 4D or 5D tensor"; MaxPooling.cpp "Expected 2D or 3D input").
Check CheckRank(const ConvCase& c, size_t lo, size_t hi) {
  if (c.input.size() >= lo && c.input.size() <= hi) return std::nullopt;
  std::ostringstream os;
  os << "expected " << (lo == hi ? std::to_string(lo) : std::to_string(lo) + "-d or " + std::to_string(hi))
     << "-d input to " << OpName(c.op) << ", got " << c.input.size() << "-d input " << FormatDims(c.input);
  return Violation(Rule::kInputRank, -1, os.str());
}

// Every dim but the batch must be non-empty (pool2d_shape_check: size(1), size(2), size(3) != 0
// for 4-d, all of them for 3-d; pool3d_shape_check: "non-batch dimensions ... positive length";
// the adaptive pools check the same).
Check CheckNonEmpty(const ConvCase& c) {
  const size_t first = c.input.size() == static_cast<size_t>(SpatialRank(c.op)) + 2 ? 1 : 0;
  for (size_t i = first; i < c.input.size(); ++i) {
    if (c.input[i] != 0) continue;
    const int rank = SpatialRank(c.op);
    const int spatial = static_cast<int>(i) - static_cast<int>(c.input.size()) + rank;
    return Violation(Rule::kEmptyInput, spatial >= 0 ? spatial : -1,
                     "input " + FormatDims(c.input) + " has an empty non-batch dimension");
  }
  return std::nullopt;
}

ShapeResult Finish(Dims shape) { return FittingShape(std::move(shape)); }

// The parameter checks of pooling_output_shape (Pool.h: stride != 0, pad >= 0,
// pad <= kernel/2) and pool2d/pool3d_shape_check (kernel > 0, stride > 0, dilation > 0), in
// that order. The pad limit is kernel/2, not the dilated kernel's: LibTorch 1.13.1's Pool.h and
// MaxPooling.cpp check `pad <= kernelSize / 2`, and pool3d_shape_check still checks `kT/2 >= pT`
// today. TF SAME pooling has no pad limit (its pads are derived).
Check CheckPoolParameters(const ConvCase& c, const Dims& stride) {
  const bool same = c.padding_kind == PaddingKind::kSame;
  for (size_t i = 0; i < c.kernel.size(); ++i) {
    const int d = static_cast<int>(i);
    if (stride[i] == 0) return Violation(Rule::kNonPositiveStride, d, "stride 0: stride should not be zero");
    if (same) continue;
    if (c.padding[i] < 0) return Violation(Rule::kNegativePadding, d, "padding " + Str(c.padding[i]) + " is negative");
    if (c.padding[i] > c.kernel[i] / 2) {
      return Violation(Rule::kPoolPaddingTooLarge, d,
                       "padding " + Str(c.padding[i]) + " exceeds half the kernel size " + Str(c.kernel[i]));
    }
  }
  for (size_t i = 0; i < c.kernel.size(); ++i) {
    const int d = static_cast<int>(i);
    if (c.kernel[i] <= 0) return Violation(Rule::kNonPositiveKernel, d, "kernel size " + Str(c.kernel[i]) + " is not positive");
    if (stride[i] <= 0) return Violation(Rule::kNonPositiveStride, d, "stride " + Str(stride[i]) + " is not positive");
    if (c.dilation[i] <= 0) return Violation(Rule::kNonPositiveDilation, d, "dilation " + Str(c.dilation[i]) + " is not positive");
  }
  return std::nullopt;
}

ShapeResult WindowPoolShape(const ConvCase& c) {
  const size_t rank = static_cast<size_t>(SpatialRank(c.op));
  if (Check v = CheckRank(c, rank + 1, rank + 2)) return ShapeResult::Invalid(*v);
  const bool avg = FamilyOf(c.op) == OpFamily::kAvgPool;
  // AveragePool2d.cpp / AveragePool3d.cpp: "divisor must be not zero", before any shape check.
  if (avg && c.divisor_override && *c.divisor_override == 0) {
    return ShapeResult::Invalid(Violation(Rule::kZeroDivisor, -1, "divisor_override must not be zero"));
  }
  const Dims stride = PoolStride(c);
  const Dims dilation = avg ? Dims(rank, 1) : c.dilation;
  ConvCase p = c;
  p.dilation = dilation;
  if (Check v = CheckPoolParameters(p, stride)) return ShapeResult::Invalid(*v);
  if (Check v = CheckNonEmpty(c)) return ShapeResult::Invalid(*v);
  const Dims x = SpatialInput(c);
  Dims shape(c.input.begin(), c.input.end() - static_cast<std::ptrdiff_t>(rank));
  for (size_t i = 0; i < rank; ++i) {
    const int d = static_cast<int>(i);
    // pool3d_shape_check(check_input_size=true), avg_pool3d only: the input, unpadded, must hold
    // the kernel.
    if (avg && rank == 3 && x[i] < c.kernel[i]) {
      return ShapeResult::Invalid(Violation(Rule::kKernelExceedsInput, d,
                                            "input size " + Str(x[i]) + " is smaller than kernel size " + Str(c.kernel[i])));
    }
    const PadPair pad = c.padding_kind == PaddingKind::kSame ? TfSamePoolPadding(x[i], c.kernel[i], stride[i], dilation[i])
                                                             : PadPair{c.padding[i], c.padding[i]};
    const bool ceil = c.padding_kind != PaddingKind::kSame && c.ceil_mode;
    const i128 out = PoolOutputSize(x[i], c.kernel[i], pad.left, pad.right, stride[i], dilation[i], ceil);
    if (out < 1) {
      return ShapeResult::Invalid(Violation(Rule::kEmptyOutput, d, "output size " + ToString(out) + " is too small"));
    }
    if (!FitsInt64(out)) return ShapeResult::Invalid(Violation(Rule::kOverflow, d, "output size " + ToString(out) + " exceeds int64"));
    shape.push_back(static_cast<int64_t>(out));
  }
  return Finish(shape);
}

// AdaptiveAveragePooling*.cpp / AdaptiveMaxPooling*.cpp: [C,*] or [N,C,*], non-batch dims
// non-empty, output_size entries not negative; the output is [.., C, *output_size].
ShapeResult AdaptivePoolShape(const ConvCase& c) {
  const size_t rank = static_cast<size_t>(SpatialRank(c.op));
  if (Check v = CheckRank(c, rank + 1, rank + 2)) return ShapeResult::Invalid(*v);
  for (size_t i = 0; i < c.output_size.size(); ++i) {
    if (c.output_size[i] < 0) {
      return ShapeResult::Invalid(Violation(Rule::kNegativeOutputSize, static_cast<int>(i),
                                            "output_size " + Str(c.output_size[i]) + " is negative"));
    }
  }
  if (Check v = CheckNonEmpty(c)) return ShapeResult::Invalid(*v);
  Dims shape(c.input.begin(), c.input.end() - static_cast<std::ptrdiff_t>(rank));
  shape.insert(shape.end(), c.output_size.begin(), c.output_size.end());
  return Finish(shape);
}

// torch.flatten (TensorShape.cpp flatten, maybe_wrap_dim): dims wrap in [-r, r-1] (a 0-d
// input counts as rank 1); "start_dim cannot come after end_dim".
ShapeResult FlattenShape(const ConvCase& c) {
  const int64_t r = std::max<int64_t>(static_cast<int64_t>(c.input.size()), 1);
  auto wrap = [&](int64_t d, const char* what, int64_t* out) -> Check {
    if (d < -r || d >= r) {
      return Violation(Rule::kFlattenDims, -1, std::string(what) + " " + Str(d) + " is out of range [" + Str(-r) + ", " + Str(r - 1) + "]");
    }
    *out = d < 0 ? d + r : d;
    return std::nullopt;
  };
  int64_t start = 0, end = 0;
  if (Check v = wrap(c.start_dim, "start_dim", &start)) return ShapeResult::Invalid(*v);
  if (Check v = wrap(c.end_dim, "end_dim", &end)) return ShapeResult::Invalid(*v);
  if (start > end) {
    return ShapeResult::Invalid(Violation(Rule::kFlattenDims, -1, "start_dim " + Str(c.start_dim) + " comes after end_dim " + Str(c.end_dim)));
  }
  if (c.input.empty()) return ShapeResult::Ok({1});
  Dims shape(c.input.begin(), c.input.begin() + start);
  i128 merged = 1;
  for (int64_t i = start; i <= end; ++i) {
    merged *= c.input[static_cast<size_t>(i)];
    if (!FitsInt64(merged)) return ShapeResult::Invalid(Violation(Rule::kOverflow, -1, "flattened size exceeds int64"));
  }
  shape.push_back(static_cast<int64_t>(merged));
  shape.insert(shape.end(), c.input.begin() + end + 1, c.input.end());
  return Finish(shape);
}

// nn.Linear: any input of rank >= 1 whose last dim is in_features; the last dim becomes
// out_features (torch/nn/modules/linear.py; at::linear -> matmul's size check).
ShapeResult LinearShape(const ConvCase& c) {
  if (c.input.empty()) return ShapeResult::Invalid(Violation(Rule::kInputRank, -1, "linear needs an input of rank 1 or more, got a 0-d input"));
  if (c.in_features && *c.in_features != c.input.back()) {
    return ShapeResult::Invalid(Violation(Rule::kFeatureMismatch, -1,
                                          "in_features " + Str(*c.in_features) + " does not match the input's last dim " +
                                              Str(c.input.back()) + " (input " + FormatDims(c.input) + ")"));
  }
  Dims shape = c.input;
  shape.back() = c.out_features;
  return Finish(shape);
}

// nn.BatchNorm1d/2d/3d _check_input_dim: 2-d or 3-d, 4-d, 5-d input; num_features = C.
ShapeResult BatchNormShape(const ConvCase& c) {
  const size_t rank = static_cast<size_t>(SpatialRank(c.op));
  if (Check v = CheckRank(c, rank == 1 ? 2 : rank + 2, rank + 2)) return ShapeResult::Invalid(*v);
  if (c.in_features && *c.in_features != c.input[1]) {
    return ShapeResult::Invalid(Violation(Rule::kFeatureMismatch, -1,
                                          "num_features " + Str(*c.in_features) + " does not match the input's channels " + Str(c.input[1])));
  }
  return ShapeResult::Ok(c.input);
}

}  // namespace

ShapeResult FittingShape(Dims shape) {
  i128 numel = 1;
  for (int64_t v : shape) {
    numel *= v;
    if (!FitsInt64(numel)) return ShapeResult::Invalid(Violation(Rule::kOverflow, -1, "output element count exceeds int64"));
  }
  return ShapeResult::Ok(std::move(shape));
}

__int128 PoolOutputSize(int64_t x, int64_t k, int64_t pad_left, int64_t pad_right, int64_t s, int64_t d,
                        bool ceil_mode) {
  const i128 numerator = static_cast<i128>(x) + pad_left + pad_right - static_cast<i128>(d) * (k - 1) - 1 +
                         (ceil_mode ? s - 1 : 0);
  i128 out = FloorDiv(numerator, s) + 1;
  // Pool.h: "ensure that the last pooling starts inside the image".
  if (ceil_mode && (out - 1) * s >= static_cast<i128>(x) + pad_left) --out;
  return out;
}

PadPair TfSamePoolPadding(int64_t x, int64_t k, int64_t s, int64_t d) {
  const i128 out = FloorDiv(static_cast<i128>(x) + s - 1, s);
  const i128 extent = static_cast<i128>(d) * (k - 1) + 1;
  i128 total = (out - 1) * s + extent - x;
  if (total < 0) total = 0;
  const i128 left = total / 2;
  // The pads are at most the kernel's extent, which fits int64 for any case the codec accepts.
  return {static_cast<int64_t>(left), static_cast<int64_t>(total - left)};
}

ShapeResult LayerOutputShape(const ConvCase& c) {
  switch (FamilyOf(c.op)) {
    case OpFamily::kMaxPool:
    case OpFamily::kAvgPool: return WindowPoolShape(c);
    case OpFamily::kAdaptiveAvgPool:
    case OpFamily::kAdaptiveMaxPool: return AdaptivePoolShape(c);
    case OpFamily::kFlatten: return FlattenShape(c);
    case OpFamily::kLinear: return LinearShape(c);
    case OpFamily::kBatchNorm: return BatchNormShape(c);
    case OpFamily::kElementwise: return ShapeResult::Ok(c.input);
    case OpFamily::kMaxUnpool:
    case OpFamily::kUpsample: return UpsamplerOutputShape(c);
    case OpFamily::kConv: break;
  }
  return OutputShape(c);
}

}  // namespace convcheck
