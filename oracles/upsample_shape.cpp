#include "oracles/upsample_shape.h"

#include <cmath>
#include <sstream>

#include "oracles/int128.h"
#include "oracles/layer_ops.h"
#include "oracles/layer_shape.h"
#include "oracles/shape_checks.h"

namespace convcheck {
namespace {

std::string Str(int64_t v) { return std::to_string(v); }

Check RankBetween(const ConvCase& c, size_t lo, size_t hi, const std::string& why) {
  if (c.input.size() >= lo && c.input.size() <= hi) return std::nullopt;
  std::ostringstream os;
  os << "expected " << lo << (lo == hi ? "" : "-d or " + std::to_string(hi)) << "-d input to " << OpName(c.op) << ", got "
     << c.input.size() << "-d input " << FormatDims(c.input) << why;
  return Violation(Rule::kInputRank, -1, os.str());
}

// F.max_unpoolNd (torch/nn/functional.py, 1.13): _unpool_output_size in Python, then
// at::max_unpool2d / max_unpool3d (aten/src/ATen/native/MaxUnpooling.cpp); max_unpool1d runs
// max_unpool2d on input.unsqueeze(-1). The checks, in the order they run:
//  1. _unpool_output_size reads input.size()[-r + d]: fewer than r dims is an IndexError.
//  2. an explicit output_size must lie strictly between default − s and default + s
//     (ValueError "invalid output_size").
//  3. at::max_unpool*: "Input to max_unpooling2d should be a 3d or 4d Tensor" (3d: 4d or 5d).
//  4. "Expected input to have non-zero size for non-batch dimensions": dims 1.. of the input
//     ATen sees (so an unbatched input's channel dim is not checked).
//  5. max_unpool3d only: "strides should be greater than zero".
//  6. the output: a negative size is refused where the output is resized (LibTorch 1.13.1 says
//     "numel: integer multiplication overflow"); a zero size is accepted (an empty output, the
//     kernel writes nothing: at::max_unpool2d([1,3,12,12], output_size {0, 24}) gives
//     [1, 3, 0, 24] on this machine).
ShapeResult UnpoolShape(const ConvCase& c) {
  const size_t r = static_cast<size_t>(SpatialRank(c.op));
  if (c.input.size() < r) return ShapeResult::Invalid(*RankBetween(c, r + 1, r + 2, " (fewer dims than kernel_size)"));
  const Dims x = SpatialInput(c);
  const Dims s = PoolStride(c);
  if (!c.output_size.empty() && c.output_size.size() != r) {
    return ShapeResult::Invalid(Violation(Rule::kUnpoolOutputSize, -1, "output_size should be a sequence of " + std::to_string(r) + " elements"));
  }
  std::vector<i128> out(r);
  for (size_t i = 0; i < r; ++i) {
    const int d = static_cast<int>(i);
    const i128 def = UnpoolDefaultSize(x[i], c.kernel[i], s[i], c.padding[i]);
    out[i] = def;
    if (c.output_size.empty()) continue;
    const i128 lo = def - s[i], hi = def + s[i];
    if (!(lo < c.output_size[i] && c.output_size[i] < hi)) {
      return ShapeResult::Invalid(Violation(Rule::kUnpoolOutputSize, d,
                                            "output_size " + Str(c.output_size[i]) + " must be between " + ToString(lo) +
                                                " and " + ToString(hi) + " (exclusive; default size " + ToString(def) + ")"));
    }
    out[i] = c.output_size[i];
  }
  if (Check v = RankBetween(c, r + 1, r + 2, "")) return ShapeResult::Invalid(*v);
  for (size_t i = 1; i < c.input.size(); ++i) {
    if (c.input[i] != 0) continue;
    const int spatial = static_cast<int>(i) - static_cast<int>(c.input.size() - r);
    return ShapeResult::Invalid(Violation(Rule::kEmptyInput, spatial >= 0 ? spatial : -1,
                                          "input " + FormatDims(c.input) + " has an empty non-batch dimension"));
  }
  for (size_t i = 0; r == 3 && i < r; ++i) {
    if (s[i] <= 0) return ShapeResult::Invalid(Violation(Rule::kNonPositiveStride, static_cast<int>(i), "stride " + Str(s[i]) + " is not positive"));
  }
  Dims shape(c.input.begin(), c.input.end() - static_cast<std::ptrdiff_t>(r));
  for (size_t i = 0; i < r; ++i) {
    const int d = static_cast<int>(i);
    if (out[i] < 0) return ShapeResult::Invalid(Violation(Rule::kEmptyOutput, d, "output size " + ToString(out[i]) + " is negative"));
    if (!FitsInt64(out[i])) return ShapeResult::Invalid(Violation(Rule::kOverflow, d, "output size " + ToString(out[i]) + " exceeds int64"));
    shape.push_back(static_cast<int64_t>(out[i]));
  }
  return FittingShape(shape);
}

// nn.Upsample -> F.interpolate (torch/nn/functional.py, 1.13), then at::upsample_*
// (aten/src/ATen/native/UpSample.h upsample_{1,2,3}d_common_check and the meta functions of
// UpSampleNearest*d.cpp / UpSampleLinear1d.cpp / UpSampleBilinear2d.cpp /
// UpSampleTrilinear3d.cpp). The checks, in the order they run:
//  1. align_corners with mode nearest: ValueError "align_corners option can only be set with
//     the interpolating modes".
//  2. the input must have r + 2 dims: interpolate dispatches on input.dim(), so a case of rank r
//     takes a batched input only (an r-entry size/scale_factor and another rank is a ValueError).
//  3. a linear-family mode needs its own rank: NotImplementedError "Got 4D input, but linear
//     mode needs 3D input".
//  4. the size: `size`, or the truncated double product (UpsampleScaledSize); one beyond int64
//     becomes INT64_MIN on x86, refused as "IntArrayRef contains an int that cannot be
//     represented as a SymInt" (seen on this machine for 3 × 1e30).
//  5. "Input and output sizes should be greater than 0": every spatial input and output size.
//  6. "Non-empty 4D data tensor expected": with the spatial sizes positive, an empty channel dim.
ShapeResult UpsampleShape(const ConvCase& c) {
  const int r = SpatialRank(c.op);
  const size_t given = c.output_size.empty() ? c.scale_factor.size() : c.output_size.size();
  if (c.output_size.empty() == c.scale_factor.empty() || given != static_cast<size_t>(r)) {
    // F.interpolate: "either size or scale_factor should be defined" / "only one of size or
    // scale_factor should be defined" (the codec refuses such a case; a built one lands here).
    return ShapeResult::Invalid(Violation(Rule::kUpsampleMode, -1, "give exactly one of size and scale_factor, one entry per spatial dim"));
  }
  if (c.align_corners && c.upsample_mode == UpsampleMode::kNearest) {
    return ShapeResult::Invalid(Violation(Rule::kUpsampleMode, -1, "align_corners can only be set with the interpolating modes linear, bilinear, trilinear"));
  }
  const size_t full = static_cast<size_t>(r) + 2;
  if (Check v = RankBetween(c, full, full, " (F.interpolate takes batched input)")) return ShapeResult::Invalid(*v);
  const int need = UpsampleModeRank(c.upsample_mode);
  if (need != 0 && need != r) {
    return ShapeResult::Invalid(Violation(Rule::kUpsampleMode, -1,
                                          "got " + std::to_string(r + 2) + "-d input, but mode " + UpsampleModeName(c.upsample_mode) +
                                              " needs " + std::to_string(need + 2) + "-d input"));
  }
  const Dims x = SpatialInput(c);
  Dims shape(c.input.begin(), c.input.begin() + 2);
  for (size_t i = 0; i < x.size(); ++i) {
    const int d = static_cast<int>(i);
    std::optional<int64_t> out = c.output_size.empty() ? std::nullopt : std::optional<int64_t>(c.output_size[i]);
    if (c.output_size.empty()) {
      out = UpsampleScaledSize(x[i], c.scale_factor[i]);
      if (!out) {
        std::ostringstream os;
        os << "output size " << x[i] << " * " << c.scale_factor[i] << " exceeds int64";
        return ShapeResult::Invalid(Violation(Rule::kOverflow, d, os.str()));
      }
    }
    if (x[i] <= 0) return ShapeResult::Invalid(Violation(Rule::kEmptyInput, d, "input size " + Str(x[i]) + " is not positive"));
    if (*out <= 0) return ShapeResult::Invalid(Violation(Rule::kEmptyOutput, d, "output size " + Str(*out) + " is not positive"));
    shape.push_back(*out);
  }
  if (c.input[1] == 0) {
    return ShapeResult::Invalid(Violation(Rule::kEmptyInput, -1, "input " + FormatDims(c.input) + " has an empty channel dimension"));
  }
  return FittingShape(shape);
}

}  // namespace

__int128 UnpoolDefaultSize(int64_t y, int64_t k, int64_t s, int64_t p) {
  return (static_cast<i128>(y) - 1) * s + k - 2 * static_cast<i128>(p);
}

std::optional<int64_t> UpsampleScaledSize(int64_t x, double scale) {
  const double product = static_cast<double>(x) * scale;
  // [-2^63, 2^63): the doubles whose truncation fits int64 (NaN fails both comparisons).
  if (!(product < 9223372036854775808.0 && product >= -9223372036854775808.0)) return std::nullopt;
  return static_cast<int64_t>(product);
}

int UpsampleModeRank(UpsampleMode m) {
  switch (m) {
    case UpsampleMode::kNearest: return 0;
    case UpsampleMode::kLinear: return 1;
    case UpsampleMode::kBilinear: return 2;
    case UpsampleMode::kTrilinear: return 3;
  }
  return 0;
}

ShapeResult UpsamplerOutputShape(const ConvCase& c) {
  return FamilyOf(c.op) == OpFamily::kMaxUnpool ? UnpoolShape(c) : UpsampleShape(c);
}

}  // namespace convcheck
