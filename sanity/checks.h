// The individual checks of issue #7. Each appends findings (ID, level, measured, threshold, what
// to do) and measurements to a report; limits come from thresholds.h only. Torch-facing.
#pragma once

#include "sanity/data.h"
#include "sanity/finding.h"
#include "sanity/model.h"

namespace convcheck::sanity {

// INIT-1 (constant weights) and INIT-2 (scale vs default/LeCun/He/Glorot), per weight tensor.
void CheckInitialization(const std::vector<WeightInfo>& weights, SanityReport* report);
// INIT-4 (loss at init vs ln C) and INIT-5 (softmax saturation) from probe logits and labels.
void CheckInitLoss(const torch::Tensor& logits, const torch::Tensor& labels, SanityReport* report);
// IN-1 (NaN/Inf, integer dtype), IN-2 (unnormalized), IN-3 (constant channel) on raw inputs.
void CheckInputs(const torch::Tensor& x, SanityReport* report);
// ACT-1 (pre-activation RMS, growth) and ACT-2 (dead ReLU units); an info finding when the
// model could not be traced layer by layer.
void CheckActivations(const ProbeTrace& trace, int step, SanityReport* report);
// OUT-1 on probe outputs of `inputs`; `targets` defined selects the regression form.
void CheckConstantOutput(const torch::Tensor& inputs, const torch::Tensor& outputs,
                         const torch::Tensor& targets, int step, SanityReport* report);
// OUT-2: the loss with the inputs zeroed is within max(1%, 3 SE) of the real loss.
void CheckIgnoresInput(SanityModel& model, const torch::Tensor& x, const DataSet& probe,
                       bool regression, int step, SanityReport* report);
// OUT-3: d output_0 / d input_j != 0 for some j != 0 (eval mode, so batchnorm does not mix).
void CheckCrossSample(SanityModel& model, const torch::Tensor& x, int step, SanityReport* report);

// Per-sample loss: cross-entropy against labels, or mean squared error against targets.
torch::Tensor PerSampleLoss(const torch::Tensor& outputs, const DataSet& batch, bool regression);

}  // namespace convcheck::sanity
