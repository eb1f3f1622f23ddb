#include "oracles/stack.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "oracles/int128.h"
#include "oracles/layer_ops.h"
#include "oracles/output_shape.h"
#include "oracles/round_trip.h"

namespace convcheck {
namespace {

constexpr int64_t kSearchLimit = int64_t{1} << 40;
constexpr int64_t kMaxPeriod = int64_t{1} << 20;
constexpr int64_t kMaxFixCombinations = int64_t{1} << 14;

// Layer `l` restricted to spatial dim i: a 1-d case whose only rules are the per-dim ones
// (channels are set to what the layer's groups need, so channel rules cannot fire).
ConvCase Project(const ConvCase& l, size_t i, int64_t x) {
  const int64_t g = std::max<int64_t>(l.groups, 1);
  ConvCase p = DefaultCase(MakeOp(IsTransposed(l.op), 1), {1, g, x}, g);
  const bool from_weight = l.weight_shape && l.weight_shape->size() == l.kernel.size() + 2;
  p.kernel = {from_weight ? (*l.weight_shape)[i + 2] : l.kernel[i]};
  p.stride = {l.stride[i]};
  p.padding = {l.padding[i]};
  p.output_padding = {l.output_padding[i]};
  p.dilation = {l.dilation[i]};
  p.padding_kind = l.padding_kind;
  p.padding_mode = l.padding_mode;
  p.groups = l.groups;
  return p;
}

// A pool restricted to spatial dim i (channels 1, so only the per-dim rules can fire).
ConvCase ProjectPool(const ConvCase& l, size_t i, int64_t x) {
  ConvCase p = l;
  p.op = MakeLayerOp(FamilyOf(l.op), 1);
  p.input = {1, 1, x};
  auto one = [i](const Dims& d) { return i < d.size() ? Dims{d[i]} : Dims{}; };
  p.kernel = one(l.kernel);
  p.stride = one(PoolStride(l));
  p.padding = one(l.padding);
  p.dilation = one(l.dilation);
  p.output_padding = one(l.output_padding);
  p.output_size = one(l.output_size);
  return p;
}

// An up-sampler restricted to spatial dim i: its own rank, every other dim the identity
// (size 1, kernel 1, stride 1, scale 1), channels 1.
ConvCase ProjectUpsampler(const ConvCase& l, size_t i, int64_t x) {
  ConvCase p = l;
  const size_t r = static_cast<size_t>(SpatialRank(l.op));
  p.input = Dims(r + 2, 1);
  p.input[2 + i] = x;
  for (size_t j = 0; j < r; ++j) {
    if (j == i) continue;
    if (j < p.kernel.size()) p.kernel[j] = 1;
    if (j < p.stride.size()) p.stride[j] = 1;
    if (j < p.padding.size()) p.padding[j] = 0;
    if (j < p.output_size.size()) p.output_size[j] = 1;
    if (j < p.scale_factor.size()) p.scale_factor[j] = 1.0;
  }
  return p;
}

// A stack restricted to spatial dim i, each layer projected once: DimOutput is asked for
// dozens to hundreds of sizes of the same stack (the search for the smallest valid size, two
// sizes per residue class), and building a projected case per layer per size was most of
// its cost.
class DimStack {
 public:
  DimStack(const Stack& s, size_t i) {
    for (const StackLayer& l : s) {
      const OpFamily f = FamilyOf(l.layer.op);
      if (f == OpFamily::kElementwise || f == OpFamily::kBatchNorm) continue;  // shape-neutral
      Layer out;
      if (f == OpFamily::kFlatten || f == OpFamily::kLinear) {  // the size the flatten takes
        out.kind = Kind::kEnd;
      } else if (i >= static_cast<size_t>(SpatialRank(l.layer.op))) {
        out.kind = Kind::kNoSuchDim;
      } else if (IsUpsampler(l.layer.op)) {
        out = {Kind::kSized, ProjectUpsampler(l.layer, i, 1), 2 + i};
      } else {
        const bool pool = IsWindowPool(l.layer.op) || IsAdaptivePool(l.layer.op);
        out = {Kind::kSized, pool ? ProjectPool(l.layer, i, 1) : Project(l.layer, i, 1), 2};
      }
      const bool last = out.kind != Kind::kSized;  // no size goes past it
      layers_.push_back(std::move(out));
      if (last) break;
    }
  }

