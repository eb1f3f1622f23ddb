#include "oracles/output_shape.h"

#include <sstream>

#include "oracles/int128.h"
#include "oracles/last_case.h"
#include "oracles/layer_ops.h"
#include "oracles/layer_shape.h"
#include "oracles/onnx_shape.h"
#include "oracles/shape_checks.h"

namespace convcheck {

RuleViolation Violation(Rule rule, int dim, const std::string& message) {
  return RuleViolation{rule, dim, dim >= 0 ? "dim " + std::to_string(dim) + ": " + message
                                           : message};
}

Check CheckInputRank(const ConvCase& c) {
  const size_t r = static_cast<size_t>(SpatialRank(c.op));
  if (c.input.size() == r + 1 || c.input.size() == r + 2) return std::nullopt;
  std::ostringstream os;
  os << "expected " << r + 1 << "-d (unbatched) or " << r + 2 << "-d (batched) input to "
     << OpName(c.op) << ", got " << c.input.size() << "-d input " << FormatDims(c.input);
  return Violation(Rule::kInputRank, -1, os.str());
}

// Rules of the nn.Conv*/nn.ConvTranspose* modules that run before any tensor work.
Check CheckModuleRules(const ConvCase& c) {
  if (IsTransposed(c.op) && c.padding_mode != PaddingMode::kZeros) {
    return Violation(Rule::kPaddingModeTransposed, -1,
                     std::string("padding_mode \"") + PaddingModeName(c.padding_mode) +
                         "\": transposed convolutions accept only \"zeros\"");
  }
  if (c.groups <= 0) {
    return Violation(Rule::kNonPositiveGroups, -1,
                     "groups " + std::to_string(c.groups) + " must be positive");
  }
  // nn.ConvTranspose*d (torch/nn/modules/conv.h, ConvNdImpl::reset) checks in_channels % groups
  // before out_channels % groups; in_channels is the weight's dim 0, so it is a weight rule.
  const int64_t in = InChannels(c);
  if (IsTransposed(c.op) && !c.weight_shape && c.out_channels % c.groups != 0 && in % c.groups != 0) {
    return Violation(in < c.groups ? Rule::kWeightBelowGroups : Rule::kWeightNotDivisible, -1,
                     "in_channels " + std::to_string(in) + " is not divisible by groups " +
                         std::to_string(c.groups));
  }
  if (IsTransposed(c.op) && !c.weight_shape && c.out_channels % c.groups != 0) {
    return Violation(Rule::kOutChannelsNotDivisible, -1,
                     "out_channels " + std::to_string(c.out_channels) +
                         " is not divisible by groups " + std::to_string(c.groups));
  }
  if (c.padding_kind == PaddingKind::kSame) {
    for (size_t i = 0; i < c.stride.size(); ++i) {
      if (c.stride[i] != 1) {
        return Violation(Rule::kSameWithStride, static_cast<int>(i),
                         "padding=\"same\" needs stride 1, got " + std::to_string(c.stride[i]));
      }
    }
  }
  return std::nullopt;
}

// Per-dim parameter signs, as Convolution.cpp check_shape_forward orders them.
Check CheckParameterSigns(const ConvCase& c) {
  struct Param {
    const Dims& values;
    int64_t min;
    Rule rule;
    const char* what;
  };
  const Param params[] = {
      {c.padding, 0, Rule::kNegativePadding, "padding"},
      {c.output_padding, 0, Rule::kNegativeOutputPadding, "output_padding"},
      {c.stride, 1, Rule::kNonPositiveStride, "stride"},
      {c.dilation, 1, Rule::kNonPositiveDilation, "dilation"},
  };
  for (const Param& p : params) {
    for (size_t i = 0; i < p.values.size(); ++i) {
      if (p.values[i] < p.min) {
        return Violation(p.rule, static_cast<int>(i),
                         std::string(p.what) + " " + std::to_string(p.values[i]) +
                             (p.min == 0 ? " is negative" : " is not positive"));
      }
    }
  }
  return std::nullopt;
}

Check CheckWeight(const ConvCase& c, const Dims& w) {
  if (w.size() != c.input.size() + (IsBatched(c) ? 0 : 1)) {
    return Violation(Rule::kWeightRank, -1,
                     "weight " + FormatDims(w) + " must have rank " +
                         std::to_string(SpatialRank(c.op) + 2));
  }
  const std::string g = std::to_string(c.groups);
  if (w[0] < c.groups) {
    return Violation(Rule::kWeightBelowGroups, -1,
                     "weight.size(0)=" + std::to_string(w[0]) + " is below groups " + g);
  }
  if (w[0] % c.groups != 0) {
    return Violation(Rule::kWeightNotDivisible, -1,
                     "weight.size(0)=" + std::to_string(w[0]) + " is not divisible by groups " + g);
  }
  const int64_t in = InChannels(c);
  const i128 expected = IsTransposed(c.op) ? w[0] : static_cast<i128>(w[1]) * c.groups;
  if (expected != in) {
    return Violation(Rule::kChannelMismatch, -1,
                     "weight " + FormatDims(w) + " with groups " + g + " expects " +
                         ToString(expected) + " input channels, got " + std::to_string(in));
  }
  for (size_t i = 2; i < w.size(); ++i) {
    if (w[i] <= 0) {
      return Violation(Rule::kNonPositiveKernel, static_cast<int>(i - 2),
                       "kernel size " + std::to_string(w[i]) + " is not positive");
    }
  }
  return std::nullopt;
}

// scripts/mutants.tsv mutates these two conditions by their exact text.
Check CheckOutputPadding(int dim, int64_t op, int64_t s, int64_t d) {
  if (op >= s && op >= d) {
    return Violation(Rule::kOutputPaddingTooLarge, dim,
                     "output_padding " + std::to_string(op) + " must be smaller than stride " +
                         std::to_string(s) + " or dilation " + std::to_string(d));
  }
  return std::nullopt;
}

Check CheckPositiveOutput(int dim, const i128* out) {
  if (*out <= 0) {
    return Violation(Rule::kEmptyOutput, dim,
                     "output size " + ToString(*out) + " is not positive");
  }
  return std::nullopt;
}

namespace {

// torch.nn.functional.pad limits for the non-zero padding modes (applied before the conv).
Check CheckPaddingModeLimits(const ConvCase& c, const std::vector<PadPair>& pads) {
  if (c.padding_mode == PaddingMode::kZeros) return std::nullopt;
  const Dims x = SpatialInput(c);
  for (size_t i = 0; i < pads.size(); ++i) {
    const int64_t p = std::max(pads[i].left, pads[i].right);
    const bool bad = c.padding_mode == PaddingMode::kReflect   ? p >= x[i] && p > 0
                     : c.padding_mode == PaddingMode::kCircular ? p > x[i]
                                                                : p > 0 && x[i] == 0;
    if (bad) {
      return Violation(Rule::kPaddingModeTooLarge, static_cast<int>(i),
                       std::string(PaddingModeName(c.padding_mode)) + " padding " +
                           std::to_string(p) + " does not fit input size " +
                           std::to_string(x[i]));
    }
  }
  return std::nullopt;
}

// Convolution.cpp (_convolution): an input with elements in batch and channels but a zero-sized
// spatial dim is refused ("Only zero batch or zero channel inputs are supported").
Check CheckEmptyInput(const ConvCase& c) {
  const Dims x = SpatialInput(c);
  const int64_t batch = IsBatched(c) ? c.input[0] : 1;
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i] == 0 && batch > 0 && InChannels(c) > 0) {
      return Violation(Rule::kEmptyInput, static_cast<int>(i),
                       "input size 0 with non-empty batch and channels");
    }
  }
  return std::nullopt;
}

