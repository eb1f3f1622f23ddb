// The float64 reference of batch_norm in eval mode, as a trained network runs it at inference:
// the running statistics and the affine parameters are given tensors of length C (the input's
// dim 1). Direct loops; standard library only; never throws.
//
// The rule, with the source read (pytorch/pytorch aten/src/ATen/native/Normalization.cpp,
// LibTorch 1.13.1: batch_norm_cpu_transform_input_template, batch_norm_backward_cpu_template,
// train = false): invstd = 1 / sqrt(running_var + eps), eps = 1e-5 (nn.BatchNorm*d's default),
//   y[n, c, ...]  = (x[n, c, ...] − running_mean[c]) · invstd[c] · weight[c] + bias[c]
//   dx[n, c, ...] = g[n, c, ...] · invstd[c] · weight[c]
//   dweight[c]    = Σ_{n, ...} g[n, c, ...] · (x[n, c, ...] − running_mean[c]) · invstd[c]
// The batch statistics of training mode are not this reference's: a case carries no mode, and
// every backend runs the module in eval mode (the mode the shape backend checks).
#pragma once

#include "oracles/conv_case.h"
#include "oracles/reference_conv.h"

namespace convcheck {

// nn.BatchNorm1d/2d/3d's default eps.
inline constexpr double kBatchNormEps = 1e-5;

// num_features of a batch_norm case: `in_features` when given, else the input's dim 1 (0 when
// the input has no dim 1).
int64_t BatchNormFeatures(const ConvCase& c);

// The tensors of an eval-mode batch_norm besides the input, each [num_features].
struct BatchNormParameters {
  DoubleTensor weight;
  DoubleTensor bias;
  DoubleTensor running_mean;
  DoubleTensor running_var;
};

// y as above. Error: not a batch_norm op, a case the shape oracle rejects, or tensors of other
// shapes. Example: x [1, 1, 2] = {1, 3}, mean {1}, var {4 − eps}, weight {2}, bias {1} -> {1, 3}.
RefResult ReferenceBatchNormForward(const ConvCase& c, const DoubleTensor& x, const BatchNormParameters& p);

// dx ([input]) and dweight ([num_features]) of <batch_norm(x), grad_out>. The bias gradient
// (Σ grad_out per channel) is not computed: no backend reports one. Errors as the forward, or
// grad_out not of the input's shape.
RefGradients ReferenceBatchNormGradients(const ConvCase& c, const DoubleTensor& x, const BatchNormParameters& p,
                                         const DoubleTensor& grad_out);

}  // namespace convcheck
