#include "sanity/layer_spec.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "case_io/bounded_json.h"
#include "case_io/case_json.h"

namespace convcheck::sanity {
namespace {

using nlohmann::json;

const std::map<std::string, LayerType>& TypeNames() {
  static const std::map<std::string, LayerType> names = {
      {"conv", LayerType::kConv},         {"convT", LayerType::kConvT},
      {"linear", LayerType::kLinear},     {"relu", LayerType::kReLU},
      {"tanh", LayerType::kTanh},         {"sigmoid", LayerType::kSigmoid},
      {"maxpool", LayerType::kMaxPool},   {"avgpool", LayerType::kAvgPool},
      {"batchnorm", LayerType::kBatchNorm}, {"flatten", LayerType::kFlatten},
      {"dropout", LayerType::kDropout}};
  return names;
}

// Keys each layer type accepts besides "type"; anything else is a typo and is rejected.
std::set<std::string> AllowedKeys(LayerType t) {
  switch (t) {
    case LayerType::kConv:
    case LayerType::kConvT: return {"init", "bias_init"};  // the rest: the case codec
    case LayerType::kLinear: return {"out_features", "bias", "init", "bias_init"};
    case LayerType::kMaxPool:
    case LayerType::kAvgPool: return {"kernel", "stride", "padding", "ceil_mode"};
    case LayerType::kDropout: return {"p"};
    case LayerType::kBatchNorm:
    case LayerType::kReLU:
    case LayerType::kTanh:
    case LayerType::kSigmoid:
    case LayerType::kFlatten: return {};
  }
  return {};
}

bool ReadDims(const json& v, std::vector<int64_t>* out) {
  if (v.is_number_integer()) {
    *out = {v.get<int64_t>()};
    return true;
  }
  if (!v.is_array() || v.empty()) return false;
  out->clear();
  for (const json& e : v) {
    if (!e.is_number_integer()) return false;
    out->push_back(e.get<int64_t>());
  }
  return true;
}

bool ReadPadding(const json& v, LayerSpec* l) {
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s == "same") l->same_padding = true;
    else if (s == "valid") l->padding = {0};
    else return false;
    return true;
  }
  return ReadDims(v, &l->padding);
}

// Reads one key of a layer; false when its value has the wrong form.
bool ReadKey(const std::string& key, const json& v, LayerSpec* l) {
  if (key == "out_channels" || key == "out_features") {
    if (!v.is_number_integer() || v.get<int64_t>() <= 0) return false;
    l->out = v.get<int64_t>();
    return true;
  }
  if (key == "kernel") return ReadDims(v, &l->kernel);
  if (key == "stride") return ReadDims(v, &l->stride);
  if (key == "padding") return ReadPadding(v, l);
  if (key == "dilation") return ReadDims(v, &l->dilation);
  if (key == "output_padding") return ReadDims(v, &l->output_padding);
  if (key == "groups") {
    if (!v.is_number_integer() || v.get<int64_t>() <= 0) return false;
    l->groups = v.get<int64_t>();
    return true;
  }
  if (key == "bias" || key == "ceil_mode") {
    if (!v.is_boolean()) return false;
    (key == "bias" ? l->bias : l->ceil_mode) = v.get<bool>();
    return true;
  }
  if (key == "p") {
    if (!v.is_number() || v.get<double>() < 0 || v.get<double>() >= 1) return false;
    l->p = v.get<double>();
    return true;
  }
  if (!v.is_string()) return false;
  std::optional<Init> init = ParseInit(v.get<std::string>());
  if (!init) return false;
  (key == "init" ? l->init : l->bias_init.emplace()) = *init;
  return true;
}

// A conv layer is a case without "input" (the format of `convcheck stack`'s layers): its geometry
// is read by the case codec itself, so a layer accepts exactly the keys and values a case does.
// The spatial rank comes from the longest per-dim list (scalars broadcast, as in PyTorch).
bool ReadConvGeometry(const json& j, LayerSpec* l, const std::string& where, std::string* error) {
  json c = json::object();
  size_t rank = 1;
  for (const auto& [key, value] : j.items()) {
    if (key == "type" || key == "init" || key == "bias_init") continue;
    c[key] = value;
    if (value.is_array()) rank = std::max(rank, value.size());
  }
  if (rank > 3) rank = 3;  // the codec names the bad list
  const bool transposed = l->type == LayerType::kConvT;
  c["op"] = std::string(transposed ? "conv_transpose" : "conv") + std::to_string(rank) + "d";
  json input = json::array({1, j.contains("groups") && j["groups"].is_number_integer() ? j["groups"] : json(1)});
  for (size_t i = 0; i < rank; ++i) input.push_back(1);
  c["input"] = input;
  const CaseParseResult parsed = CaseFromJson(c);
  if (!parsed.ok()) {
    *error = where + ": " + parsed.error;
    return false;
  }
  const ConvCase& cc = *parsed.value;
  if (cc.out_channels <= 0 || cc.groups <= 0) {
    *error = where + ": " + (cc.out_channels <= 0 ? "out_channels" : "groups") + " must be positive";
    return false;
  }
  l->out = cc.out_channels;
  l->kernel = cc.kernel;
  l->stride = cc.stride;
  l->padding = cc.padding;
  l->dilation = cc.dilation;
  l->output_padding = cc.output_padding.empty() ? Dims{0} : cc.output_padding;
  l->same_padding = cc.padding_kind == PaddingKind::kSame;
  l->groups = cc.groups;
  l->bias = cc.bias;
  return true;
}