Check CheckConvDim(int dim, int64_t x, PadPair pad, int64_t k, int64_t s, int64_t d, i128* out) {
  const i128 padded = static_cast<i128>(x) + pad.left + pad.right;
  const i128 extent = static_cast<i128>(d) * (k - 1) + 1;
  if (padded < extent) {
    return Violation(Rule::kKernelExceedsInput, dim,
                     "kernel extent " + ToString(extent) + " exceeds padded input " +
                         ToString(padded));
  }
  *out = ConvOutputSize(x, pad.left, pad.right, k, s, d);
  return std::nullopt;
}

Check CheckConvTransposeDim(int dim, int64_t x, int64_t k, int64_t s, int64_t p, int64_t d,
                            int64_t op, i128* out) {
  if (Check v = CheckOutputPadding(dim, op, s, d)) return v;
  *out = ConvTransposeOutputSize(x, k, s, p, d, op);
  return CheckPositiveOutput(dim, out);
}

ShapeResult SpatialShape(const ConvCase& c, const Dims& w, const std::vector<PadPair>& pads) {
  const Dims x = SpatialInput(c);
  const int rank = SpatialRank(c.op);
  const bool transposed = IsTransposed(c.op);
  Dims shape;
  if (IsBatched(c)) shape.push_back(c.input[0]);
  shape.push_back(transposed ? w[1] * c.groups : w[0]);
  i128 numel = 1;
  for (const int64_t v : shape) numel *= v;
  for (int i = 0; i < rank; ++i) {
    const size_t u = static_cast<size_t>(i);
    const int64_t k = w[u + 2];
    i128 out = 0;
    const Check bad =
        transposed ? CheckConvTransposeDim(i, x[u], k, c.stride[u], c.padding[u], c.dilation[u],
                                           c.output_padding[u], &out)
                   : CheckConvDim(i, x[u], pads[u], k, c.stride[u], c.dilation[u], &out);
    if (bad) return ShapeResult::Invalid(*bad);
    if (!FitsInt64(out)) {
      return ShapeResult::Invalid(
          Violation(Rule::kOverflow, i, "output size " + ToString(out) + " exceeds int64"));
    }
    shape.push_back(static_cast<int64_t>(out));
    numel *= out;
    if (!FitsInt64(numel)) {
      return ShapeResult::Invalid(
          Violation(Rule::kOverflow, i, "output element count exceeds int64"));
    }
  }
  return ShapeResult::Ok(shape);
}

}  // namespace

