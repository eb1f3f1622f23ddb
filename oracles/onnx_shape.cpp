#include "oracles/onnx_shape.h"

#include <algorithm>
#include <sstream>

#include "oracles/shape_checks.h"

namespace convcheck {
namespace {

i128 Extent(int64_t k, int64_t d) { return static_cast<i128>(d) * (k - 1) + 1; }

// ONNX's X is (N x C x D1 x ... x Dn): there is no unbatched form.
Check CheckBatchedInput(const ConvCase& c) {
  const size_t r = static_cast<size_t>(SpatialRank(c.op));
  if (c.input.size() == r + 2) return std::nullopt;
  return Violation(Rule::kInputRank, -1,
                   "ONNX " + std::string(IsTransposed(c.op) ? "ConvTranspose" : "Conv") + " expects a " +
                       std::to_string(r + 2) + "-d input (N, C, D1, ...), got " + FormatDims(c.input));
}

// The Conv/ConvTranspose `pads` text (onnx/defs/nn/defs.cc, pads_doc): pads "cannot be used
// simultaneously with auto_pad attribute"; and pads are never negative.
Check CheckPads(const ConvCase& c) {
  const Dims& end = PaddingEnd(c);
  for (size_t i = 0; i < c.padding.size() && i < end.size(); ++i) {
    if (*c.auto_pad != AutoPad::kNotSet && (c.padding[i] != 0 || end[i] != 0)) {
      return Violation(Rule::kPadsWithAutoPad, static_cast<int>(i),
                       "pads (" + std::to_string(c.padding[i]) + ", " + std::to_string(end[i]) +
                           ") given with auto_pad " + AutoPadName(*c.auto_pad) + ": ONNX allows one or the other");
    }
    if (end[i] < 0) {
      return Violation(Rule::kNegativePadding, static_cast<int>(i), "end pad " + std::to_string(end[i]) + " is negative");
    }
  }
  return std::nullopt;
}

Check ConvDim(const ConvCase& c, size_t i, int64_t x, int64_t k, i128* out) {
  const int64_t s = c.stride[i], d = c.dilation[i];
  const OnnxPads p = OnnxConvPads(*c.auto_pad, x, k, s, d, c.padding[i], PaddingEnd(c)[i]);
  const i128 padded = static_cast<i128>(x) + p.begin + p.end;
  if (padded < Extent(k, d)) {
    return Violation(Rule::kKernelExceedsInput, static_cast<int>(i),
                     "kernel extent " + ToString(Extent(k, d)) + " exceeds padded input " + ToString(padded));
  }
  *out = FloorDiv(padded - Extent(k, d), s) + 1;
  return std::nullopt;
}

Check ConvTransposeDim(const ConvCase& c, size_t i, int64_t x, int64_t k, i128* out) {
  const int64_t s = c.stride[i], d = c.dilation[i], op = c.output_padding[i];
  if (Check v = CheckOutputPadding(static_cast<int>(i), op, s, d)) return v;
  const int64_t* shape = c.output_shape ? &(*c.output_shape)[i] : nullptr;
  *out = OnnxConvTransposeOutputSize(*c.auto_pad, x, k, s, d, op, c.padding[i], PaddingEnd(c)[i], shape);
  return CheckPositiveOutput(static_cast<int>(i), out);
}

ShapeResult SpatialShape(const ConvCase& c, const Dims& w) {
  const Dims x = SpatialInput(c);
  const bool transposed = IsTransposed(c.op);
  Dims shape = {c.input[0], transposed ? w[1] * c.groups : w[0]};
  i128 numel = static_cast<i128>(shape[0]) * shape[1];
  for (size_t i = 0; i < x.size(); ++i) {
    i128 out = 0;
    const Check bad = transposed ? ConvTransposeDim(c, i, x[i], w[i + 2], &out) : ConvDim(c, i, x[i], w[i + 2], &out);
    if (bad) return ShapeResult::Invalid(*bad);
    if (!FitsInt64(out)) {
      return ShapeResult::Invalid(Violation(Rule::kOverflow, static_cast<int>(i), "output size " + ToString(out) + " exceeds int64"));
    }
    numel *= out;  // both factors fit int64: the product fits 128 bits
    if (!FitsInt64(numel)) {
      return ShapeResult::Invalid(Violation(Rule::kOverflow, static_cast<int>(i), "output element count exceeds int64"));
    }
    shape.push_back(static_cast<int64_t>(out));
  }
  return ShapeResult::Ok(shape);
}

}  // namespace

OnnxPads OnnxConvPads(AutoPad mode, int64_t x, int64_t k, int64_t s, int64_t d, int64_t begin, int64_t end) {
  switch (mode) {
    case AutoPad::kNotSet: return {begin, end};
    case AutoPad::kValid: return {};
    case AutoPad::kSameUpper:
    case AutoPad::kSameLower: break;
  }
  const i128 out = FloorDiv(static_cast<i128>(x) + s - 1, s);  // ceil(x/s)
  const i128 total = std::max<i128>((out - 1) * s + Extent(k, d) - x, 0);
  const i128 small = total / 2;
  return mode == AutoPad::kSameUpper ? OnnxPads{small, total - small} : OnnxPads{total - small, small};
}

__int128 OnnxConvTransposeOutputSize(AutoPad mode, int64_t x, int64_t k, int64_t s, int64_t d, int64_t op,
                                     int64_t begin, int64_t end, const int64_t* output_shape) {
  // The opset-11 text: "output_shape can also be explicitly specified in which case pads values
  // are auto generated"; "SAME_UPPER or SAME_LOWER mean pad the input so that
  // output_shape[i] = input_shape[i] * strides[i]" (test_convtranspose_autopad_same: 3 → 6).
  if (output_shape) return *output_shape;
  if (mode == AutoPad::kSameUpper || mode == AutoPad::kSameLower) return static_cast<i128>(x) * s;
  const i128 full = (static_cast<i128>(x) - 1) * s + op + Extent(k, d);
  return mode == AutoPad::kValid ? full : full - begin - end;
}

ShapeResult OnnxOutputShape(const ConvCase& c) {
  if (Check v = CheckBatchedInput(c)) return ShapeResult::Invalid(*v);
  if (Check v = CheckModuleRules(c)) return ShapeResult::Invalid(*v);
  if (Check v = CheckPads(c)) return ShapeResult::Invalid(*v);
  if (Check v = CheckParameterSigns(c)) return ShapeResult::Invalid(*v);
  const Dims w = WeightShape(c);
  if (Check v = CheckWeight(c, w)) return ShapeResult::Invalid(*v);
  return SpatialShape(c, w);
}

std::vector<std::string> ExplainOnnxShape(const ConvCase& c) {
  const bool transposed = IsTransposed(c.op);
  const Dims w = WeightShape(c), x = SpatialInput(c);
  std::vector<std::string> lines = {std::string(OpName(c.op)) + " in ONNX terms (opset 11), auto_pad " + AutoPadName(*c.auto_pad) +
                                    ", input " + FormatDims(c.input) + ", W " + FormatDims(w)};
  lines.push_back(transposed ? "formula: out = output_shape if given; SAME_*: x·s; else (x−1)·s + output_padding + d·(k−1) + 1 − begin − end"
                             : "formula: out = floor((x + begin + end − d·(k−1) − 1)/s) + 1; SAME_*: pads make it ceil(x/s)");
  const ShapeResult r = OutputShape(c);
  const bool computable = w.size() == x.size() + 2 && c.stride.size() == x.size() && PaddingEnd(c).size() == x.size();
  for (size_t i = 0; computable && i < x.size(); ++i) {
    if (c.stride[i] <= 0) continue;  // the formula is undefined; the rule line says why
    std::ostringstream os;
    os << "dim " << i << ": ";
    if (transposed) {
      const int64_t* shape = c.output_shape && i < c.output_shape->size() ? &(*c.output_shape)[i] : nullptr;
      os << "x " << x[i] << ", s " << c.stride[i] << ", output_padding " << c.output_padding[i] << " → "
         << ToString(OnnxConvTransposeOutputSize(*c.auto_pad, x[i], w[i + 2], c.stride[i], c.dilation[i], c.output_padding[i],
                                                 c.padding[i], PaddingEnd(c)[i], shape));
    } else {
      const OnnxPads p = OnnxConvPads(*c.auto_pad, x[i], w[i + 2], c.stride[i], c.dilation[i], c.padding[i], PaddingEnd(c)[i]);
      const i128 num = static_cast<i128>(x[i]) + p.begin + p.end - Extent(w[i + 2], c.dilation[i]);
      os << "pads (" << ToString(p.begin) << ", " << ToString(p.end) << "); floor(" << ToString(num) << "/" << c.stride[i]
         << ") + 1 = " << ToString(FloorDiv(num, c.stride[i]) + 1);
    }
    lines.push_back(os.str());
  }
  lines.push_back(r.ok() ? "output: " + FormatDims(r.shape())
                         : std::string("invalid: ") + RuleName(r.violation().rule) + ": " + r.violation().message);
  return lines;
}

}  // namespace convcheck
