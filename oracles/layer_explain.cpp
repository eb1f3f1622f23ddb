#include "oracles/layer_explain.h"

#include <sstream>

#include "oracles/int128.h"
#include "oracles/layer_ops.h"
#include "oracles/layer_shape.h"
#include "oracles/round_trip.h"

namespace convcheck {
namespace {

std::string PoolDim(const ConvCase& c, size_t i, int64_t x, int64_t s, int64_t d) {
  const int64_t k = c.kernel[i];
  const bool same = c.padding_kind == PaddingKind::kSame;
  const PadPair pad = same ? TfSamePoolPadding(x, k, s, d) : PadPair{c.padding[i], c.padding[i]};
  const bool ceil = !same && c.ceil_mode;
  const i128 num = static_cast<i128>(x) + pad.left + pad.right - static_cast<i128>(d) * (k - 1) - 1 + (ceil ? s - 1 : 0);
  std::ostringstream os;
  os << "floor((" << x << " + " << pad.left << " + " << pad.right << " − " << d << "·(" << k << "−1) − 1"
     << (ceil ? " + (" + std::to_string(s) + "−1)" : "") << ")/" << s << ") + 1 = " << ToString(FloorDiv(num, s) + 1);
  const i128 out = PoolOutputSize(x, k, pad.left, pad.right, s, d, ceil);
  if (ceil && out != FloorDiv(num, s) + 1) {
    os << " → " << ToString(out) << " (the last window would start at " << ToString(FloorDiv(num, s) * s)
       << " ≥ input + left padding " << x + pad.left << ")";
  }
  if (same) os << "  (TF SAME: ceil(" << x << "/" << s << "), pads " << pad.left << " left, " << pad.right << " right)";
  return os.str();
}

}  // namespace

std::vector<std::string> ExplainLayerShape(const ConvCase& c) {
  std::vector<std::string> lines;
  const ShapeResult r = OutputShape(c);
  lines.push_back(std::string(OpName(c.op)) + " input " + FormatDims(c.input));
  if (IsWindowPool(c.op)) {
    lines.push_back(c.ceil_mode && c.padding_kind != PaddingKind::kSame
                        ? "formula: out = floor((x + 2p − d·(k−1) − 1 + (s−1))/s) + 1, minus 1 if the last window starts at or past x + p"
                        : "formula: out = floor((x + p_left + p_right − d·(k−1) − 1)/s) + 1");
    const Dims x = SpatialInput(c);
    const Dims stride = PoolStride(c);
    const bool avg = FamilyOf(c.op) == OpFamily::kAvgPool;
    const int rank = SpatialRank(c.op);
    for (size_t i = 0; i < x.size() && i < c.kernel.size(); ++i) {
      if (stride[i] <= 0) continue;
      lines.push_back(DimLetter(rank, static_cast<int>(i)) + ": " + PoolDim(c, i, x[i], stride[i], avg ? 1 : c.dilation[i]));
    }
  }
  if (r.ok()) {
    lines.push_back("output: " + FormatDims(r.shape()));
  } else {
    lines.push_back(std::string("invalid: ") + RuleName(r.violation().rule) + ": " + r.violation().message);
  }
  return lines;
}

}  // namespace convcheck
