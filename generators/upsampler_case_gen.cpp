#include "generators/upsampler_case_gen.h"

#include <algorithm>
#include <cmath>

#include "oracles/layer_ops.h"
#include "oracles/upsample_shape.h"

namespace convcheck {
namespace {

namespace gen = rc::gen;

size_t InputAt(const ConvCase& c, size_t d) { return c.input.size() - static_cast<size_t>(SpatialRank(c.op)) + d; }

int64_t Default(const ConvCase& c, size_t d) {
  return static_cast<int64_t>(UnpoolDefaultSize(c.input[InputAt(c, d)], c.kernel[d], PoolStride(c)[d], c.padding[d]));
}

ConvCase ValidUnpool(ConvCase c) {
  const int rank = SpatialRank(c.op);
  const bool default_stride = *gen::arbitrary<bool>();
  for (int i = 0; i < rank; ++i) {
    const int64_t k = *gen::inRange<int64_t>(1, rank == 3 ? 4 : 5);
    c.kernel[i] = k;
    c.stride[i] = default_stride ? k : *gen::inRange<int64_t>(1, 4);
    c.padding[i] = *gen::inRange<int64_t>(0, k / 2 + 1);
    // default = (y − 1)s + k − 2p >= 1: y >= 2 when k = 2p.
    c.input.push_back(*gen::inRange<int64_t>(k == 2 * c.padding[i] ? 2 : 1, 7));
  }
  if (*gen::inRange(0, 3) == 0) {
    for (size_t d = 0; d < static_cast<size_t>(rank); ++d) {
      const int64_t def = Default(c, d), s = c.stride[d];
      c.output_size.push_back(std::max<int64_t>(1, *gen::inRange<int64_t>(def - s + 1, def + s)));
    }
  }
  return c;
}

// The scales an upsample draws: integers, dyadic fractions, and doubles whose products round.
const std::vector<double>& Scales() {
  static const std::vector<double> scales = {2.0, 3.0, 1.0, 0.5, 1.5, 2.5, 0.75, 1.7, 0.29, 1.1, 0.7};
  return scales;
}

ConvCase ValidUpsample(ConvCase c) {
  const size_t rank = static_cast<size_t>(SpatialRank(c.op));
  c.input = {*gen::inRange<int64_t>(1, 3), *gen::inRange<int64_t>(1, 5)};  // F.interpolate: batched only
  if (*gen::inRange(0, 3) == 0) {
    for (size_t i = 0; i < rank; ++i) {
      c.input.push_back(*gen::inRange<int64_t>(1, 7));
      c.output_size.push_back(*gen::inRange<int64_t>(1, 13));
    }
  } else {
    for (size_t i = 0; i < rank; ++i) {
      const double s = *gen::elementOf(Scales());
      const int64_t least = static_cast<int64_t>(std::ceil(1.0 / s));  // floor(x·s) >= 1
      c.input.push_back(least + *gen::inRange<int64_t>(0, 6));
      c.scale_factor.push_back(s);
    }
  }
  const UpsampleMode linear[] = {UpsampleMode::kLinear, UpsampleMode::kBilinear, UpsampleMode::kTrilinear};
  if (*gen::inRange(0, 3) == 0) {
    c.upsample_mode = linear[rank - 1];
    if (*gen::arbitrary<bool>()) c.align_corners = *gen::arbitrary<bool>();
  }
  return c;
}

}  // namespace

ConvCase ValidUpsampler(ConvCase base) {
  return FamilyOf(base.op) == OpFamily::kUpsample ? ValidUpsample(std::move(base)) : ValidUnpool(std::move(base));
}

ConvCase EdgeUpsampler(ConvCase c, int kind) {
  const size_t rank = static_cast<size_t>(SpatialRank(c.op));
  const size_t d = static_cast<size_t>(*gen::inRange<int>(0, static_cast<int>(rank)));
  const bool batched = c.input.size() == rank + 2;
  if (kind == 0) {  // zero batch
    if (batched) c.input[0] = 0;
    return c;
  }
  if (FamilyOf(c.op) == OpFamily::kMaxUnpool) {
    if (kind == 1) {  // output_size at the inner edge of (default − s, default + s)
      c.output_size.clear();
      for (size_t i = 0; i < rank; ++i) {
        const int64_t def = Default(c, i), s = PoolStride(c)[i];
        c.output_size.push_back(std::max<int64_t>(1, *gen::arbitrary<bool>() ? def + s - 1 : def - s + 1));
      }
    } else if (kind == 2) {  // unbatched, zero channels: accepted, the output is empty
      c.input.erase(c.input.begin(), c.input.end() - static_cast<std::ptrdiff_t>(rank));
      c.input.insert(c.input.begin(), 0);
    } else {  // overlapping windows: stride below the kernel
      c.kernel[d] = 3;
      c.stride[d] = *gen::inRange<int64_t>(1, 3);
      c.padding[d] = 1;
      c.output_size.clear();
    }
    return c;
  }
  if (kind == 1) {  // a double product just under an integer: 100 × 0.29 = 28.999999999999996
    c.output_size.clear();
    c.scale_factor.assign(rank, 1.0);
    c.scale_factor[d] = 0.29;
    c.input[InputAt(c, d)] = 100;
  } else if (kind == 2) {  // a scale below 1 that leaves exactly one output
    c.output_size.clear();
    c.scale_factor.assign(rank, 2.0);
    c.scale_factor[d] = 0.5;
    c.input[InputAt(c, d)] = *gen::element<int64_t>(2, 3);
  } else {  // size 1 from any input
    c.scale_factor.clear();
    c.output_size.assign(rank, 1);
  }
  return c;
}

std::vector<Rule> BreakableUpsamplerRules(const ConvCase& c) {
  if (FamilyOf(c.op) == OpFamily::kUpsample) {
    return {Rule::kUpsampleMode, Rule::kInputRank, Rule::kEmptyInput, Rule::kEmptyOutput};
  }
  std::vector<Rule> rules = {Rule::kUnpoolOutputSize, Rule::kInputRank, Rule::kEmptyInput, Rule::kEmptyOutput};
  if (SpatialRank(c.op) == 3) rules.push_back(Rule::kNonPositiveStride);
  return rules;
}

ConvCase ExtremeUpsampler(ConvCase c, int64_t big) {
  const size_t d = static_cast<size_t>(*gen::inRange<int>(0, SpatialRank(c.op)));
  if (FamilyOf(c.op) == OpFamily::kMaxUnpool) {
    c.output_size.clear();
    switch (*gen::inRange<int>(0, 3)) {
      case 0: c.kernel[d] = big; break;
      case 1: c.stride[d] = big; break;
      default: c.padding[d] = big; break;
    }
    return c;
  }
  if (*gen::arbitrary<bool>()) {
    c.scale_factor.clear();
    c.output_size.assign(static_cast<size_t>(SpatialRank(c.op)), 1);
    c.output_size[d] = big;
  } else {
    c.output_size.clear();
    c.scale_factor.assign(static_cast<size_t>(SpatialRank(c.op)), 1.0);
    c.scale_factor[d] = *gen::element(1e18, 1e30);
  }
  return c;
}

ConvCase BreakUpsampler(ConvCase c, Rule rule, size_t d, int64_t amount) {
  const size_t at = InputAt(c, d);
  const bool upsample = FamilyOf(c.op) == OpFamily::kUpsample;
  switch (rule) {
    case Rule::kUnpoolOutputSize: {  // amount 1: exactly the exclusive bound
      if (c.output_size.empty()) {
        for (size_t i = 0; i < c.kernel.size(); ++i) c.output_size.push_back(Default(c, i));
      }
      const int64_t s = PoolStride(c)[d];
      c.output_size[d] = Default(c, d) + (*gen::arbitrary<bool>() ? s + amount - 1 : -s - amount + 1);
      break;
    }
    case Rule::kInputRank:
      if (upsample) {
        // Unbatched: F.interpolate reads it as another rank. Mode nearest, as the linear modes'
        // own rank check words it otherwise in LibTorch's C++ interpolate.
        c.input.erase(c.input.begin());
        c.upsample_mode = UpsampleMode::kNearest;
        c.align_corners.reset();
      } else {
        c.input.insert(c.input.begin(), 1);
        if (c.input.size() < static_cast<size_t>(SpatialRank(c.op)) + 3) c.input.insert(c.input.begin(), 1);
        c.output_size.clear();
      }
      break;
    case Rule::kEmptyInput:
      c.input[at] = 0;
      c.output_size.clear();
      if (upsample && c.scale_factor.empty()) c.output_size.assign(c.kernel.size(), 2);
      break;
    case Rule::kEmptyOutput:
      if (upsample) {
        if (!c.scale_factor.empty()) c.scale_factor[d] = amount == 1 ? 0.5 / static_cast<double>(c.input[at]) : 1.0 - static_cast<double>(amount);
        else c.output_size[d] = 1 - amount;
      } else {  // padding beyond the default: (y − 1)s + k − 2p <= 0
        c.output_size.clear();
        const int64_t full = (c.input[at] - 1) * PoolStride(c)[d] + c.kernel[d];
        c.padding[d] = full / 2 + amount;
      }
      break;
    case Rule::kNonPositiveStride:
      c.output_size.clear();
      c.stride[d] = 1 - amount;
      break;
    case Rule::kUpsampleMode:
      if (c.upsample_mode == UpsampleMode::kNearest) {
        c.align_corners = *gen::arbitrary<bool>();
      } else {
        const UpsampleMode other[] = {UpsampleMode::kBilinear, UpsampleMode::kTrilinear, UpsampleMode::kLinear};
        c.upsample_mode = other[SpatialRank(c.op) - 1];
      }
      break;
    default: break;
  }
  return c;
}

}  // namespace convcheck
