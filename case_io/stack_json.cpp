#include "case_io/stack_json.h"

#include <nlohmann/json.hpp>

#include "case_io/bounded_json.h"
#include "case_io/case_json.h"
#include "oracles/layer_ops.h"

namespace convcheck {
namespace {

using nlohmann::json;

std::string LayerLabel(size_t i, const std::string& name) {
  return "layer " + std::to_string(i + 1) + (name.empty() ? "" : " (" + name + ")");
}

// The placeholder's rank must match the op for the codec to accept it; an unknown op is left
// for the codec to report with its own message.
json Placeholder(const json& layer) {
  int rank = 1;
  if (layer.contains("op") && layer.at("op").is_string()) {
    if (const auto op = ParseOpName(layer.at("op").get<std::string>())) rank = SpatialRank(*op);
  }
  return json(Dims(static_cast<size_t>(rank) + 2, 1));
}

}  // namespace

StackParseResult StackFromJson(const json& j) {
  if (!j.is_array()) return {std::nullopt, std::string("stack: expected a JSON list of layers, got ") + j.type_name()};
  if (j.empty()) return {std::nullopt, "stack: the list of layers is empty"};
  Stack stack;
  int spatial_rank = 0;
  for (size_t i = 0; i < j.size(); ++i) {
    json layer = j[i];
    if (!layer.is_object()) return {std::nullopt, LayerLabel(i, "") + ": expected a JSON object"};
    std::string name;
    if (layer.contains("name")) {
      if (!layer.at("name").is_string()) return {std::nullopt, LayerLabel(i, "") + ": name: expected a string"};
      name = layer.at("name").get<std::string>();
      layer.erase("name");
    }
    if (layer.contains("input")) {
      return {std::nullopt, LayerLabel(i, name) + ": input: not allowed in a stack layer (give the stack's input with --input)"};
    }
    layer["input"] = Placeholder(layer);
    CaseParseResult parsed = CaseFromJson(layer);
    if (!parsed.ok()) return {std::nullopt, LayerLabel(i, name) + ": " + parsed.error};
    // Layers with spatial dims (convolutions, pools, up-samplers) must agree; flatten, linear and the
    // shape-neutral layers take whatever shape reaches them.
    const Op op = parsed.value->op;
    const bool spatial = HasSpatialDims(op);
    if (spatial && spatial_rank == 0) spatial_rank = SpatialRank(op);
    if (spatial && SpatialRank(op) != spatial_rank) {
      return {std::nullopt, LayerLabel(i, name) + ": op: " + OpName(parsed.value->op) + " has a different spatial rank than the stack's first convolution or pool"};
    }
    stack.push_back({name, *parsed.value});
  }
  return {stack, ""};
}

StackParseResult ParseStackText(const std::string& text) {
  std::string error;
  json j = ParseBoundedJson(text, &error);
  if (j.is_discarded()) return {std::nullopt, "stack: " + error};
  return StackFromJson(j);
}

}  // namespace convcheck