  // The stack's output size in dim i for input size x; nullopt when a layer rejects it.
  std::optional<i128> Output(int64_t x) {
    i128 v = x;
    for (Layer& l : layers_) {
      if (l.kind == Kind::kEnd) return v;
      if (l.kind == Kind::kNoSuchDim || !FitsInt64(v)) return std::nullopt;
      l.projected.input[l.at] = static_cast<int64_t>(v);
      const ShapeResult r = OutputShape(l.projected);
      if (!r.ok()) return std::nullopt;
      v = r.shape()[l.at];
    }
    return v;
  }

 private:
  enum class Kind { kSized, kEnd, kNoSuchDim };
  struct Layer {
    Kind kind = Kind::kSized;
    ConvCase projected;  // its size in dim i is set per call, at input[at]
    size_t at = 2;
  };
  std::vector<Layer> layers_;
};

// How an up-sampler changes the period in dim i (the factor T gains), or why the dim cannot be
// analysed (see AnalyzeDim in stack.h).
std::string UpsamplerPeriodFactor(const ConvCase& l, size_t i, size_t n, int64_t* factor) {
  const std::string where = "layer " + std::to_string(n + 1) + " (" + OpName(l.op) + ") ";
  *factor = 1;
  if (FamilyOf(l.op) == OpFamily::kMaxUnpool) {
    if (i < l.output_size.size()) return where + "has an explicit output_size; trace sizes with --input";
    if (i < l.stride.size() && PoolStride(l)[i] <= 0) return where + "has a stride <= 0; trace sizes with --input";
    return "";
  }
  if (i >= l.scale_factor.size()) return "";  // a fixed size: constant in x
  const double scale = l.scale_factor[i];
  for (int b = 0; b <= 6; ++b) {
    const double a = std::ldexp(scale, b);
    if (std::floor(a) == a && std::fabs(a) < 4096) {
      *factor = int64_t{1} << b;
      return "";
    }
  }
  std::ostringstream os;
  os << where << "scales by " << scale << ", not a/2^b (b <= 6): floor(x·s) in doubles is not periodic; trace sizes with --input";
  return os.str();
}

// Smallest x in [1, 2^40] the stack accepts in dim i (validity is monotone in x), or 0.
int64_t MinValid(DimStack& s) {
  int64_t hi = 1;
  while (hi < kSearchLimit && !s.Output(hi)) hi *= 2;
  if (!s.Output(hi)) return 0;
  int64_t lo = hi / 2;  // invalid (or 0)
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    (s.Output(mid) ? hi : lo) = mid;
  }
  return hi;
}

// Smallest p dividing `classes.size()` with deficit/slope depending only on residue mod p.
int64_t MinimalPeriod(const std::vector<ResidueClass>& classes) {
  const int64_t t = static_cast<int64_t>(classes.size());
  for (int64_t p = 1; p < t; ++p) {
    if (t % p != 0) continue;
    bool same = true;
    for (int64_t r = p; r < t && same; ++r) {
      same = classes[r].deficit == classes[r % p].deficit && classes[r].slope == 0 &&
             classes[r % p].slope == 0;
    }
    if (same) return p;
  }
  return t;
}

std::string JoinSizes(const std::vector<int64_t>& v) {
  std::ostringstream os;
  for (size_t i = 0; i < v.size(); ++i) os << (i ? ", " : "") << v[i];
  return os.str();
}

}  // namespace

int StackSpatialRank(const Stack& s) {
  for (const StackLayer& l : s) {
    if (HasSpatialDims(l.layer.op)) return SpatialRank(l.layer.op);
  }
  return 0;
}

bool StackHasSpatialEnd(const Stack& s) {
  for (const StackLayer& l : s) {
    if (l.layer.op == Op::kFlatten || l.layer.op == Op::kLinear) return true;
  }
  return false;
}

std::optional<int64_t> FirstLinearFeatures(const Stack& s, const StackRun& run) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i].layer.op != Op::kLinear) continue;
    if (i > run.shapes.size()) return std::nullopt;
    const Dims& in = i == 0 ? run.input : run.shapes[i - 1];
    if (in.empty()) return std::nullopt;
    return in.back();
  }
  return std::nullopt;
}

