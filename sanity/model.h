// The model under check, whatever its origin (layer list or TorchScript), seen through what the
// checks need: a training forward, a per-layer probe, and the weight tensors with their fans.
// Torch-facing: include only from sanity/*.cpp and tests/sanity/.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "sanity/finding.h"
#include "sanity/layer_spec.h"

namespace convcheck::sanity {

// A weight tensor (dim >= 2) with PyTorch's fans: fan_in = size(1)*prod(k), fan_out =
// size(0)*prod(k) (torch/nn/init.py _calculate_fan_in_and_fan_out; for convT weights
// [C_in, C_out/groups, k...] this swaps the roles, exactly as PyTorch's default init does).
struct WeightInfo {
  std::string name;  // "layers[0]:conv.weight"
  torch::Tensor tensor;
  int64_t fan_in = 0;
  int64_t fan_out = 0;
};

// The output of one conv/convT/linear/batchnorm layer: the pre-activation of the next
// nonlinearity. `feeds_relu` marks the layers whose units can die (ACT-2).
struct LayerActivation {
  std::string layer;
  torch::Tensor pre;
  bool feeds_relu = false;
};

struct ProbeTrace {
  torch::Tensor output;
  bool traced = false;  // false: `layers` is unavailable (e.g. a TorchScript non-chain)
  std::string untraced_reason;
  std::vector<LayerActivation> layers;
};

class SanityModel {
 public:
  virtual ~SanityModel() = default;
  // "layers" or "torchscript".
  virtual std::string Kind() const = 0;
  // Training-mode forward (batchnorm batch statistics with running updates, dropout on).
  virtual torch::Tensor Forward(const torch::Tensor& x) = 0;
  // Deterministic per-sample forward (eval mode): OUT-2, OUT-3.
  virtual torch::Tensor Eval(const torch::Tensor& x) = 0;
  // Probe forward without gradients, recording per-layer pre-activations where possible.
  virtual ProbeTrace Probe(const torch::Tensor& x) = 0;
  virtual std::vector<WeightInfo> Weights() = 0;
  virtual std::vector<torch::Tensor> Parameters() = 0;
  // Each layer's output shape for an input of `input_shape` (run in eval mode, without
  // gradients); empty with the reason in `why` when the model is not a chain of layers.
  virtual std::vector<LayerShape> Shapes(const std::vector<int64_t>& input_shape, std::string* why) = 0;
};

// Builds a layer-list model for inputs of `input_shape` ([N, C, *spatial] or [N, F]), drawing
// parameters from `seed`. nullptr with a one-line error naming the layer (a conv whose kernel
// exceeds its input reports the oracle's rule, e.g. "layers[3] conv: dim 0: kernel extent ...").
std::unique_ptr<SanityModel> BuildLayerModel(const ModelSpec& spec,
                                             const std::vector<int64_t>& input_shape,
                                             uint64_t seed, std::string* error);

// Loads a TorchScript file (torch::jit::load). Per-layer probing works when the module's
// forward equals calling its children in order (checked on a probe input); otherwise ACT checks
// skip, visibly. nullptr with the loader's message on failure.
std::unique_ptr<SanityModel> LoadScriptModel(const std::string& path, std::string* error);

}  // namespace convcheck::sanity