__int128 ConvOutputSize(int64_t x, int64_t pad_left, int64_t pad_right, int64_t k, int64_t s,
                        int64_t d) {
  const i128 numerator =
      static_cast<i128>(x) + pad_left + pad_right - static_cast<i128>(d) * (k - 1) - 1;
  return FloorDiv(numerator, s) + 1;
}

__int128 ConvTransposeOutputSize(int64_t x, int64_t k, int64_t s, int64_t p, int64_t d,
                                 int64_t op) {
  return (static_cast<i128>(x) - 1) * s - 2 * static_cast<i128>(p) +
         static_cast<i128>(d) * (k - 1) + op + 1;
}

std::vector<PadPair> EffectivePadding(const ConvCase& c) {
  std::vector<PadPair> pads;
  // Only "same" needs the kernel extents, from the weight shape (built anew on each call).
  const Dims w = c.padding_kind == PaddingKind::kSame ? WeightShape(c) : Dims();
  for (size_t i = 0; i < c.padding.size(); ++i) {
    if (c.padding_kind == PaddingKind::kSame && i + 2 < w.size()) {
      const i128 total = static_cast<i128>(c.dilation[i]) * (w[i + 2] - 1);
      const i128 left = total / 2;
      pads.push_back({static_cast<int64_t>(left), static_cast<int64_t>(total - left)});
    } else {
      pads.push_back({c.padding[i], c.padding[i]});
    }
  }
  return pads;
}

namespace {

ShapeResult ComputeOutputShape(const ConvCase& c) {
  if (!IsConvOp(c.op)) return LayerOutputShape(c);
  if (IsOnnxGeometry(c)) return OnnxOutputShape(c);
  if (Check v = CheckInputRank(c)) return ShapeResult::Invalid(*v);
  if (Check v = CheckModuleRules(c)) return ShapeResult::Invalid(*v);
  if (Check v = CheckParameterSigns(c)) return ShapeResult::Invalid(*v);
  const Dims w = WeightShape(c);
  if (Check v = CheckWeight(c, w)) return ShapeResult::Invalid(*v);
  const std::vector<PadPair> pads = EffectivePadding(c);
  if (Check v = CheckPaddingModeLimits(c, pads)) return ShapeResult::Invalid(*v);
  // A transposed conv checks its output size and output_padding in the kernel
  // (slow_conv_transpose*_shape_check), after _convolution's select_conv_backend has refused an
  // empty input; a conv checks the kernel extent in check_shape_forward, before it.
  if (IsTransposed(c.op)) {
    if (Check v = CheckEmptyInput(c)) return ShapeResult::Invalid(*v);
  }
  ShapeResult shape = SpatialShape(c, w, pads);
  if (shape.ok()) {
    if (Check v = CheckEmptyInput(c)) return ShapeResult::Invalid(*v);
  }
  return shape;
}

}  // namespace

ShapeResult OutputShape(const ConvCase& c) {
  thread_local LastCase<ShapeResult> last;
  return last.Get(c, [&] { return ComputeOutputShape(c); });
}

}  // namespace convcheck
