#include "oracles/round_trip.h"

#include <map>
#include <sstream>

#include "oracles/int128.h"
#include "oracles/output_shape.h"

namespace convcheck {
namespace {

// The symmetric padding the transposed conv uses. "same" with an odd total d(k−1) cannot be
// mirrored symmetrically; the larger (right) half is taken, leaving one element to
// output_padding, which PyTorch accepts only when dilation > 1 (stride is 1 for "same").
int64_t TransposePadding(const ConvCase& c, const std::vector<PadPair>& pads, size_t i) {
  if (c.padding_kind == PaddingKind::kSame) return pads[i].right;
  if (c.padding_kind == PaddingKind::kValid) return 0;
  return c.padding[i];
}

// output_padding needed for input size x in dim i: ((x + P − E) mod s) + (2·p_T − P).
i128 NeededOutputPadding(i128 x, i128 pad_total, i128 extent, int64_t s, int64_t p_t) {
  i128 r = (x + pad_total - extent) % s;
  if (r < 0) r += s;
  return r + 2 * static_cast<i128>(p_t) - pad_total;
}

std::string ResidueList(const std::vector<int64_t>& residues, int64_t s, const std::string& h) {
  std::ostringstream os;
  if (s == 2) return residues[0] == 0 ? h + " is even" : h + " is odd";
  os << h << " ≡ ";
  for (size_t i = 0; i < residues.size(); ++i) os << (i ? ", " : "") << residues[i];
  os << " (mod " << s << ")";
  return os.str();
}

}  // namespace

const char* RoundTripBlockName(RoundTripBlock b) {
  switch (b) {
    case RoundTripBlock::kNone: return "none";
    case RoundTripBlock::kInvalidConv: return "invalid_conv";
    case RoundTripBlock::kNotAConvolution: return "not_a_convolution";
    case RoundTripBlock::kOutputPaddingTooLarge: return "output_padding_too_large";
  }
  return "?";
}

std::string DimLetter(int rank, int dim) {
  static const char* kNames[3][3] = {{"L", "", ""}, {"H", "W", ""}, {"D", "H", "W"}};
  if (rank < 1 || rank > 3 || dim < 0 || dim >= rank) return "x" + std::to_string(dim);
  return kNames[rank - 1][dim];
}

Dims RoundTripResult::OutputPadding() const {
  Dims op;
  for (const DimRoundTrip& d : dims) op.push_back(d.output_padding);
  return op;
}

ConvCase InverseCase(const ConvCase& conv, const Dims& conv_output, const Dims& output_padding) {
  const Dims w = WeightShape(conv);
  const std::vector<PadPair> pads = EffectivePadding(conv);
  ConvCase t = conv;
  t.op = Transposed(conv.op);
  t.input = conv_output;
  t.out_channels = InChannels(conv);
  t.kernel = Dims(w.begin() + 2, w.end());
  for (size_t i = 0; i < t.padding.size(); ++i) t.padding[i] = TransposePadding(conv, pads, i);
  t.padding_kind = PaddingKind::kExplicit;
  t.padding_mode = PaddingMode::kZeros;
  t.output_padding = output_padding;
  t.weight_shape.reset();
  return t;
}

RoundTripResult RoundTripPadding(const ConvCase& conv) {
  RoundTripResult r;
  if (IsTransposed(conv.op)) {
    r.block = RoundTripBlock::kNotAConvolution;
    r.violation = RuleViolation{Rule::kInputRank, -1,
                                std::string(OpName(conv.op)) + " is already transposed; give the convolution"};
    return r;
  }
  const ShapeResult y = OutputShape(conv);
  if (!y.ok()) {
    r.block = RoundTripBlock::kInvalidConv;
    r.violation = y.violation();
    return r;
  }
  const Dims x = SpatialInput(conv);
  const Dims w = WeightShape(conv);
  const std::vector<PadPair> pads = EffectivePadding(conv);
  const size_t rank = x.size();
  for (size_t i = 0; i < rank; ++i) {
    DimRoundTrip d;
    d.input = x[i];
    d.conv_output = y.shape()[y.shape().size() - rank + i];
    d.transpose_padding = TransposePadding(conv, pads, i);
    const i128 z0 = ConvTransposeOutputSize(d.conv_output, w[i + 2], conv.stride[i],
                                            d.transpose_padding, conv.dilation[i], 0);
    d.transpose_output = static_cast<int64_t>(z0);  // 0 < z0 <= x + 1: fits
    d.output_padding = static_cast<int64_t>(x[i] - z0);
    const int64_t bound = std::max(conv.stride[i], conv.dilation[i]);
    if ((d.output_padding < 0 || d.output_padding >= bound) && r.ok()) {
      r.block = RoundTripBlock::kOutputPaddingTooLarge;
      r.violation = RuleViolation{
          Rule::kOutputPaddingTooLarge, static_cast<int>(i),
          "dim " + std::to_string(i) + ": restoring " + std::to_string(x[i]) + " needs output_padding " +
              std::to_string(d.output_padding) + ", outside [0, max(stride, dilation) = " +
              std::to_string(bound) + ")"};
    }
    r.dims.push_back(d);
  }
  return r;
}

std::string RoundTripFixSentence(const ConvCase& conv, int dim) {
  if (IsTransposed(conv.op) || !OutputShape(conv).ok()) return "";
  const size_t i = static_cast<size_t>(dim);
  const Dims w = WeightShape(conv);
  const std::vector<PadPair> pads = EffectivePadding(conv);
  const int64_t s = conv.stride[i];
  const i128 pad_total = static_cast<i128>(pads[i].left) + pads[i].right;
  const i128 extent = static_cast<i128>(conv.dilation[i]) * (w[i + 2] - 1) + 1;
  const int64_t p_t = TransposePadding(conv, pads, i);
  const std::string h = DimLetter(SpatialRank(conv.op), dim);
  std::map<int64_t, std::vector<int64_t>> by_value;  // output_padding -> residues of x mod s
  if (s > 8) {
    std::ostringstream os;
    os << "output_padding = (" << h << " + " << ToString(pad_total - extent) << ") mod " << s;
    if (2 * p_t != pad_total) os << " + " << ToString(2 * static_cast<i128>(p_t) - pad_total);
    return os.str();
  }
  for (int64_t res = 0; res < s; ++res) {
    by_value[static_cast<int64_t>(NeededOutputPadding(res, pad_total, extent, s, p_t))].push_back(res);
  }
  if (by_value.size() == 1) {
    return "output_padding " + std::to_string(by_value.begin()->first) + " for every " + h;
  }
  std::string out = "output_padding ";
  bool first = true;
  for (auto it = by_value.rbegin(); it != by_value.rend(); ++it) {
    out += (first ? "" : ", ") + std::to_string(it->first) + " when " + ResidueList(it->second, s, h);
    first = false;
  }
  return out;
}

}  // namespace convcheck
