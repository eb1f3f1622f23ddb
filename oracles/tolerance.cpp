#include "oracles/tolerance.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "oracles/layer_ops.h"
#include "oracles/reference_layer.h"
#include "oracles/reference_pool.h"

namespace convcheck {

const std::vector<ToleranceRow>& ToleranceTable() {
  // abs_unit is a few units in the last place of the accumulator per step of its growth
  // (Accumulator): rounding errors of L summed products of magnitude <= 1 (tensor_values.h).
  // rel covers the final rounding of the output to the dtype. Figures measured on LibTorch
  // 1.13.1 CPU over generated cases are in docs/gpu.md ("Tolerances").
  static const std::vector<ToleranceRow> table = {
      {DType::kFloat64, Device::kCpu, 1e-14, 1e-12, "double accumulation; eps 2.2e-16"},
      {DType::kFloat32, Device::kCpu, 4e-6, 1e-5, "float accumulation (oneDNN may reorder or use Winograd); eps 1.2e-7"},
      // Without oneDNN's bfloat16 path (a CPU lacking avx512bw/vl/dq: mkldnn_bf16_device_check),
      // LibTorch 1.13 rounds every product and every partial sum to bfloat16 (unit roundoff
      // u = 2^-8). One step's error is uniform within half an ulp of its partial sum s, so its
      // standard deviation is at most u|s|/sqrt(3); the test values' products have RMS 1/3, so
      // |s| ~ sqrt(l)/3. abs_unit = 12 u (1/3)/sqrt(3) = 9.0e-3 is 12 such standard deviations
      // per unit of growth, twice the largest error seen: the errors are a mixture (large partial sums
      // round coarser), and the largest of 256,000 elements per length reached 6.8 of them
      // (docs/gpu.md). oneDNN's path accumulates in float and stays far inside it.
      {DType::kBFloat16, Device::kCpu, 9.0e-3, 1.6e-2, "products and partial sums rounded to bfloat16 (u = 2^-8) without oneDNN; output rounded to 8 significant bits", Accumulator::kInDType},
      {DType::kFloat16, Device::kCpu, 2e-3, 2e-3, "output rounded to 11 significant bits (eps 9.8e-4)"},
      {DType::kFloat64, Device::kCuda, 1e-14, 1e-12, "double accumulation on cuDNN"},
      // cuDNN convolutions may use TF32 for float32 by default (torch.backends.cudnn.allow_tf32),
      // whose inputs keep 10 mantissa bits: eps 9.8e-4.
      {DType::kFloat32, Device::kCuda, 2e-3, 2e-3, "TF32 allowed for cuDNN convolutions by default"},
      {DType::kBFloat16, Device::kCuda, 1e-2, 1.6e-2, "output rounded to 8 significant bits"},
      {DType::kFloat16, Device::kCuda, 2e-3, 2e-3, "output rounded to 11 significant bits"},
  };
  return table;
}

bool Tolerance::Accepts(double actual, double expected) const {
  // Equal infinities agree (a max pool's padding-only window is -inf); NaN never does.
  if (std::isinf(expected) && actual == expected) return true;
  if (!std::isfinite(actual) || !std::isfinite(expected)) return false;
  return std::fabs(actual - expected) <= atol + rtol * std::fabs(expected);
}

double AccumulationGrowth(Accumulator accumulator, int64_t length) {
  const double l = static_cast<double>(std::max<int64_t>(length, 1));
  return accumulator == Accumulator::kInDType ? std::sqrt(l * (l + 3) / 2) : std::sqrt(l);
}

Tolerance ToleranceFor(DType dtype, Device device, int64_t length) {
  for (const ToleranceRow& row : ToleranceTable()) {
    if (row.dtype == dtype && row.device == device) {
      return {row.abs_unit * AccumulationGrowth(row.accumulator, length), row.rel};
    }
  }
  return {0, 0};  // unreachable for the closed enums: every pair has a row
}

namespace {

int64_t KernelVolume(const ConvCase& c) {
  int64_t v = 1;
  for (int64_t k : c.kernel) v *= std::max<int64_t>(k, 1);
  return v;
}

int64_t Product(const Dims& d, size_t from) {
  int64_t v = 1;
  for (size_t i = from; i < d.size(); ++i) v *= std::max<int64_t>(d[i], 0);
  return v;
}

int64_t AtLeastOne(int64_t v) { return std::max<int64_t>(v, 1); }

}  // namespace

int64_t ForwardAccumulation(const ConvCase& c) {
  if (c.op == Op::kLinear) return AtLeastOne(LinearInFeatures(c));
  if (!IsConvOp(c.op)) return PoolWindowVolume(c);  // 1 for flatten and the elementwise layers
  return AtLeastOne(InChannels(c) / std::max<int64_t>(c.groups, 1) * KernelVolume(c));
}

int64_t InputGradAccumulation(const ConvCase& c) {
  if (c.op == Op::kLinear) return AtLeastOne(c.out_features);
  if (!IsConvOp(c.op)) return PoolGradientFanIn(c);
  return AtLeastOne(c.out_channels / std::max<int64_t>(c.groups, 1) * KernelVolume(c));
}

int64_t WeightGradAccumulation(const ConvCase& c, const Dims& output_shape) {
  if (c.op == Op::kLinear) return AtLeastOne(Product(Dims(c.input.begin(), c.input.end() - (c.input.empty() ? 0 : 1)), 0));
  // batch_norm: every element of a channel (batch and spatial dims) adds to its weight's gradient.
  if (FamilyOf(c.op) == OpFamily::kBatchNorm) return AtLeastOne(Product(c.input, 0) / AtLeastOne(c.input.size() > 1 ? c.input[1] : 1));
  // The narrow side is the conv output, or the transposed conv's input.
  const Dims& narrow = IsTransposed(c.op) ? c.input : output_shape;
  const size_t first_spatial = IsBatched(c) ? 2 : 1;
  const int64_t batch = IsBatched(c) ? narrow[0] : 1;
  return AtLeastOne(batch * Product(narrow, first_spatial));
}

int64_t MultiplyAdds(const ConvCase& c, const Dims& output_shape) {
  if (!IsConvOp(c.op)) {  // every output element reads its window (a pool) or its row (linear)
    const double work = static_cast<double>(NumElements(output_shape)) * static_cast<double>(ForwardAccumulation(c));
    return work < 9.2e18 ? static_cast<int64_t>(work) : std::numeric_limits<int64_t>::max();
  }
  const Dims& narrow = IsTransposed(c.op) ? c.input : output_shape;
  const int64_t narrow_channels = IsTransposed(c.op) ? InChannels(c) : c.out_channels;
  const int64_t wide_per_group = (IsTransposed(c.op) ? c.out_channels : InChannels(c)) /
                                 std::max<int64_t>(c.groups, 1);
  // In double: the product of int64 sizes may overflow; the estimate only needs magnitude.
  const size_t first_spatial = IsBatched(c) ? 2 : 1;
  double work = IsBatched(c) ? static_cast<double>(narrow[0]) : 1.0;
  for (size_t i = first_spatial; i < narrow.size(); ++i) work *= static_cast<double>(narrow[i]);
  work *= static_cast<double>(narrow_channels) * static_cast<double>(wide_per_group) *
          static_cast<double>(KernelVolume(c));
  if (!(work < 9.2e18)) return std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(std::max(work, 0.0));
}

int64_t TensorElements(const ConvCase& c, const Dims& output_shape) {
  double total = static_cast<double>(std::max<int64_t>(c.out_channels, 0));
  for (const Dims* d : {&c.input, &output_shape}) {
    double n = 1;
    for (int64_t s : *d) n *= static_cast<double>(std::max<int64_t>(s, 0));
    total += n;
  }
  double w = 1;
  for (int64_t s : c.op == Op::kLinear ? LinearWeightShape(c) : WeightShape(c)) w *= static_cast<double>(std::max<int64_t>(s, 0));
  total += w;
  if (!(total < 9.2e18)) return std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(total);
}

ErrorStats CompareValues(const std::vector<double>& actual, const std::vector<double>& expected,
                         const Tolerance& tol) {
  ErrorStats e;
  double worst_excess = -1;
  const size_t n = std::min(actual.size(), expected.size());
  for (size_t i = 0; i < n; ++i) {
    const double diff = std::fabs(actual[i] - expected[i]);
    const bool finite = std::isfinite(diff);
    if (finite) e.max_abs = std::max(e.max_abs, diff);
    if (finite && expected[i] != 0) e.max_rel = std::max(e.max_rel, diff / std::fabs(expected[i]));
    const double allowed = tol.atol + tol.rtol * std::fabs(expected[i]);
    if (finite && allowed > 0) e.max_ratio = std::max(e.max_ratio, diff / allowed);
    if (tol.Accepts(actual[i], expected[i])) continue;
    ++e.rejected;
    const double excess = finite ? diff - tol.atol - tol.rtol * std::fabs(expected[i])
                                 : std::numeric_limits<double>::infinity();
    if (excess > worst_excess) {
      worst_excess = excess;
      e.worst = static_cast<int64_t>(i);
    }
  }
  if (actual.size() != expected.size()) e.rejected += 1;  // a length mismatch never passes
  e.compared = static_cast<int64_t>(n);
  return e;
}

std::string DescribeErrors(const ErrorStats& e, const Tolerance& tol) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "max abs err %.3g, max rel err %.3g, %.3gx the tolerance; %lld of %lld elements "
                "outside atol %.3g + rtol %.3g*|ref|",
                e.max_abs, e.max_rel, e.max_ratio, static_cast<long long>(e.rejected),
                static_cast<long long>(e.compared), tol.atol, tol.rtol);
  std::string s = buf;
  if (e.worst >= 0) s += " (worst at flat index " + std::to_string(e.worst) + ")";
  return s;
}

}  // namespace convcheck