ConvCase LayerCase(const ConvCase& layer, const Dims& input) {
  ConvCase c = layer;
  c.input = input;
  return c;
}

StackRun RunStack(const Stack& s, const Dims& input) {
  StackRun run;
  run.input = input;
  Dims x = input;
  for (size_t i = 0; i < s.size(); ++i) {
    const ShapeResult r = OutputShape(LayerCase(s[i].layer, x));
    if (!r.ok()) {
      run.failed_layer = static_cast<int>(i);
      run.violation = r.violation();
      return run;
    }
    x = r.shape();
    run.shapes.push_back(x);
  }
  return run;
}

std::optional<int64_t> StackDimOutput(const Stack& s, int dim, int64_t x) {
  const std::optional<i128> v = DimStack(s, static_cast<size_t>(dim)).Output(x);
  if (!v || !FitsInt64(*v)) return std::nullopt;
  return static_cast<int64_t>(*v);
}

int64_t DimRule::Deficit(int64_t x) const {
  const ResidueClass& c = classes[static_cast<size_t>(x % period)];
  const i128 d = c.deficit + static_cast<i128>(c.slope) * ((static_cast<i128>(x) - c.representative) / period);
  // Beyond int64 the deficit is certainly not 0; saturating keeps its sign and the answer.
  return static_cast<int64_t>(std::clamp<i128>(d, -kInt64Max, kInt64Max));
}

int64_t DimRule::CountRoundTrips(int64_t lo, int64_t hi) const {
  if (period <= 0 || min_valid == 0) return 0;
  const i128 from = std::max(lo, min_valid);
  if (from > hi) return 0;
  i128 count = 0;
  for (const ResidueClass& c : classes) {
    if (c.slope == 0) {
      // Sizes x ≡ residue (mod period) in [from, hi]; every one is valid since from ≥ min_valid.
      if (c.deficit == 0) count += FloorDiv(hi - c.residue, period) - FloorDiv(from - 1 - c.residue, period);
    } else if (c.deficit % c.slope == 0 && -c.deficit / c.slope >= 0) {
      const i128 x = c.representative + static_cast<i128>(-c.deficit / c.slope) * period;
      count += x >= from && x <= hi;
    }
  }
  return static_cast<int64_t>(count);
}

bool DimRule::RoundTrips(int64_t x) const {
  if (period <= 0 || min_valid == 0 || x < min_valid) return false;
  return Deficit(x) == 0;
}

DimRule AnalyzeDim(const Stack& s, int dim) {
  DimRule rule;
  rule.dim = dim;
  const int rank = std::max(StackSpatialRank(s), 1);
  rule.letter = DimLetter(rank, dim);
  const size_t i = static_cast<size_t>(dim);
  i128 t = 1;
  for (size_t n = 0; n < s.size(); ++n) {
    const ConvCase& l = s[n].layer;
    if (IsUpsampler(l.op)) {
      int64_t factor = 1;
      rule.not_analysed = UpsamplerPeriodFactor(l, i, n, &factor);
      if (!rule.not_analysed.empty()) {
        rule.period = 0;
        return rule;
      }
      t *= factor;
    } else if (!IsTransposed(l.op) && i < l.stride.size()) {
      t *= std::max<int64_t>(PoolStride(l)[i], 1);
    }
    if (t > kMaxPeriod) break;
  }
  DimStack projected(s, i);
  rule.min_valid = MinValid(projected);
  if (t > kMaxPeriod || rule.min_valid == 0) {
    rule.stride_product = t > kMaxPeriod ? 0 : static_cast<int64_t>(t);
    rule.period = t > kMaxPeriod ? 0 : 1;
    return rule;
  }
  rule.stride_product = static_cast<int64_t>(t);
  for (int64_t r = 0; r < rule.stride_product; ++r) {
    ResidueClass c;
    c.residue = r;
    c.representative = rule.min_valid + ((r - rule.min_valid % t) % t + t) % t;
    const i128 d0 = *projected.Output(c.representative) - c.representative;
    const i128 d1 = *projected.Output(c.representative + rule.stride_product) -
                    (c.representative + rule.stride_product);
    c.deficit = static_cast<int64_t>(d0);
    c.slope = static_cast<int64_t>(d1 - d0);
    rule.classes.push_back(c);
  }
  rule.period = MinimalPeriod(rule.classes);
  rule.classes.resize(static_cast<size_t>(rule.period));
  for (ResidueClass& c : rule.classes) {  // representatives of the coarser classes
    c.representative = rule.min_valid + ((c.residue - rule.min_valid % rule.period) % rule.period + rule.period) % rule.period;
  }
  return rule;
}