bool ParseLayer(const json& j, size_t index, LayerSpec* l, std::string* error) {
  const std::string where = "layers[" + std::to_string(index) + "]";
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string()) {
    *error = where + ": must be an object with a string \"type\"";
    return false;
  }
  auto it = TypeNames().find(j["type"].get<std::string>());
  if (it == TypeNames().end()) {
    *error = where + ": unknown type '" + j["type"].get<std::string>() +
             "' (conv, convT, linear, relu, tanh, sigmoid, maxpool, avgpool, batchnorm, "
             "flatten, dropout)";
    return false;
  }
  l->type = it->second;
  const bool conv = l->type == LayerType::kConv || l->type == LayerType::kConvT;
  if (conv && !ReadConvGeometry(j, l, where, error)) return false;
  const std::set<std::string> allowed = AllowedKeys(l->type);
  for (const auto& [key, value] : j.items()) {
    if (key == "type") continue;
    if (conv && key != "init" && key != "bias_init") continue;  // read by the case codec
    if (!allowed.count(key)) {
      *error = where + ": unknown key '" + key + "' for " + it->first;
      return false;
    }
    if (!ReadKey(key, value, l)) {
      *error = where + ": bad value for '" + key + "': " + value.dump();
      return false;
    }
  }
  // PyTorch's pools have no SAME mode, and TF's SAME pooling (ceil(x/s) outputs, asymmetric
  // padding that never wins the max) is not expressible as symmetric padding: modelling it with
  // floor pooling silently changed a TF network's fan-in (17280 instead of 18432). Refuse it.
  const bool pool = l->type == LayerType::kMaxPool || l->type == LayerType::kAvgPool;
  if (pool && l->same_padding) {
    *error = where + ": " + it->first + ": padding \"same\" (TF SAME pooling) is not supported: PyTorch pools "
             "pad symmetrically; give \"padding\" as integers (at most kernel/2) and \"ceil_mode\": true to round up";
    return false;
  }
  const bool needs_out = l->type == LayerType::kConv || l->type == LayerType::kConvT ||
                         l->type == LayerType::kLinear;
  if (needs_out && l->out <= 0) {
    *error = where + ": " + it->first + " needs " +
             (l->type == LayerType::kLinear ? "out_features" : "out_channels");
    return false;
  }
  return true;
}

bool ParseTopLevel(const json& doc, ModelSpec* out, json* layers, std::string* error) {
  if (doc.is_array()) {
    *layers = doc;
    return true;
  }
  if (!doc.is_object() || !doc.contains("layers") || !doc["layers"].is_array()) {
    *error = "model JSON: expected an array of layers or an object with \"layers\"";
    return false;
  }
  for (const auto& [key, value] : doc.items()) {
    if (key == "layers") continue;
    if (key == "task" && value.is_string() &&
        (value == "classification" || value == "regression")) {
      out->task = value.get<std::string>();
    } else if (key == "pretrained" && value.is_boolean()) {
      out->pretrained = value.get<bool>();
    } else {
      *error = "model JSON: unknown key or bad value '" + key + "' (task: classification|" +
               "regression, pretrained: bool, layers: [...])";
      return false;
    }
  }
  *layers = doc["layers"];
  return true;
}

}  // namespace

const char* LayerTypeName(LayerType t) {
  for (const auto& [name, type] : TypeNames()) {
    if (type == t) return name.c_str();
  }
  return "?";
}

std::optional<Init> ParseInit(const std::string& text) {
  static const std::map<std::string, Init::Kind> plain = {
      {"default", Init::Kind::kDefault}, {"he", Init::Kind::kHe},
      {"glorot", Init::Kind::kGlorot},   {"lecun", Init::Kind::kLeCun},
      {"zeros", Init::Kind::kZeros}};
  static const std::map<std::string, Init::Kind> with_arg = {
      {"normal", Init::Kind::kNormal}, {"uniform", Init::Kind::kUniform},
      {"constant", Init::Kind::kConstant}};
  if (auto it = plain.find(text); it != plain.end()) return Init{it->second, 0};
  const size_t open = text.find('(');
  if (open == std::string::npos || text.back() != ')') return std::nullopt;
  auto it = with_arg.find(text.substr(0, open));
  if (it == with_arg.end()) return std::nullopt;
  const std::string arg = text.substr(open + 1, text.size() - open - 2);
  char* end = nullptr;
  const double value = std::strtod(arg.c_str(), &end);
  if (arg.empty() || *end != '\0' || !std::isfinite(value)) return std::nullopt;
  if (it->second != Init::Kind::kConstant && value < 0) return std::nullopt;
  return Init{it->second, value};
}

std::string InitName(const Init& init) {
  std::ostringstream s;
  s << init.value;
  switch (init.kind) {
    case Init::Kind::kDefault: return "default";
    case Init::Kind::kHe: return "he";
    case Init::Kind::kGlorot: return "glorot";
    case Init::Kind::kLeCun: return "lecun";
    case Init::Kind::kZeros: return "zeros";
    case Init::Kind::kNormal: return "normal(" + s.str() + ")";
    case Init::Kind::kUniform: return "uniform(" + s.str() + ")";
    case Init::Kind::kConstant: return "constant(" + s.str() + ")";
  }
  return "?";
}

bool ParseModelSpec(const std::string& json_text, ModelSpec* out, std::string* error) {
  const json doc = ParseBoundedJson(json_text, error);
  if (doc.is_discarded()) {
    *error = "model JSON: " + *error;
    return false;
  }
  *out = ModelSpec{};
  json layers;
  if (!ParseTopLevel(doc, out, &layers, error)) return false;
  if (layers.empty()) {
    *error = "model JSON: no layers";
    return false;
  }
  for (size_t i = 0; i < layers.size(); ++i) {
    LayerSpec l;
    if (!ParseLayer(layers[i], i, &l, error)) return false;
    out->layers.push_back(l);
  }
  return true;
}

}  // namespace convcheck::sanity
