#include "engine/reproducer.h"
#include "engine/layer_reproducer.h"
#include "oracles/layer_ops.h"

#include <algorithm>
#include <sstream>

#include "backends/module_semantics.h"
#include "case_io/case_json.h"

namespace convcheck {
namespace {

std::string Join(const Dims& d, const char* sep) {
  std::ostringstream os;
  for (size_t i = 0; i < d.size(); ++i) os << (i ? sep : "") << d[i];
  return os.str();
}

std::string Tuple(const Dims& d) { return "(" + Join(d, ", ") + (d.size() == 1 ? ",)" : ")"); }

const char* DTypeCpp(DType t) {
  switch (t) {
    case DType::kFloat32: return "torch::kFloat";
    case DType::kFloat64: return "torch::kDouble";
    case DType::kBFloat16: return "torch::kBFloat16";
    case DType::kFloat16: return "torch::kHalf";
  }
  return "?";
}

std::string PaddingArg(const ConvCase& c, bool python) {
  if (c.padding_mode != PaddingMode::kZeros) return python ? "0" : "{0}";
  if (c.padding_kind == PaddingKind::kSame) return "\"same\"";
  if (c.padding_kind == PaddingKind::kValid) return "\"valid\"";
  return python ? Tuple(c.padding) : "{" + Join(c.padding, ", ") + "}";
}

std::string List(const Dims& d) { return "[" + Join(d, ", ") + "]"; }

// A case in ONNX terms has no PyTorch call: its repro is the one-node opset-11 model through
// ONNX's strict shape inference (the onnx backend's check), runnable with the onnx package.
std::string OnnxPythonRepro(const ConvCase& c) {
  const Dims w = WeightShape(c);
  const char* type = c.dtype == DType::kFloat64 ? "DOUBLE" : c.dtype == DType::kFloat16 ? "FLOAT16" : "FLOAT";
  std::ostringstream os;
  os << "import onnx; from onnx import helper as h, TensorProto as T; n = h.make_node(\""
     << (IsTransposed(c.op) ? "ConvTranspose" : "Conv") << "\", [\"X\", \"W\"], [\"Y\"], kernel_shape="
     << List(Dims(w.begin() + std::min<size_t>(2, w.size()), w.end())) << ", strides=" << List(c.stride)
     << ", dilations=" << List(c.dilation) << ", group=" << c.groups << ", auto_pad=\"" << AutoPadName(*c.auto_pad) << "\"";
  Dims pads = c.padding;
  const Dims& end = PaddingEnd(c);
  pads.insert(pads.end(), end.begin(), end.end());
  if (*c.auto_pad == AutoPad::kNotSet || std::any_of(pads.begin(), pads.end(), [](int64_t p) { return p != 0; })) {
    os << ", pads=" << List(pads);
  }
  if (IsTransposed(c.op)) os << ", output_padding=" << List(c.output_padding);
  if (c.output_shape) os << ", output_shape=" << List(*c.output_shape);
  os << "); g = h.make_graph([n], \"g\", [h.make_tensor_value_info(\"X\", T." << type << ", " << List(c.input)
     << "), h.make_tensor_value_info(\"W\", T." << type << ", " << List(w) << ")], [h.make_tensor_value_info(\"Y\", T."
     << type << ", None)]); print(onnx.shape_inference.infer_shapes(h.make_model(g, opset_imports=[h.make_opsetid(\"\", 11)]), "
     << "strict_mode=True).graph.output[0])";
  return os.str();
}

}  // namespace

std::string CppRepro(const ConvCase& c) {
  if (!IsConvOp(c.op)) return LayerCppRepro(c);
  if (IsOnnxGeometry(c)) return "// ONNX geometry (auto_pad " + std::string(AutoPadName(*c.auto_pad)) + "): no ATen call takes it; see the Python line";
  const std::string opts = ", torch::dtype(" + std::string(DTypeCpp(c.dtype)) + ")" +
                           (c.device == Device::kCuda ? ".device(torch::kCUDA)" : "");
  std::string x = "torch::zeros({" + Join(c.input, ", ") + "}" + opts + ")";
  if (c.padding_mode != PaddingMode::kZeros) {
    x = "torch::nn::functional::pad(" + x + ", torch::nn::functional::PadFuncOptions({" +
        Join(ModulePads(c, WeightShape(c)), ", ") + "}).mode(torch::k" +
        (c.padding_mode == PaddingMode::kReflect ? "Reflect" : c.padding_mode == PaddingMode::kReplicate ? "Replicate" : "Circular") + "))";
  }
  std::ostringstream os;
  os << "at::" << OpName(c.op) << "(" << x << ", torch::zeros({" << Join(WeightShape(c), ", ")
     << "}" << opts << "), "
     << (c.bias ? "torch::zeros({" + std::to_string(BiasLength(c, WeightShape(c))) + "}" + opts + ")" : "{}")
     << ", {" << Join(c.stride, ", ") << "}, " << PaddingArg(c, false);
  if (IsTransposed(c.op)) {
    os << ", {" << Join(c.output_padding, ", ") << "}, " << c.groups << ", {"
       << Join(c.dilation, ", ") << "})";
  } else {
    os << ", {" << Join(c.dilation, ", ") << "}, " << c.groups << ")";
  }
  return os.str() + ".sizes()";
}

std::string PythonRepro(const ConvCase& c) {
  if (!IsConvOp(c.op)) return LayerPythonRepro(c);
  if (IsOnnxGeometry(c)) return OnnxPythonRepro(c);
  const std::string opts = std::string(", dtype=torch.") + DTypeName(c.dtype) +
                           (c.device == Device::kCuda ? ", device='cuda'" : "");
  std::string x = "torch.zeros(" + Join(c.input, ", ") + opts + ")";
  if (c.padding_mode != PaddingMode::kZeros) {
    x = "F.pad(" + x + ", " + Tuple(ModulePads(c, WeightShape(c))) + ", mode='" + PaddingModeName(c.padding_mode) + "')";
  }
  std::ostringstream os;
  os << "import torch; import torch.nn.functional as F; print(F." << OpName(c.op) << "(" << x
     << ", torch.zeros(" << Join(WeightShape(c), ", ") << opts << "), "
     << (c.bias ? "torch.zeros(" + std::to_string(BiasLength(c, WeightShape(c))) + opts + ")" : "None")
     << ", stride=" << Tuple(c.stride) << ", padding=" << PaddingArg(c, true);
  if (IsTransposed(c.op)) os << ", output_padding=" << Tuple(c.output_padding);
  os << ", groups=" << c.groups << ", dilation=" << Tuple(c.dilation) << ").shape)";
  return os.str();
}

std::string DescribeExpectation(const ShapeResult& r) {
  if (r.ok()) return "valid: " + FormatDims(r.shape());
  return std::string("invalid: ") + RuleName(r.violation().rule) + " (" + r.violation().message + ")";
}

std::string DescribeOutcome(const BackendOutcome& o) {
  switch (o.kind) {
    case BackendOutcome::Kind::kShape: return "shape " + FormatDims(o.shape);
    case BackendOutcome::Kind::kRejected:
      return (o.error_type.empty() ? "rejected: " : "rejected (" + o.error_type + "): ") + o.message;
    case BackendOutcome::Kind::kSkipped: return "skipped: " + o.message;
    case BackendOutcome::Kind::kCrashed: return "crashed: " + o.message;
    case BackendOutcome::Kind::kTimedOut: return "timed out: " + o.message;
  }
  return "?";
}

std::string ReproducerBlock(const CaseResult& r) {
  std::ostringstream os;
  os << "=== Divergence found\n"
     << "property: " << r.property << "\n"
     << "verdict:  " << VerdictName(r.verdict) << "\n"
     << "case:     " << CaseToJsonLine(r.c) << "\n"
     << "oracle:   " << DescribeExpectation(r.expected) << "\n"
     << "backend:  " << DescribeOutcome(r.outcome) << "\n"
     << (r.detail.empty() ? "" : "detail:   " + r.detail + "\n")
     << "C++:      " << CppRepro(r.c) << "\n"
     << "Python:   " << PythonRepro(r.c) << "\n";
  return os.str();
}

}  // namespace convcheck
