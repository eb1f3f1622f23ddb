// The torchscript backend: LibTorch's own TorchScript shape functions (the torch::jit symbolic
// shape registry that the JIT, export and lazy tensors use instead of running the op), asked
// for the case's functional op through calculateSymbolicShapesOnOp. Outcome: the shape the
// function computes, or the assertion it raises. pytorch#98129 reports that conv_transpose2d's
// function ignores output_padding and groups: this backend measures that against the oracle.
// Builds against LibTorch 1.13 and 2.x: only the calls below, whose signatures are the same.
#include <ATen/core/dispatch/Dispatcher.h>
#include <torch/csrc/jit/passes/symbolic_shape_analysis.h>
#include <torch/csrc/jit/runtime/symbolic_shape_registry.h>
#include <torch/version.h>

#include <exception>

#include "backends/backend.h"
#include "backends/capabilities.h"
#include "backends/plugin/plugin_abi.h"

namespace convcheck {
namespace {

// The functional op's schema: conv{1,2,3}d and conv_transpose1d have no overload name,
// conv_transpose{2,3}d's tensor-padding overload is ".input".
const c10::FunctionSchema* Schema(Op op, std::string* name) {
  const bool t = IsTransposed(op);
  const int r = SpatialRank(op);
  *name = std::string("aten::conv") + (t ? "_transpose" : "") + std::to_string(r) + "d";
  const std::string overload = t && r > 1 ? "input" : "";
  const auto handle = c10::Dispatcher::singleton().findSchema({*name, overload});
  if (!handle) return nullptr;
  if (!overload.empty()) *name += "." + overload;
  return &handle->schema();
}

BackendOutcome Shape(const ConvCase& c, const std::vector<PadPair>* pads) {
  if (c.padding_mode != PaddingMode::kZeros) {
    return BackendOutcome::Skipped("shape functions cover the functional op; padding_mode is nn.Module's (torchscript)");
  }
  if (c.padding_kind != PaddingKind::kExplicit) {
    return BackendOutcome::Skipped("padding=\"same\"/\"valid\" is the .padding overload (torchscript)");
  }
  std::string name;
  const c10::FunctionSchema* schema = Schema(c.op, &name);
  if (!schema) return BackendOutcome::Skipped("no schema " + name.substr(6) + " in LibTorch " TORCH_VERSION);
  if (!torch::jit::shapeComputeGraphForSchema(*schema)) {
    return BackendOutcome::Skipped("no TorchScript shape function registered for " + name.substr(6) + " in LibTorch " TORCH_VERSION);
  }
  const bool transposed = IsTransposed(c.op);
  Dims input = c.input, padding = c.padding;
  if (pads && !transposed) {  // F.pad then a conv with padding 0
    const size_t first = input.size() - pads->size();
    for (size_t i = 0; i < pads->size(); ++i) {
      input[first + i] += (*pads)[i].left + (*pads)[i].right;
      padding[i] = 0;
    }
  }
  const Dims weight = WeightShape(c);
  std::vector<torch::jit::SSAInput> args;
  args.emplace_back(c10::SymbolicShape(c10::IntArrayRef(input)));
  args.emplace_back(c10::SymbolicShape(c10::IntArrayRef(weight)));
  if (c.bias) {
    const Dims bias = {weight.size() >= 2 ? (transposed ? weight[1] * c.groups : weight[0]) : 0};
    args.emplace_back(c10::SymbolicShape(c10::IntArrayRef(bias)));
  } else {
    args.emplace_back(c10::IValue());
  }
  args.emplace_back(c10::IValue(c.stride));
  args.emplace_back(c10::IValue(padding));
  if (transposed) {
    args.emplace_back(c10::IValue(c.output_padding));
    args.emplace_back(c10::IValue(c.groups));
    args.emplace_back(c10::IValue(c.dilation));
  } else {
    args.emplace_back(c10::IValue(c.dilation));
    args.emplace_back(c10::IValue(c.groups));
  }
  try {
    const auto out = torch::jit::calculateSymbolicShapesOnOp(schema, args);
    if (!out || out->empty()) return BackendOutcome::Rejected("torchscript: the shape function gave no result for " + name);
    const auto symbols = (*out)[0].sizes();  // sizes() and ShapeSymbol exist in 1.13 and 2.x
    if (!symbols) return BackendOutcome::Rejected("torchscript: the shape function gave no rank for " + name);
    Dims shape;
    for (const c10::ShapeSymbol& s : *symbols) {
      if (!s.is_static()) return BackendOutcome::Rejected("torchscript: the shape function left a size symbolic for " + name);
      shape.push_back(s.static_size());
    }
    if (pads && transposed) {  // the transposed conv runs as given, then crops
      const size_t first = shape.size() - pads->size();
      for (size_t i = 0; i < pads->size(); ++i) shape[first + i] -= (*pads)[i].left + (*pads)[i].right;
    }
    return BackendOutcome::Shape(shape);
  } catch (const std::exception& e) {
    std::string what = e.what();
    return BackendOutcome::Rejected(what.substr(0, what.find('\n')));
  }
}

class TorchScriptBackend final : public Backend {
 public:
  std::string Name() const override { return "torchscript"; }
  std::string Version() const override { return TORCH_VERSION; }
  std::vector<Device> Devices() const override { return {Device::kCpu}; }
  BackendOutcome Run(const ConvCase& c) override { return Shape(c, nullptr); }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override { return RunEach(*this, cases); }
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override { return Shape(c, &pads); }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override { return RunPaddedEach(*this, calls); }
};

Backend* MakeBackend(int /*threads*/) { return new TorchScriptBackend(); }

BackendCapabilities Capabilities() {
  BackendCapabilities caps = AllCapabilities();
  caps.ops = ConvolutionOps();  // the shape functions of the conv ops only
  caps.padding_modes = {PaddingMode::kZeros};
  caps.devices = {Device::kCpu};  // shape functions are device-free; cuda cases would repeat the cpu ones
  caps.padding_strings = false;
  caps.values = false;
  caps.note = "TorchScript shape functions (torch::jit symbolic shape registry) of the functional ops";
  return caps;
}

const BackendCapabilities kCapabilities = Capabilities();

const PluginV1 kPlugin = {kPluginAbiVersion, CONVCHECK_PLUGIN_BUILD_ID, "torchscript", TORCH_VERSION,
                          &MakeBackend, nullptr, nullptr, &kCapabilities, nullptr};

}  // namespace
}  // namespace convcheck

extern "C" __attribute__((visibility("default"))) const convcheck::PluginV1* convcheck_plugin_v1() {
  return &convcheck::kPlugin;
}
