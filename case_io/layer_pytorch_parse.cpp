#include "case_io/layer_pytorch_parse.h"

#include <algorithm>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "case_io/case_json.h"

namespace convcheck {
namespace {

using nlohmann::json;

struct Module {
  std::string op;  // case op without the rank ("max_pool") or whole ("flatten")
  int rank = 0;    // 0: no rank suffix
  std::vector<std::string> params;  // PyTorch's parameter order (torch/nn/modules/*.py)
};

std::optional<Module> Recognize(const std::string& callee) {
  std::string base = callee;
  for (const char* prefix : {"torch.nn.", "nn."}) {
    const std::string p = prefix;
    if (base.compare(0, p.size(), p) == 0) base = base.substr(p.size());
  }
  const std::vector<std::string> max = {"kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"};
  const std::vector<std::string> avg = {"kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"};
  static const std::map<std::string, Module> kNames = {
      {"MaxPool1d", {"max_pool", 1, max}}, {"MaxPool2d", {"max_pool", 2, max}}, {"MaxPool3d", {"max_pool", 3, max}},
      {"AvgPool1d", {"avg_pool", 1, avg}}, {"AvgPool2d", {"avg_pool", 2, avg}}, {"AvgPool3d", {"avg_pool", 3, avg}},
      {"AdaptiveAvgPool1d", {"adaptive_avg_pool", 1, {"output_size"}}},
      {"AdaptiveAvgPool2d", {"adaptive_avg_pool", 2, {"output_size"}}},
      {"AdaptiveAvgPool3d", {"adaptive_avg_pool", 3, {"output_size"}}},
      {"AdaptiveMaxPool1d", {"adaptive_max_pool", 1, {"output_size", "return_indices"}}},
      {"AdaptiveMaxPool2d", {"adaptive_max_pool", 2, {"output_size", "return_indices"}}},
      {"AdaptiveMaxPool3d", {"adaptive_max_pool", 3, {"output_size", "return_indices"}}},
      {"Flatten", {"flatten", 0, {"start_dim", "end_dim"}}},
      {"Linear", {"linear", 0, {"in_features", "out_features", "bias", "device", "dtype"}}}};
  const auto it = kNames.find(base);
  if (it == kNames.end()) return std::nullopt;
  return it->second;
}

// An int, a tuple/list of ints, True/False or None, as JSON; nullopt for anything else.
std::optional<json> Literal(const PyValue& v) {
  if (v.kind == PyValue::Kind::kInt) return json(v.integer);
  if (v.kind == PyValue::Kind::kName) {
    if (v.text == "True" || v.text == "False") return json(v.text == "True");
    if (v.text == "None") return json(nullptr);
    return std::nullopt;
  }
  if (v.kind != PyValue::Kind::kTuple && v.kind != PyValue::Kind::kList) return std::nullopt;
  json list = json::array();
  for (const PyValue& e : v.items) {
    if (e.kind != PyValue::Kind::kInt) return std::nullopt;
    list.push_back(e.integer);
  }
  return list;
}

// PyTorch's argument name -> the case key.
std::string CaseKey(const std::string& name) {
  if (name == "kernel_size") return "kernel";
  return name;
}

}  // namespace

std::optional<LayerModuleParse> ParseLayerModule(const PyValue& call) {
  if (call.kind != PyValue::Kind::kCall) return std::nullopt;
  const std::optional<Module> m = Recognize(call.text);
  if (!m) return std::nullopt;
  const std::string where = call.text + ": ";
  if (call.items.size() > m->params.size()) {
    return LayerModuleParse{std::nullopt, where + "takes at most " + std::to_string(m->params.size()) + " positional arguments"};
  }
  std::map<std::string, PyValue> args;
  for (size_t i = 0; i < call.items.size(); ++i) args[m->params[i]] = call.items[i];
  for (const auto& [name, value] : call.keywords) {
    if (std::find(m->params.begin(), m->params.end(), name) == m->params.end()) {
      return LayerModuleParse{std::nullopt, where + name + ": unknown argument"};
    }
    args[name] = value;
  }
  json j = {{"op", m->op + (m->rank ? std::to_string(m->rank) + "d" : "")}};
  j["input"] = json(Dims(m->rank ? static_cast<size_t>(m->rank) + 2 : 2, 1));
  for (const auto& [name, value] : args) {
    if (name == "return_indices" || name == "device" || name == "dtype") continue;  // no effect on the shape
    const std::optional<json> lit = Literal(value);
    if (!lit) return LayerModuleParse{std::nullopt, where + name + ": expected a literal, got " + PyValueText(value)};
    if (lit->is_null()) continue;  // stride=None, divisor_override=None: the default
    j[CaseKey(name)] = *lit;
  }
  const CaseParseResult parsed = CaseFromJson(j);
  if (!parsed.ok()) return LayerModuleParse{std::nullopt, where + parsed.error};
  return LayerModuleParse{parsed.value, ""};
}

}  // namespace convcheck
