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
      {"MaxUnpool1d", {"max_unpool", 1, {"kernel_size", "stride", "padding"}}},
      {"MaxUnpool2d", {"max_unpool", 2, {"kernel_size", "stride", "padding"}}},
      {"MaxUnpool3d", {"max_unpool", 3, {"kernel_size", "stride", "padding"}}},
      // nn.Upsample takes its rank from the input: rank -1 means "the stack's" (ParseLayerModule).
      {"Upsample", {"upsample", -1, {"size", "scale_factor", "mode", "align_corners", "recompute_scale_factor"}}},
      {"UpsamplingNearest2d", {"upsample", 2, {"size", "scale_factor"}}},
      {"UpsamplingBilinear2d", {"upsample", 2, {"size", "scale_factor"}}},
      {"Flatten", {"flatten", 0, {"start_dim", "end_dim"}}},
      {"Linear", {"linear", 0, {"in_features", "out_features", "bias", "device", "dtype"}}}};
  const auto it = kNames.find(base);
  if (it == kNames.end()) return std::nullopt;
  return it->second;
}

// A number, a string, a tuple/list of numbers, True/False or None, as JSON; nullopt for
// anything else.
std::optional<json> Literal(const PyValue& v) {
  if (v.kind == PyValue::Kind::kInt) return json(v.integer);
  if (v.kind == PyValue::Kind::kFloat) return json(v.real);
  if (v.kind == PyValue::Kind::kString) return json(v.text);
  if (v.kind == PyValue::Kind::kName) {
    if (v.text == "True" || v.text == "False") return json(v.text == "True");
    if (v.text == "None") return json(nullptr);
    return std::nullopt;
  }
  if (v.kind != PyValue::Kind::kTuple && v.kind != PyValue::Kind::kList) return std::nullopt;
  json list = json::array();
  for (const PyValue& e : v.items) {
    if (e.kind == PyValue::Kind::kInt) list.push_back(e.integer);
    else if (e.kind == PyValue::Kind::kFloat) list.push_back(e.real);
    else return std::nullopt;
  }
  return list;
}

// nn.Upsample's rank: the length of a size/scale_factor tuple, else the stack's.
int UpsampleRank(const std::map<std::string, PyValue>& args, int rank_hint) {
  for (const char* key : {"size", "scale_factor"}) {
    const auto it = args.find(key);
    if (it == args.end()) continue;
    const PyValue& v = it->second;
    if ((v.kind == PyValue::Kind::kTuple || v.kind == PyValue::Kind::kList) && v.items.size() >= 1 && v.items.size() <= 3) {
      return static_cast<int>(v.items.size());
    }
  }
  return rank_hint >= 1 && rank_hint <= 3 ? rank_hint : 2;
}

// PyTorch's argument name -> the case key.
std::string CaseKey(const std::string& name) {
  if (name == "kernel_size") return "kernel";
  return name;
}

}  // namespace

std::optional<LayerModuleParse> ParseLayerModule(const PyValue& call, int rank_hint) {
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
  const int rank = m->rank < 0 ? UpsampleRank(args, rank_hint) : m->rank;
  json j = {{"op", m->op + (rank ? std::to_string(rank) + "d" : "")}};
  j["input"] = json(Dims(rank ? static_cast<size_t>(rank) + 2 : 2, 1));
  // nn.UpsamplingBilinear2d is F.interpolate(mode="bilinear", align_corners=True).
  if (call.text.find("UpsamplingBilinear2d") != std::string::npos) {
    j["mode"] = "bilinear";
    j["align_corners"] = true;
  }
  for (const auto& [name, value] : args) {
    if (name == "return_indices" || name == "device" || name == "dtype") continue;  // no effect on the shape
    if (name == "recompute_scale_factor") {
      // True computes the size in Python (floor of the float product) and is not modelled.
      if (value.kind == PyValue::Kind::kName && (value.text == "None" || value.text == "False")) continue;
      return LayerModuleParse{std::nullopt, where + "recompute_scale_factor: only None or False is modelled"};
    }
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
