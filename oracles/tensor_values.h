// Tensor values for numeric properties: seeded, reproducible from the case and its "seed"
// alone (no global RNG, no std distributions whose output differs between standard
// libraries), never all ones or all zeros, and exactly representable in the case's dtype so
// that the reference computes on the very numbers the backend sees. Std only.
#pragma once

#include <cstdint>

#include "oracles/conv_case.h"
#include "oracles/reference_conv.h"

namespace convcheck {

// Which tensor of a case a value stream feeds; each gets an independent stream of the seed.
enum class DataStream : uint64_t {
  kInput = 1, kWeight = 2, kBias = 3, kGradOutput = 4, kAdjoint = 5, kRunningMean = 6, kRunningVar = 7
};

// `v` rounded to the nearest value of `dtype` (ties to even); float64 returns v unchanged.
// Example: RoundToDType(1.0 + 1.0 / 512, DType::kBFloat16) == 1.0.
double RoundToDType(double v, DType dtype);

// A tensor of `shape` with values uniform in [-1, 1] \ (-1/64, 1/64) (no zeros, mixed signs),
// rounded to `dtype`; the same (shape, dtype, seed, stream) always gives the same values.
DoubleTensor DrawTensor(const Dims& shape, DType dtype, uint64_t seed, DataStream stream);

// The tensors of a case; seed = c.seed or 0. Weight and bias are empty for an op without them
// (a pool, flatten, the elementwise layers), bias also when the case has none. linear: weight
// [out_features, in_features], bias [out_features]. batch_norm (affine, as nn.BatchNorm*d's
// default): weight, bias, running_mean and running_var, each [num_features]; the variances lie
// in [0.25, 1.25] (a variance is positive, and a tiny one would turn dtype rounding into large
// output errors); the running statistics are empty for every other op.
struct CaseData {
  DoubleTensor input;
  DoubleTensor weight;
  DoubleTensor bias;
  DoubleTensor running_mean;
  DoubleTensor running_var;
};
CaseData MakeCaseData(const ConvCase& c);

// The seed a case's data is drawn from: its "seed" when set, else 0.
uint64_t DataSeed(const ConvCase& c);

// Bias length of a case: C_out (weight[0] for conv, weight[1]·groups for transposed).
int64_t BiasLength(const ConvCase& c);

}  // namespace convcheck
