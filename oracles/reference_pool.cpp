#include "oracles/reference_pool.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "oracles/int128.h"
#include "oracles/layer_ops.h"
#include "oracles/layer_shape.h"

namespace convcheck {
namespace {

// One spatial dim of a pool: for each output index, the input indices its window reads (in
// [0, in), ascending: PyTorch's scan order) and the window's length within the padded input
// (avg_pool's count_include_pad divisor part).
struct DimWindows {
  std::vector<std::vector<int64_t>> positions;
  std::vector<int64_t> padded;
};

bool IsTfSame(const ConvCase& c) { return IsWindowPool(c.op) && c.padding_kind == PaddingKind::kSame; }

// AdaptivePooling.h start_index / end_index: floor(o*in/out) and ceil((o+1)*in/out), exactly.
DimWindows AdaptiveDim(int64_t in, int64_t out) {
  DimWindows w;
  for (int64_t o = 0; o < out; ++o) {
    const i128 start = FloorDiv(static_cast<i128>(o) * in, out);
    const i128 end = FloorDiv(static_cast<i128>(o + 1) * in + out - 1, out);
    std::vector<int64_t> pos;
    for (i128 p = start; p < end; ++p) pos.push_back(static_cast<int64_t>(p));
    w.padded.push_back(static_cast<int64_t>(end - start));
    w.positions.push_back(std::move(pos));
  }
  return w;
}

// cpu_max_pool: start + j*dilation for j < k, the positions outside [0, in) skipped. Computed
// in 128 bits and clamped, so a huge kernel costs only the input's length.
std::vector<int64_t> MaxWindow(i128 start, int64_t k, int64_t dil, int64_t in) {
  i128 j = start < 0 ? (-start + dil - 1) / dil : 0;
  const i128 last = start > in - 1 ? -1 : std::min<i128>(k - 1, (in - 1 - start) / dil);
  std::vector<int64_t> pos;
  for (; j <= last; ++j) pos.push_back(static_cast<int64_t>(start + j * dil));
  return pos;
}

DimWindows WindowDim(const ConvCase& c, size_t d, int64_t in, int64_t out) {
  const bool max = FamilyOf(c.op) == OpFamily::kMaxPool;
  const int64_t k = c.kernel[d], s = PoolStride(c)[d], dil = max ? c.dilation[d] : 1;
  const PadPair pad = IsTfSame(c) ? TfSamePoolPadding(in, k, s, dil) : PadPair{c.padding[d], c.padding[d]};
  DimWindows w;
  for (int64_t o = 0; o < out; ++o) {
    const i128 start = static_cast<i128>(o) * s - pad.left;
    if (max) {
      w.positions.push_back(MaxWindow(start, k, dil, in));
      w.padded.push_back(k);
      continue;
    }
    // cpu_avg_pool: the window ends at the padded input's end at the latest.
    const i128 end = std::min<i128>(start + k, static_cast<i128>(in) + pad.right);
    std::vector<int64_t> pos;
    for (i128 p = std::max<i128>(start, 0); p < std::min<i128>(end, in); ++p) pos.push_back(static_cast<int64_t>(p));
    w.padded.push_back(static_cast<int64_t>(end - start));
    w.positions.push_back(std::move(pos));
  }
  return w;
}

// Everything the loops need: planes (the leading dims flattened), spatial sizes and windows.
struct PoolPlan {
  int64_t planes = 0;
  Dims in_spatial, out_spatial;
  Dims output_shape;
  std::vector<DimWindows> dims;
};

std::string CheckPool(const ConvCase& c, const DoubleTensor& x, PoolPlan* plan) {
  if (!IsWindowPool(c.op) && !IsAdaptivePool(c.op)) return std::string("not a pool op: ") + OpName(c.op);
  const ShapeResult shape = LayerOutputShape(c);
  if (!shape.ok()) return "the case is invalid: " + shape.violation().message;
  if (x.shape != c.input || static_cast<int64_t>(x.data.size()) != NumElements(c.input)) {
    return "input values of shape " + FormatDims(x.shape) + " for a case with input " + FormatDims(c.input);
  }
  const size_t rank = static_cast<size_t>(SpatialRank(c.op));
  plan->output_shape = shape.shape();
  plan->in_spatial = SpatialInput(c);
  plan->out_spatial.assign(plan->output_shape.end() - static_cast<std::ptrdiff_t>(rank), plan->output_shape.end());
  plan->planes = NumElements(Dims(c.input.begin(), c.input.end() - static_cast<std::ptrdiff_t>(rank)));
  for (size_t d = 0; d < rank; ++d) {
    const int64_t in = plan->in_spatial[d], out = plan->out_spatial[d];
    plan->dims.push_back(IsAdaptivePool(c.op) ? AdaptiveDim(in, out) : WindowDim(c, d, in, out));
  }
  return "";
}

// The divisor of an average over a window made of per-dim windows `index` (see the header).
double Divisor(const ConvCase& c, const PoolPlan& plan, const Dims& index) {
  const bool padded = IsWindowPool(c.op) && !IsTfSame(c) && c.count_include_pad;
  if (IsWindowPool(c.op) && !IsTfSame(c) && c.divisor_override && SpatialRank(c.op) > 1) {
    return static_cast<double>(*c.divisor_override);
  }
  double divisor = 1;
  for (size_t d = 0; d < index.size(); ++d) {
    const size_t o = static_cast<size_t>(index[d]);
    divisor *= static_cast<double>(padded ? plan.dims[d].padded[o] : static_cast<int64_t>(plan.dims[d].positions[o].size()));
  }
  return divisor;
}

// Calls visit(output_flat, window, divisor) for every output spatial position; `window` holds
// the flat spatial input offsets in scan order (row-major, first dim outermost).
template <typename Visit>
void ForEachWindow(const ConvCase& c, const PoolPlan& plan, Visit visit) {
  const size_t rank = plan.dims.size();
  const int64_t out_plane = NumElements(plan.out_spatial);
  std::vector<int64_t> window;
  for (int64_t flat = 0; flat < out_plane; ++flat) {
    Dims index(rank);
    for (size_t d = rank, rest = static_cast<size_t>(flat); d-- > 0;) {
      index[d] = static_cast<int64_t>(rest % static_cast<size_t>(plan.out_spatial[d]));
      rest /= static_cast<size_t>(plan.out_spatial[d]);
    }
    window.assign(1, 0);
    for (size_t d = 0; d < rank; ++d) {
      std::vector<int64_t> next;
      for (int64_t base : window) {
        for (int64_t p : plan.dims[d].positions[static_cast<size_t>(index[d])]) next.push_back(base * plan.in_spatial[d] + p);
      }
      window.swap(next);
    }
    visit(flat, window, Divisor(c, plan, index));
  }
}

// The first maximum of `window` in `plane` (cpu_max_pool's `val > maxval || isnan(val)`), or
// -1 for an empty window.
int64_t ArgMax(const double* plane, const std::vector<int64_t>& window) {
  int64_t arg = -1;
  double best = -std::numeric_limits<double>::infinity();
  for (int64_t p : window) {
    const double v = plane[p];
    if (v > best || std::isnan(v)) {
      best = v;
      arg = p;
    }
  }
  return arg;
}

bool IsMax(const ConvCase& c) {
  const OpFamily f = FamilyOf(c.op);
  return f == OpFamily::kMaxPool || f == OpFamily::kAdaptiveMaxPool;
}

}  // namespace

RefResult ReferencePoolForward(const ConvCase& c, const DoubleTensor& x) {
  PoolPlan plan;
  if (std::string e = CheckPool(c, x, &plan); !e.empty()) return {std::nullopt, e};
  DoubleTensor y = ZerosTensor(plan.output_shape);
  const int64_t in_plane = NumElements(plan.in_spatial), out_plane = NumElements(plan.out_spatial);
  const bool max = IsMax(c);
  for (int64_t n = 0; n < plan.planes; ++n) {
    const double* in = x.data.data() + n * in_plane;
    double* out = y.data.data() + n * out_plane;
    ForEachWindow(c, plan, [&](int64_t o, const std::vector<int64_t>& window, double divisor) {
      if (max) {
        const int64_t arg = ArgMax(in, window);
        out[o] = arg < 0 ? -std::numeric_limits<double>::infinity() : in[arg];
        return;
      }
      double sum = 0;
      for (int64_t p : window) sum += in[p];
      out[o] = window.empty() ? 0.0 : sum / divisor;
    });
  }
  return {std::move(y), ""};
}

RefResult ReferencePoolInputGrad(const ConvCase& c, const DoubleTensor& x, const DoubleTensor& grad_out) {
  PoolPlan plan;
  if (std::string e = CheckPool(c, x, &plan); !e.empty()) return {std::nullopt, e};
  if (grad_out.shape != plan.output_shape) {
    return {std::nullopt, "grad_out of shape " + FormatDims(grad_out.shape) + " for output " + FormatDims(plan.output_shape)};
  }
  DoubleTensor gx = ZerosTensor(c.input);
  const int64_t in_plane = NumElements(plan.in_spatial), out_plane = NumElements(plan.out_spatial);
  const bool max = IsMax(c);
  for (int64_t n = 0; n < plan.planes; ++n) {
    const double* in = x.data.data() + n * in_plane;
    const double* g = grad_out.data.data() + n * out_plane;
    double* gin = gx.data.data() + n * in_plane;
    ForEachWindow(c, plan, [&](int64_t o, const std::vector<int64_t>& window, double divisor) {
      if (max) {
        const int64_t arg = ArgMax(in, window);
        if (arg >= 0) gin[arg] += g[o];
        return;
      }
      for (int64_t p : window) gin[p] += g[o] / divisor;
    });
  }
  return {std::move(gx), ""};
}

bool HasPaddingOnlyMaxWindow(const ConvCase& c) {
  if (FamilyOf(c.op) != OpFamily::kMaxPool) return false;
  const ShapeResult shape = LayerOutputShape(c);
  if (!shape.ok()) return false;
  const Dims in = SpatialInput(c);
  const size_t rank = in.size();
  for (size_t d = 0; d < rank; ++d) {
    const int64_t out = shape.shape()[shape.shape().size() - rank + d];
    for (const std::vector<int64_t>& window : WindowDim(c, d, in[d], out).positions) {
      if (window.empty()) return true;
    }
  }
  return false;
}

namespace {

int64_t Saturated(double v) {
  return v < 9.2e18 ? static_cast<int64_t>(std::max(v, 1.0)) : std::numeric_limits<int64_t>::max();
}

}  // namespace

int64_t PoolWindowVolume(const ConvCase& c) {
  if (!IsWindowPool(c.op) && !IsAdaptivePool(c.op)) return 1;
  const Dims in = SpatialInput(c);
  double volume = 1;
  for (size_t d = 0; d < in.size(); ++d) {
    if (IsWindowPool(c.op)) {
      volume *= d < c.kernel.size() ? static_cast<double>(std::max<int64_t>(c.kernel[d], 1)) : 1.0;
    } else if (d < c.output_size.size() && c.output_size[d] > 0) {
      // ceil(in/out) + 1 bounds end_index - start_index.
      volume *= std::ceil(static_cast<double>(in[d]) / static_cast<double>(c.output_size[d])) + 1;
    }
  }
  return Saturated(volume);
}

int64_t PoolGradientFanIn(const ConvCase& c) {
  if (!IsAdaptivePool(c.op)) return PoolWindowVolume(c);
  const Dims in = SpatialInput(c);
  double fan_in = 1;
  for (size_t d = 0; d < in.size() && d < c.output_size.size(); ++d) {
    if (in[d] > 0) fan_in *= std::ceil(static_cast<double>(c.output_size[d]) / static_cast<double>(in[d])) + 1;
  }
  return Saturated(fan_in);
}

}  // namespace convcheck
