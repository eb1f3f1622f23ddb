#include "oracles/layer_explain.h"
#include "oracles/layer_ops.h"
#include "oracles/explain.h"

#include <sstream>

#include "oracles/int128.h"
#include "oracles/onnx_shape.h"
#include "oracles/output_shape.h"
#include "oracles/round_trip.h"

namespace convcheck {
namespace {

// "12.5" for 25/2, "12" for 24/2: the exact quotient, to show what the floor removes.
std::string Quotient(i128 num, i128 den) {
  const i128 whole = FloorDiv(num, den);
  const i128 rem = num - whole * den;
  if (rem == 0) return ToString(whole);
  // Up to 3 decimals is enough to show a fraction is there.
  std::string frac;
  i128 r = rem;
  for (int i = 0; i < 3 && r != 0; ++i) {
    r *= 10;
    frac.push_back(static_cast<char>('0' + static_cast<int>(r / den)));
    r %= den;
  }
  return ToString(whole) + "." + frac + (r != 0 ? "…" : "");
}

// Why a dim comes out the size it does, when there is a simple reason: the one practitioners
// look for is "this layer keeps the size"; otherwise an exact scale by the stride.
std::string SizeReason(const ConvCase& c, size_t i, int64_t x, int64_t k, int64_t out) {
  const int64_t s = c.stride[i], d = c.dilation[i], extent = d * (k - 1);
  const bool transposed = IsTransposed(c.op);
  if (out == x && s == 1) {
    if (c.padding_kind == PaddingKind::kSame) return "padding='same' with stride 1 keeps the size";
    if (extent == 0) return "a kernel of extent 1 with stride 1 and no padding keeps the size";
    const std::string formula = d == 1 ? "(k−1)/2" : "d·(k−1)/2";
    return "padding " + formula + " = " + std::to_string(c.padding[i]) + (transposed ? " with stride 1 (transposed)" : " with stride 1") +
           " keeps the size";
  }
  if (out == x) return "keeps the size";
  if (s > 1 && !transposed && out * s == x) return "stride " + std::to_string(s) + " divides the size by " + std::to_string(s);
  if (s > 1 && transposed && x * s == out) return "stride " + std::to_string(s) + " multiplies the size by " + std::to_string(s);
  return "";
}

}  // namespace

std::string ExplainConvDim(int64_t x, int64_t pad_left, int64_t pad_right, int64_t k, int64_t s,
                           int64_t d) {
  std::ostringstream os;
  os << "(" << x;
  if (pad_left == pad_right) os << " + 2·" << pad_left;
  else os << " + " << pad_left << " + " << pad_right;
  os << " − " << d << "·(" << k << "−1) − 1)/" << s << " + 1";
  const i128 num = static_cast<i128>(x) + pad_left + pad_right - static_cast<i128>(d) * (k - 1) - 1;
  const i128 out = ConvOutputSize(x, pad_left, pad_right, k, s, d);
  if (num % s == 0) {
    os << " = " << ToString(num) << "/" << s << " + 1 = " << ToString(out);
  } else {
    const i128 whole = FloorDiv(num, s);
    os << " = " << ToString(num) << "/" << s << " + 1 = " << Quotient(num + s, s)
       << " → floor → " << ToString(whole + 1);
  }
  return os.str();
}

std::string ExplainConvTransposeDim(int64_t x, int64_t k, int64_t s, int64_t p, int64_t d,
                                    int64_t op) {
  std::ostringstream os;
  os << "(" << x << "−1)·" << s << " − 2·" << p << " + " << d << "·(" << k << "−1) + " << op
     << " + 1 = " << ToString(ConvTransposeOutputSize(x, k, s, p, d, op));
  return os.str();
}

std::vector<std::string> ExplainShape(const ConvCase& c) {
  if (!IsConvOp(c.op)) return ExplainLayerShape(c);
  if (IsOnnxGeometry(c)) return ExplainOnnxShape(c);
  std::vector<std::string> lines;
  const ShapeResult r = OutputShape(c);
  lines.push_back(std::string(OpName(c.op)) + " input " + FormatDims(c.input) + ", weight " +
                  FormatDims(WeightShape(c)) + (IsBatched(c) ? " (batched)" : " (unbatched)"));
  const Dims x = SpatialInput(c);
  const Dims w = WeightShape(c);
  const bool transposed = IsTransposed(c.op);
  lines.push_back(transposed ? "formula: out = (x−1)·s − 2·p + d·(k−1) + output_padding + 1"
                             : "formula: out = floor((x + p_left + p_right − d·(k−1) − 1)/s) + 1");
  if (c.padding_kind == PaddingKind::kSame) {
    lines.push_back("padding=\"same\": total d·(k−1) per dim, left = total/2, extra on the right");
  }
  const std::vector<PadPair> pads = EffectivePadding(c);
  const bool computable = x.size() == c.kernel.size() && w.size() == x.size() + 2;
  const int rank = SpatialRank(c.op);
  for (size_t i = 0; computable && i < x.size(); ++i) {
    if (c.stride[i] <= 0) continue;  // the formula is undefined; the rule line says why
    std::string body =
        transposed ? ExplainConvTransposeDim(x[i], w[i + 2], c.stride[i], c.padding[i],
                                             c.dilation[i], c.output_padding[i])
                   : ExplainConvDim(x[i], pads[i].left, pads[i].right, w[i + 2], c.stride[i],
                                    c.dilation[i]);
    // Spatial dims by their letter: "dim 0" reads as N in a tensor.
    if (r.ok()) {
      const int64_t out = r.shape()[r.shape().size() - x.size() + i];
      const std::string why = SizeReason(c, i, x[i], w[i + 2], out);
      if (!why.empty()) body += "  (" + why + ")";
    }
    lines.push_back(DimLetter(rank, static_cast<int>(i)) + ": " + body);
  }
  if (r.ok()) {
    lines.push_back("output: " + FormatDims(r.shape()));
  } else {
    lines.push_back(std::string("invalid: ") + RuleName(r.violation().rule) + ": " +
                    r.violation().message);
  }
  return lines;
}

std::vector<std::string> ExplainRoundTrip(const ConvCase& conv) {
  const RoundTripResult rt = RoundTripPadding(conv);
  if (rt.block == RoundTripBlock::kInvalidConv || rt.block == RoundTripBlock::kNotAConvolution) {
    return {std::string("no round trip: ") + RoundTripBlockName(rt.block) + ": " + rt.violation->message};
  }
  std::vector<std::string> lines;
  const Dims w = WeightShape(conv);
  const std::vector<PadPair> pads = EffectivePadding(conv);
  const int rank = SpatialRank(conv.op);
  for (size_t i = 0; i < rt.dims.size(); ++i) {
    const DimRoundTrip& d = rt.dims[i];
    const int64_t k = w[i + 2], s = conv.stride[i], dil = conv.dilation[i];
    const i128 num = static_cast<i128>(d.input) + pads[i].left + pads[i].right - static_cast<i128>(dil) * (k - 1) - 1;
    std::ostringstream os;
    os << DimLetter(rank, static_cast<int>(i)) << ": conv "
       << ExplainConvDim(d.input, pads[i].left, pads[i].right, k, s, dil) << "; convT "
       << ExplainConvTransposeDim(d.conv_output, k, s, d.transpose_padding, dil, 0)
       << "; output_padding = " << d.input << " − " << d.transpose_output << " = " << d.output_padding
       << " (the floor dropped " << ToString(num) << " mod " << s << " = " << ToString(num - FloorDiv(num, s) * s) << ")";
    lines.push_back(os.str());
  }
  if (!rt.ok()) lines.push_back(std::string("no round trip: ") + RoundTripBlockName(rt.block) + ": " + rt.violation->message);
  return lines;
}

}  // namespace convcheck
