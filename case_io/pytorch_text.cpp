#include "case_io/layer_pytorch_parse.h"
#include "case_io/layer_pytorch_text.h"
#include "oracles/layer_ops.h"
#include "case_io/pytorch_text.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "case_io/py_call.h"

namespace convcheck {
namespace {

using nlohmann::json;

// Thrown only inside this file and caught by the public functions.
struct TextError {
  std::string message;
};

[[noreturn]] void Fail(const std::string& message) { throw TextError{message}; }

struct Callee {
  bool transposed = false;
  bool functional = false;
  int rank = 2;
};

std::string StripPrefix(const std::string& name) {
  for (const char* prefix : {"torch.nn.functional.", "nn.functional.", "torch.nn.", "nn.", "F.", "torch."}) {
    const std::string p = prefix;
    if (name.compare(0, p.size(), p) == 0) return name.substr(p.size());
  }
  return name;
}

std::optional<Callee> Recognize(const std::string& callee) {
  const std::string base = StripPrefix(callee);
  static const std::map<std::string, Callee> kNames = {
      {"Conv1d", {false, false, 1}},          {"Conv2d", {false, false, 2}},
      {"Conv3d", {false, false, 3}},          {"ConvTranspose1d", {true, false, 1}},
      {"ConvTranspose2d", {true, false, 2}},  {"ConvTranspose3d", {true, false, 3}},
      {"conv1d", {false, true, 1}},           {"conv2d", {false, true, 2}},
      {"conv3d", {false, true, 3}},           {"conv_transpose1d", {true, true, 1}},
      {"conv_transpose2d", {true, true, 2}},  {"conv_transpose3d", {true, true, 3}}};
  const auto it = kNames.find(base);
  if (it == kNames.end()) return std::nullopt;
  return it->second;
}

// PyTorch's own parameter order (torch/nn/modules/conv.py, torch/nn/functional.py): the transposed
// module puts output_padding, groups, bias before dilation.
const std::vector<std::string>& Parameters(const Callee& c) {
  static const std::vector<std::string> kConv = {"in_channels", "out_channels", "kernel_size", "stride", "padding",
                                                 "dilation", "groups", "bias", "padding_mode", "device", "dtype"};
  static const std::vector<std::string> kConvT = {"in_channels", "out_channels", "kernel_size", "stride",
                                                  "padding", "output_padding", "groups", "bias", "dilation",
                                                  "padding_mode", "device", "dtype"};
  static const std::vector<std::string> kF = {"input", "weight", "bias", "stride", "padding", "dilation", "groups"};
  static const std::vector<std::string> kFT = {"input", "weight", "bias", "stride", "padding", "output_padding",
                                               "groups", "dilation"};
  if (c.functional) return c.transposed ? kFT : kF;
  return c.transposed ? kConvT : kConv;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::map<std::string, PyValue> BindArguments(const PyValue& call, const Callee& c) {
  const std::vector<std::string>& params = Parameters(c);
  if (call.items.size() > params.size()) {
    Fail("takes at most " + std::to_string(params.size()) + " positional arguments, got " + std::to_string(call.items.size()));
  }
  std::map<std::string, PyValue> args;
  for (size_t i = 0; i < call.items.size(); ++i) args[params[i]] = call.items[i];
  for (const auto& [name, value] : call.keywords) {
    if (std::find(params.begin(), params.end(), name) == params.end()) {
      Fail(name + ": unknown argument (accepted: " + Join(params) + ")");
    }
    if (args.count(name)) Fail(name + ": given twice (positionally and by keyword)");
    args[name] = value;
  }
  return args;
}

[[noreturn]] void NotALiteral(const std::string& key, const PyValue& v) {
  if (v.kind == PyValue::Kind::kName) {
    Fail(key + ": '" + v.text + "' is a Python name; convcheck reads the text and never runs it, so write the value");
  }
  Fail(key + ": unexpected " + PyValueText(v));
}

json IntOrTuple(const std::string& key, const PyValue& v) {
  if (v.kind == PyValue::Kind::kInt) return v.integer;
  if (v.kind != PyValue::Kind::kTuple && v.kind != PyValue::Kind::kList) NotALiteral(key, v);
  json list = json::array();
  for (const PyValue& e : v.items) {
    if (e.kind != PyValue::Kind::kInt) NotALiteral(key, e);
    list.push_back(e.integer);
  }
  return list;
}

json BoolValue(const std::string& key, const PyValue& v) {
  if (v.kind == PyValue::Kind::kName && (v.text == "True" || v.text == "False")) return v.text == "True";
  NotALiteral(key, v);
}

std::optional<json> DeviceValue(const PyValue& v) {
  const PyValue* s = &v;
  if (v.kind == PyValue::Kind::kCall && StripPrefix(v.text) == "device" && v.items.size() == 1) s = &v.items[0];
  if (s->kind == PyValue::Kind::kName && s->text == "None") return std::nullopt;
  if (s->kind != PyValue::Kind::kString) NotALiteral("device", v);
  const std::string name = s->text.substr(0, s->text.find(':'));  // "cuda:1" runs like "cuda"
  return json(name);
}

std::optional<json> DTypeValue(const PyValue& v) {
  if (v.kind != PyValue::Kind::kName) NotALiteral("dtype", v);
  if (v.text == "None") return std::nullopt;
  static const std::map<std::string, std::string> kAliases = {
      {"float", "float32"}, {"double", "float64"}, {"half", "float16"}};
  std::string name = StripPrefix(v.text);
  if (kAliases.count(name)) name = kAliases.at(name);
  return json(name);  // the codec lists the accepted dtypes when this one is not among them
}

// Fills the keys every call shares; `kernel_size` is the module's, the functional form has none.
void CopyCommon(const std::map<std::string, PyValue>& args, json* j) {
  for (const char* key : {"stride", "dilation", "output_padding", "groups"}) {
    if (args.count(key)) (*j)[key] = IntOrTuple(key, args.at(key));
  }
  if (args.count("groups") && !(*j)["groups"].is_number_integer()) Fail("groups: expected an integer");
  if (args.count("padding")) {
    const PyValue& p = args.at("padding");
    (*j)["padding"] = p.kind == PyValue::Kind::kString ? json(p.text) : IntOrTuple("padding", p);
  }
}

// Runs the codec and renames its keys back to PyTorch's ("kernel: ..." is "kernel_size: ...").
ConvCase Decode(const json& j) {
  CaseParseResult r = CaseFromJson(j);
  if (r.ok()) return *r.value;
  std::string error = r.error;
  if (error.compare(0, 8, "kernel: ") == 0) error = "kernel_size: " + error.substr(8);
  Fail(error);
}

Dims Required(const std::map<std::string, PyValue>& args, const std::string& key, const std::optional<Dims>& given,
              const char* flag) {
  static const std::set<std::string> kFactories = {"randn", "rand", "empty", "zeros", "ones", "Tensor"};
  if (!args.count(key)) Fail(key + ": required");
  const PyValue& v = args.at(key);
  if (v.kind == PyValue::Kind::kCall && kFactories.count(StripPrefix(v.text))) {
    const bool one_tuple = v.items.size() == 1 && v.items[0].kind != PyValue::Kind::kInt;
    const json shape = one_tuple ? IntOrTuple(key, v.items[0]) : IntOrTuple(key, PyValue{PyValue::Kind::kTuple, 0, "", v.items, {}});
    return shape.get<Dims>();
  }
  if (given) return *given;
  Fail(key + ": '" + PyValueText(v) + "' is a variable; give its shape with " + flag +
       " or write it as torch.empty(...) with the shape");
}

ConvCase ModuleCase(const Callee& c, const std::map<std::string, PyValue>& args, const Dims& input) {
  for (const char* key : {"in_channels", "out_channels", "kernel_size"}) {
    if (!args.count(key)) Fail(std::string(key) + ": required");
  }
  json j;
  j["op"] = OpName(MakeOp(c.transposed, c.rank));
  j["input"] = input;
  j["out_channels"] = IntOrTuple("out_channels", args.at("out_channels"));
  j["kernel"] = IntOrTuple("kernel_size", args.at("kernel_size"));
  CopyCommon(args, &j);
  if (args.count("bias")) j["bias"] = BoolValue("bias", args.at("bias"));
  if (args.count("padding_mode")) {
    const PyValue& m = args.at("padding_mode");
    if (m.kind != PyValue::Kind::kString) NotALiteral("padding_mode", m);
    j["padding_mode"] = m.text;
  }
  if (args.count("device")) {
    if (auto d = DeviceValue(args.at("device"))) j["device"] = *d;
  }
  if (args.count("dtype")) {
    if (auto t = DTypeValue(args.at("dtype"))) j["dtype"] = *t;
  }
  const json in = IntOrTuple("in_channels", args.at("in_channels"));
  if (!in.is_number_integer() || in.get<int64_t>() < 0) Fail("in_channels: expected a non-negative integer");
  ConvCase out = Decode(j);
  const int64_t in_channels = in.get<int64_t>();
  // A module built for other channels than the input has is still a case: PyTorch rejects it at
  // run time through the weight's shape, and so does the oracle.
  if (in_channels != InChannels(out) && out.groups > 0) {
    // Built by push_back: GCC 12 warns (-Wstringop-overflow, a false positive) on an
    // initializer-list vector grown by insert once this function is inlined.
    Dims w;
    w.reserve(2 + out.kernel.size());
    w.push_back(c.transposed ? in_channels : out.out_channels);
    w.push_back(c.transposed ? out.out_channels / out.groups : in_channels / out.groups);
    for (int64_t k : out.kernel) w.push_back(k);
    out.weight_shape = w;
  }
  return out;
}

ConvCase FunctionalCase(const Callee& c, const std::map<std::string, PyValue>& args, const PyTorchGiven& given) {
  json j;
  j["op"] = OpName(MakeOp(c.transposed, c.rank));
  j["input"] = Required(args, "input", given.input, "--input");
  const Dims w = Required(args, "weight", given.weight, "--weight");
  if (w.size() != static_cast<size_t>(c.rank) + 2) {
    Fail("weight: expected " + std::to_string(c.rank + 2) + " dims, got " + FormatDims(w));
  }
  CopyCommon(args, &j);
  const int64_t groups = j.contains("groups") ? j["groups"].get<int64_t>() : 1;
  j["out_channels"] = c.transposed ? w[1] * groups : w[0];
  j["kernel"] = Dims(w.begin() + 2, w.end());
  // F.conv* take a bias tensor or None.
  if (args.count("bias")) j["bias"] = !(args.at("bias").kind == PyValue::Kind::kName && args.at("bias").text == "None");
  ConvCase out = Decode(j);
  if (WeightShape(out) != w) out.weight_shape = w;
  return out;
}

const char kNeedsInput[] = ": the input shape is not in the text; give it with --input N,C,... (e.g. --input 1,3,32,32)";

// A pool, nn.Flatten or nn.Linear module (layer_pytorch_parse.h) on the given input.
ConvCase LayerFromModule(const PyValue& v, const LayerModuleParse& layer, const PyTorchGiven& given) {
  if (!layer.error.empty()) Fail(layer.error);
  if (!given.input) Fail(v.text + kNeedsInput);
  ConvCase c = *layer.layer;
  c.input = *given.input;
  return c;
}

ConvCase CaseFromCall(const PyValue& v, const PyTorchGiven& given) {
  if (v.kind != PyValue::Kind::kCall) Fail("expected a layer such as nn.Conv2d(3, 8, 3), got " + PyValueText(v));
  const std::optional<Callee> c = Recognize(v.text);
  if (!c) {
    if (const std::optional<LayerModuleParse> layer = ParseLayerModule(v)) return LayerFromModule(v, *layer, given);
    Fail(v.text + ": not a convolution, pool, up-sampler, nn.Flatten or nn.Linear (expected nn.Conv1d/2d/3d, "
                  "nn.ConvTranspose1d/2d/3d, F.conv1d/2d/3d, F.conv_transpose1d/2d/3d, nn.MaxPool1d/2d/3d, "
                  "nn.AvgPool1d/2d/3d, nn.AdaptiveAvgPool1d/2d/3d, nn.AdaptiveMaxPool1d/2d/3d, "
                  "nn.MaxUnpool1d/2d/3d, nn.Upsample, nn.UpsamplingNearest2d, nn.UpsamplingBilinear2d, "
                  "nn.Flatten or nn.Linear)");
  }
  try {
    const std::map<std::string, PyValue> args = BindArguments(v, *c);
    if (c->functional) return FunctionalCase(*c, args, given);
    if (!given.input) Fail(std::string(kNeedsInput).substr(2));
    return ModuleCase(*c, args, *given.input);
  } catch (const TextError& e) {
    Fail(v.text + ": " + e.message);
  }
}

// Modules that keep the shape of their input: a stack passes over them.
bool KeepsShape(const std::string& callee) {
  static const std::set<std::string> kNames = {
      "ReLU", "ReLU6", "LeakyReLU", "PReLU", "GELU", "SiLU", "Mish", "ELU", "SELU", "CELU", "Sigmoid", "Tanh",
      "Hardswish", "Hardsigmoid", "Hardtanh", "Softplus", "Identity", "Dropout", "Dropout1d", "Dropout2d",
      "Dropout3d", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm1d", "InstanceNorm2d",
      "InstanceNorm3d", "GroupNorm", "LayerNorm"};
  return kNames.count(StripPrefix(callee)) > 0;
}

std::vector<PyStatement> StackLayers(const std::vector<PyStatement>& statements) {
  if (statements.size() != 1) return statements;
  const PyValue& v = statements[0].value;
  const bool sequential = v.kind == PyValue::Kind::kCall && StripPrefix(v.text) == "Sequential";
  if (!sequential && v.kind != PyValue::Kind::kList) return statements;
  if (sequential && !v.keywords.empty()) Fail(v.text + ": keyword arguments are not layers");
  std::vector<PyStatement> layers;
  for (const PyValue& item : v.items) layers.push_back({"", item, statements[0].line});
  return layers;
}

std::string LayerName(const std::string& target) {
  const std::string self = "self.";
  return target.compare(0, self.size(), self) == 0 ? target.substr(self.size()) : target;
}

std::string FormatValue(const Dims& d) {
  for (int64_t v : d) {
    if (v != d.front()) return PyTuple(d);
  }
  return d.empty() ? "0" : std::to_string(d.front());
}

bool AllEqual(const Dims& d, int64_t value) {
  return std::all_of(d.begin(), d.end(), [value](int64_t v) { return v == value; });
}

}  // namespace

CaseParseResult ParsePyTorchCase(const std::string& text, const PyTorchGiven& given) {
  const PyParseResult parsed = ParsePython(text);
  if (!parsed.ok()) return {std::nullopt, parsed.error};
  if (parsed.statements.size() != 1) {
    return {std::nullopt, "expected one layer, got " + std::to_string(parsed.statements.size()) + " statements"};
  }
  try {
    return {CaseFromCall(parsed.statements[0].value, given), ""};
  } catch (const TextError& e) {
    return {std::nullopt, e.message};
  }
}

StackParseResult ParsePyTorchStack(const std::string& text) {
  const PyParseResult parsed = ParsePython(text);
  if (!parsed.ok()) return {std::nullopt, parsed.error};
  Stack stack;
  try {
    for (const PyStatement& st : StackLayers(parsed.statements)) {
      const std::string label = "layer " + std::to_string(stack.size() + 1) + " (line " + std::to_string(st.line) + ")";
      if (st.value.kind == PyValue::Kind::kCall && KeepsShape(st.value.text)) continue;
      // pools, up-samplers, Flatten, Linear; nn.Upsample takes the stack's rank
      if (const std::optional<LayerModuleParse> pool = ParseLayerModule(st.value, StackSpatialRank(stack))) {
        if (!pool->error.empty()) Fail(label + ": " + pool->error);
        stack.push_back({LayerName(st.target), *pool->layer});
        continue;
      }
      const std::optional<Callee> c = st.value.kind == PyValue::Kind::kCall ? Recognize(st.value.text) : std::nullopt;
      if (c && c->functional) Fail(label + ": " + st.value.text + ": a stack takes modules (nn.Conv2d(...)), not functional calls");
      ConvCase layer;
      try {
        layer = CaseFromCall(st.value, {Dims(static_cast<size_t>(c ? c->rank : 1) + 2, 1), std::nullopt});
      } catch (const TextError& e) {
        Fail(label + ": " + e.message);
      }
      // The stack supplies each layer's input, so the module's in_channels is kept as its weight
      // shape: a layer that does not take the previous layer's channels is then rejected.
      layer.weight_shape = WeightShape(layer);
      if (!stack.empty() && StackSpatialRank(stack) != 0 && SpatialRank(layer.op) != StackSpatialRank(stack)) {
        Fail(label + ": " + st.value.text + " has a different spatial rank than layer 1");
      }
      stack.push_back({LayerName(st.target), layer});
    }
  } catch (const TextError& e) {
    return {std::nullopt, e.message};
  }
  if (stack.empty()) return {std::nullopt, "stack: no convolution layers in the text"};
  return {stack, ""};
}

bool LooksLikePyTorch(const std::string& text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  if (i == std::string::npos || text.find('(') == std::string::npos) return false;
  if (text[i] == '[') i = text.find_first_not_of(" \t\r\n", i + 1);
  return i != std::string::npos && (std::isalpha(static_cast<unsigned char>(text[i])) || text[i] == '_');
}

std::string PyTuple(const Dims& d) {
  std::ostringstream os;
  os << "(";
  for (size_t i = 0; i < d.size(); ++i) os << (i ? ", " : "") << d[i];
  os << (d.size() == 1 ? ",)" : ")");
  return os.str();
}

std::string PyTorchModule(const ConvCase& c, const std::string& in_channels, const std::string& out_channels) {
  if (!IsConvOp(c.op)) return PyTorchLayerModule(c);
  const bool t = IsTransposed(c.op);
  int64_t in = InChannels(c);
  if (c.weight_shape && c.weight_shape->size() >= 2) in = t ? (*c.weight_shape)[0] : (*c.weight_shape)[1] * c.groups;
  std::ostringstream os;
  os << "nn.Conv" << (t ? "Transpose" : "") << SpatialRank(c.op) << "d("
     << (in_channels.empty() ? std::to_string(in) : in_channels) << ", "
     << (out_channels.empty() ? std::to_string(c.out_channels) : out_channels)
     << ", kernel_size=" << FormatValue(c.kernel);
  if (!AllEqual(c.stride, 1)) os << ", stride=" << FormatValue(c.stride);
  if (c.padding_kind == PaddingKind::kSame) os << ", padding='same'";
  if (c.padding_kind == PaddingKind::kValid) os << ", padding='valid'";
  if (c.padding_kind == PaddingKind::kExplicit && !AllEqual(c.padding, 0)) os << ", padding=" << FormatValue(c.padding);
  if (t && !AllEqual(c.output_padding, 0)) os << ", output_padding=" << FormatValue(c.output_padding);
  if (!AllEqual(c.dilation, 1)) os << ", dilation=" << FormatValue(c.dilation);
  if (c.groups != 1) os << ", groups=" << c.groups;
  if (!c.bias) os << ", bias=False";
  if (c.padding_mode != PaddingMode::kZeros) os << ", padding_mode='" << PaddingModeName(c.padding_mode) << "'";
  if (c.device != Device::kCpu) os << ", device='" << DeviceName(c.device) << "'";
  if (c.dtype != DType::kFloat32) os << ", dtype=torch." << DTypeName(c.dtype);
  os << ")";
  return os.str();
}

}  // namespace convcheck