std::string DimRule::Sentence() const {
  const std::string& h = letter;
  if (period == 0 && !not_analysed.empty()) return "not analysed: " + not_analysed;
  if (period == 0) return "not analysed: the product of strides exceeds 2^20";
  if (min_valid == 0) return "never valid: every " + h + " up to 2^40 is rejected by some layer";
  std::vector<int64_t> residues, sizes;
  bool all_flat = true;
  for (const ResidueClass& c : classes) {
    all_flat = all_flat && c.slope == 0;
    if (c.slope == 0 && c.deficit == 0) residues.push_back(c.residue);
    if (c.slope != 0 && c.deficit % c.slope == 0 && -c.deficit / c.slope >= 0) {
      sizes.push_back(c.representative + (-c.deficit / c.slope) * period);
    }
  }
  std::ostringstream os;
  if (!all_flat) {
    std::sort(sizes.begin(), sizes.end());
    if (sizes.empty()) return "never round-trips: the strides do not cancel, so the output scales away from " + h;
    os << "round-trips only for " << h << " ∈ {" << JoinSizes(sizes)
       << "} (the strides do not cancel)";
    return os.str();
  }
  if (residues.empty()) return "never round-trips (" + h + " ≥ " + std::to_string(min_valid) + " is valid)";
  int64_t smallest = -1;
  for (int64_t r : residues) {
    const int64_t rep = classes[static_cast<size_t>(r)].representative;
    if (smallest < 0 || rep < smallest) smallest = rep;
  }
  if (static_cast<int64_t>(residues.size()) == period) {
    return "round-trips for every " + h + " ≥ " + std::to_string(min_valid);
  }
  os << "round-trips iff " << h << " ≡ " << JoinSizes(residues) << " (mod " << period << ") and "
     << h << " ≥ " << smallest;
  return os.str();
}

std::optional<std::vector<OutputPaddingChange>> SmallestFix(const Stack& s, int dim, int64_t x,
                                                            int64_t period) {
  const size_t i = static_cast<size_t>(dim);
  std::vector<size_t> layers;
  std::vector<int64_t> radix;
  int64_t combos = 1;
  for (size_t j = 0; j < s.size(); ++j) {
    const ConvCase& l = s[j].layer;
    if (!IsTransposed(l.op) || i >= l.stride.size()) continue;
    layers.push_back(j);
    radix.push_back(std::max<int64_t>(std::max(l.stride[i], l.dilation[i]), 1));
    combos *= radix.back();
    if (combos > kMaxFixCombinations) return std::nullopt;
  }
  Stack trial = s;
  std::optional<std::vector<OutputPaddingChange>> best;
  int64_t best_cost = 0;
  for (int64_t n = 0; n < combos; ++n) {
    std::vector<OutputPaddingChange> changes;
    int64_t code = n, cost = 0;
    for (size_t u = 0; u < layers.size(); ++u) {
      const int64_t op = code % radix[u];
      code /= radix[u];
      const int64_t from = s[layers[u]].layer.output_padding[i];
      trial[layers[u]].layer.output_padding[i] = op;
      if (op != from) changes.push_back({layers[u], from, op});
      cost += op > from ? op - from : from - op;
    }
    if (changes.empty()) continue;
    const bool works = StackDimOutput(trial, dim, x) == x &&
                       (period <= 0 || StackDimOutput(trial, dim, x + period) == x + period);
    const bool better = !best || cost < best_cost || (cost == best_cost && changes.size() < best->size());
    if (works && better) {
      best = changes;
      best_cost = cost;
    }
  }
  return best;
}

std::string DescribeChange(const Stack& s, int dim, const OutputPaddingChange& c) {
  const StackLayer& l = s[c.layer];
  std::ostringstream os;
  os << "layer " << c.layer + 1;
  if (!l.name.empty()) os << " (" << l.name << ")";
  os << " output_padding[" << DimLetter(SpatialRank(l.layer.op), dim) << "] " << c.from << " → "
     << c.to;
  return os.str();
}

}  // namespace convcheck
