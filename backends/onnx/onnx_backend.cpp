// The onnx backend: ONNX's own shape inference (onnx::shape_inference::InferShapes, strict:
// error_mode 1 throws node-level errors) on a one-node model made from the case, after the
// model checker. Outcome: the inferred shape of Y, or the checker's / inference's error. Every
// ONNX consumer runs this code before it runs a model, so its rules are a conformance target of
// their own (upstream fixed unchecked Conv/ConvTranspose attributes after 1.12). It can crash on
// hostile attributes: commands run it in isolated workers like every backend.
#include <exception>
#include <memory>

#include <onnx/checker.h>
#include <onnx/common/version.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include "backends/backend.h"
#include "backends/capabilities.h"
#include "backends/onnx_model/onnx_geometry.h"
#include "backends/onnx_model/onnx_model.h"
#include "backends/plugin/plugin_abi.h"

namespace convcheck {
namespace {

BackendOutcome Infer(const ConvCase& c, const std::vector<PadPair>* pads) {
  std::string why;
  const std::optional<OnnxNode> node = ToOnnxNode(c, pads, &why);
  if (!node) return BackendOutcome::Skipped(why);
  onnx::ModelProto model = BuildOnnxModel(*node);
  try {
    onnx::checker::check_model(model);
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(/*check_type=*/true, /*strict=*/1, false));
  } catch (const std::exception& e) {
    return BackendOutcome::Rejected(e.what());
  }
  // Inference that returns without an error but leaves a size symbolic (1.12 gives up silently
  // on some attribute sizes) accepted the model and said nothing: counted as a refusal with
  // that message, so an oracle-valid case shows it.
  Dims shape;
  const onnx::TensorShapeProto& inferred = model.graph().output(0).type().tensor_type().shape();
  for (int i = 0; i < inferred.dim_size(); ++i) {
    if (!inferred.dim(i).has_dim_value()) {
      return BackendOutcome::Rejected("shape inference returned no error and no size for Y's dim " + std::to_string(i));
    }
    shape.push_back(inferred.dim(i).dim_value());
  }
  return BackendOutcome::Shape(shape);
}

class OnnxBackend final : public Backend {
 public:
  std::string Name() const override { return "onnx"; }
  std::string Version() const override { return onnx::LAST_RELEASE_VERSION; }
  std::vector<Device> Devices() const override { return {Device::kCpu}; }
  BackendOutcome Run(const ConvCase& c) override { return Infer(c, nullptr); }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override { return RunEach(*this, cases); }
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override { return Infer(c, &pads); }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override { return RunPaddedEach(*this, calls); }
};

Backend* MakeBackend(int /*threads*/) { return new OnnxBackend(); }

BackendCapabilities Capabilities() {
  BackendCapabilities caps = AllCapabilities();
  caps.ops = ConvolutionOps();  // its model builder writes Conv and ConvTranspose nodes only
  caps.dtypes = {DType::kFloat32, DType::kFloat64, DType::kFloat16};
  caps.padding_modes = {PaddingMode::kZeros};
  caps.devices = {Device::kCpu};
  caps.unbatched = false;
  caps.onnx_geometry = true;  // the model builder writes auto_pad, begin/end pads and output_shape
  // channels_last is a PyTorch memory format: the ONNX model is the same, so those cases run.
  caps.values = false;
  caps.note = "ONNX shape inference (strict) on a one-node opset-11 model";
  return caps;
}

const BackendCapabilities kCapabilities = Capabilities();

const PluginV1 kPlugin = {kPluginAbiVersion, CONVCHECK_PLUGIN_BUILD_ID, "onnx", onnx::LAST_RELEASE_VERSION,
                          &MakeBackend, nullptr, nullptr, &kCapabilities, nullptr};

}  // namespace
}  // namespace convcheck

extern "C" __attribute__((visibility("default"))) const convcheck::PluginV1* convcheck_plugin_v1() {
  return &convcheck::kPlugin;
}
