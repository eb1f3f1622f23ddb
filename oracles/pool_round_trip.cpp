#include "oracles/pool_round_trip.h"

#include <algorithm>
#include <sstream>

#include "oracles/int128.h"
#include "oracles/layer_ops.h"
#include "oracles/layer_shape.h"
#include "oracles/round_trip.h"
#include "oracles/upsample_shape.h"

namespace convcheck {
namespace {

int64_t Saturate(i128 v) { return static_cast<int64_t>(std::clamp<i128>(v, -kInt64Max - 1, kInt64Max)); }

PoolDimRoundTrip Dim(int64_t x, int64_t y, int64_t k, int64_t s, int64_t p) {
  PoolDimRoundTrip d;
  d.input = x;
  d.pool_output = y;
  const i128 def = UnpoolDefaultSize(y, k, s, p);
  d.unpool_default = Saturate(def);
  d.unpool_min = Saturate(def - s + 1);
  d.unpool_max = Saturate(def + s - 1);
  d.upsample_output = Saturate(static_cast<i128>(y) * s);
  return d;
}

}  // namespace

bool PoolRoundTrip::DefaultRestores() const {
  return ok() && std::all_of(dims.begin(), dims.end(), [](const PoolDimRoundTrip& d) { return d.DefaultRestores(); });
}

bool PoolRoundTrip::OutputSizeRestores() const {
  return ok() && std::all_of(dims.begin(), dims.end(), [](const PoolDimRoundTrip& d) { return d.OutputSizeRestores(); });
}

bool PoolRoundTrip::UpsampleRestores() const {
  return ok() && std::all_of(dims.begin(), dims.end(), [](const PoolDimRoundTrip& d) { return d.UpsampleRestores(); });
}

PoolRoundTrip PoolRoundTripOf(const ConvCase& pool) {
  PoolRoundTrip r;
  if (!IsWindowPool(pool.op)) {
    r.violation = RuleViolation{Rule::kInputRank, -1, std::string(OpName(pool.op)) + " is not a max or avg pool"};
    return r;
  }
  if (pool.padding_kind == PaddingKind::kSame) {
    r.violation = RuleViolation{Rule::kInputRank, -1, "TF SAME pooling has no PyTorch max_unpool counterpart; convert it first"};
    return r;
  }
  const ShapeResult y = LayerOutputShape(pool);
  if (!y.ok()) {
    r.violation = y.violation();
    return r;
  }
  const Dims x = SpatialInput(pool);
  const Dims s = PoolStride(pool);
  for (size_t i = 0; i < x.size(); ++i) {
    r.dims.push_back(Dim(x[i], y.shape()[y.shape().size() - x.size() + i], pool.kernel[i], s[i], pool.padding[i]));
  }
  return r;
}

std::string UnpoolRestoreSentence(const ConvCase& pool, int dim) {
  const PoolRoundTrip rt = PoolRoundTripOf(pool);
  if (!rt.ok()) return "";
  const size_t i = static_cast<size_t>(dim);
  const int64_t s = PoolStride(pool)[i];
  const std::string h = DimLetter(SpatialRank(pool.op), dim);
  if (s > 64) return "max_unpool's default restores " + h + " iff the pool's windows tile it exactly";
  // Far above the smallest valid size every residue behaves periodically (ceil_mode's
  // last-window rule only trims sizes within a window of the edge).
  const i128 base = (static_cast<i128>(pool.kernel[i]) + 2 * static_cast<i128>(pool.padding[i]) + 2) * s;
  if (!FitsInt64(base + s)) return "";
  std::vector<int64_t> restoring;
  for (int64_t res = 0; res < s; ++res) {
    ConvCase c = pool;
    const int64_t x = static_cast<int64_t>(base + res);
    c.input[c.input.size() - SpatialInput(pool).size() + i] = x;
    const PoolRoundTrip at = PoolRoundTripOf(c);
    if (at.ok() && at.dims[i].DefaultRestores()) restoring.push_back(x % s);
  }
  std::ostringstream os;
  os << "max_unpool's default restores " << h;
  if (restoring.empty()) return os.str() + " for no size";
  if (static_cast<int64_t>(restoring.size()) == s) return os.str() + " for every size";
  std::sort(restoring.begin(), restoring.end());
  os << " iff " << h << " ≡ ";
  for (size_t j = 0; j < restoring.size(); ++j) os << (j ? ", " : "") << restoring[j];
  os << " (mod " << s << ")";
  return os.str();
}

}  // namespace convcheck
