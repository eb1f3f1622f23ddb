#include "oracles/tensor_values.h"

#include <cmath>
#include <cstring>

#include "oracles/layer_ops.h"
#include "oracles/reference_batch_norm.h"
#include "oracles/reference_layer.h"

namespace convcheck {
namespace {

// SplitMix64 (Steele, Lea, Flood 2014): tiny, well mixed, identical on every platform.
uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Rounds the float32 bit pattern to its upper 16 bits, ties to even (what at::BFloat16 does).
double RoundToBFloat16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  bits += 0x7FFFu + ((bits >> 16) & 1u);
  bits &= 0xFFFF0000u;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

// Nearest value with 11 significant bits; our values lie in [-1, 1], far from float16's
// subnormal and overflow range, so no range handling is needed.
double RoundToFloat16(double v) {
  if (v == 0 || !std::isfinite(v)) return v;
  int exponent;
  std::frexp(v, &exponent);
  const double quantum = std::ldexp(1.0, exponent - 11);
  return std::nearbyint(v / quantum) * quantum;
}

}  // namespace

double RoundToDType(double v, DType dtype) {
  switch (dtype) {
    case DType::kFloat64: return v;
    case DType::kFloat32: return static_cast<float>(v);
    case DType::kBFloat16: return RoundToBFloat16(static_cast<float>(v));
    case DType::kFloat16: return RoundToFloat16(v);
  }
  return v;
}

DoubleTensor DrawTensor(const Dims& shape, DType dtype, uint64_t seed, DataStream stream) {
  DoubleTensor t = ZerosTensor(shape);
  uint64_t state = seed * 0xD1B54A32D192ED03ULL + static_cast<uint64_t>(stream);
  for (double& v : t.data) {
    // 53 random bits -> [0, 1); magnitude in [1/64, 1], then a random sign.
    const uint64_t r = SplitMix64(&state);
    const double unit = static_cast<double>(r >> 11) * 0x1.0p-53;
    const double magnitude = 1.0 / 64 + unit * (1.0 - 1.0 / 64);
    v = RoundToDType((r & 1u) ? -magnitude : magnitude, dtype);
  }
  return t;
}

uint64_t DataSeed(const ConvCase& c) { return c.seed.value_or(0); }

int64_t BiasLength(const ConvCase& c) {
  const Dims w = WeightShape(c);
  if (w.size() < 2) return 0;
  return IsTransposed(c.op) ? w[1] * c.groups : w[0];
}

CaseData MakeCaseData(const ConvCase& c) {
  const uint64_t seed = DataSeed(c);
  CaseData d;
  d.input = DrawTensor(c.input, c.dtype, seed, DataStream::kInput);
  if (c.op == Op::kLinear) {
    d.weight = DrawTensor(LinearWeightShape(c), c.dtype, seed, DataStream::kWeight);
    if (c.bias) d.bias = DrawTensor({c.out_features}, c.dtype, seed, DataStream::kBias);
    return d;
  }
  if (FamilyOf(c.op) == OpFamily::kBatchNorm) {
    const Dims per_channel = {BatchNormFeatures(c)};
    d.weight = DrawTensor(per_channel, c.dtype, seed, DataStream::kWeight);
    d.bias = DrawTensor(per_channel, c.dtype, seed, DataStream::kBias);
    d.running_mean = DrawTensor(per_channel, c.dtype, seed, DataStream::kRunningMean);
    d.running_var = DrawTensor(per_channel, c.dtype, seed, DataStream::kRunningVar);
    for (double& v : d.running_var.data) v = RoundToDType(0.25 + std::fabs(v), c.dtype);
    return d;
  }
  if (!IsConvOp(c.op)) return d;  // pools, flatten and the elementwise layers have no parameters
  d.weight = DrawTensor(WeightShape(c), c.dtype, seed, DataStream::kWeight);
  if (c.bias) d.bias = DrawTensor({BiasLength(c)}, c.dtype, seed, DataStream::kBias);
  return d;
}

}  // namespace convcheck
