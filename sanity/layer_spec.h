// The layer-list model format of `convcheck sanity --model layers.json`: a sequential network as
// plain data, parsed and validated without torch. Example (the F1 model of issue #7):
//   {"task": "classification", "layers": [
//     {"type": "conv", "out_channels": 8, "kernel": 3, "padding": "same", "init": "normal(1)"},
//     {"type": "relu"}, {"type": "maxpool", "kernel": 2}, {"type": "flatten"},
//     {"type": "linear", "out_features": 10, "init": "normal(1)"}]}
// Input channels/features are inferred from --input-shape when the model is built. A conv or
// convT layer is a case without "input" (case_io/case_json.h reads it, as in `convcheck stack`),
// plus "init"/"bias_init".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace convcheck::sanity {

enum class LayerType {
  kConv, kConvT, kLinear, kReLU, kTanh, kSigmoid, kMaxPool, kAvgPool, kBatchNorm, kFlatten,
  kDropout
};

// How a layer's parameters are drawn. kHe/kGlorot/kLeCun draw normal weights with variance
// 2/fan_in, 2/(fan_in+fan_out), 1/fan_in and zero biases; kNormal/kUniform/kConstant/kZeros
// apply to weights and biases alike (the user's "plain normal std 1" of issue #7); kDefault is
// PyTorch's reset_parameters.
struct Init {
  enum class Kind { kDefault, kHe, kGlorot, kLeCun, kNormal, kUniform, kConstant, kZeros };
  Kind kind = Kind::kDefault;
  double value = 0;  // std for normal, a for uniform(-a, a), c for constant
};

struct LayerSpec {
  LayerType type = LayerType::kReLU;
  int64_t out = 0;  // out_channels (conv, convT) or out_features (linear)
  // Per-dim lists; one entry broadcasts to every spatial dim (as in PyTorch).
  std::vector<int64_t> kernel{1}, stride, padding{0}, dilation{1}, output_padding{0};
  bool same_padding = false;
  int64_t groups = 1;
  bool bias = true;
  bool ceil_mode = false;  // pooling
  double p = 0.5;          // dropout
  Init init;
  std::optional<Init> bias_init;  // overrides `init` for the bias
};

struct ModelSpec {
  std::string task = "classification";  // or "regression" (MSE loss)
  bool pretrained = false;              // INIT checks skip, visibly
  std::vector<LayerSpec> layers;
};

const char* LayerTypeName(LayerType t);
// "normal(1)", "he", "constant(-10)"; nullopt for anything else.
std::optional<Init> ParseInit(const std::string& text);
std::string InitName(const Init& init);

// Parses a layer-list JSON document (an object with "layers", or a bare array). On failure
// returns false with one line naming the layer index and key: "layers[2]: unknown key 'kernal'".
bool ParseModelSpec(const std::string& json_text, ModelSpec* out, std::string* error);

}  // namespace convcheck::sanity
