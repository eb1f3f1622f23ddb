#include "case_io/layer_list_json.h"

#include <map>

#include <nlohmann/json.hpp>

#include "case_io/bounded_json.h"

namespace convcheck {
namespace {

using nlohmann::json;

// Typed layer -> (op stem, whether the stem takes the rank as a suffix).
const std::map<std::string, std::pair<std::string, bool>>& TypeOps() {
  static const std::map<std::string, std::pair<std::string, bool>> ops = {
      {"conv", {"conv", true}},           {"convT", {"conv_transpose", true}},
      {"maxpool", {"max_pool", true}},    {"avgpool", {"avg_pool", true}},
      {"batchnorm", {"batch_norm", true}}, {"linear", {"linear", false}},
      {"flatten", {"flatten", false}},    {"relu", {"relu", false}},
      {"tanh", {"tanh", false}},          {"sigmoid", {"sigmoid", false}},
      {"dropout", {"dropout", false}},    {"maxunpool", {"max_unpool", true}},
      {"upsample", {"upsample", true}}};
  return ops;
}

int RankFromLists(const json& layers) {
  size_t rank = 0;
  for (const json& l : layers) {
    if (!l.is_object()) continue;
    for (const auto& [key, value] : l.items()) {
      if (value.is_array() && key != "input") rank = std::max(rank, value.size());
    }
  }
  return rank >= 1 && rank <= 3 ? static_cast<int>(rank) : 2;
}

// One typed layer as a case-format layer; an error names the layer.
bool ToCaseLayer(const json& layer, size_t i, int rank, json* out, std::string* error) {
  const std::string where = "layer " + std::to_string(i + 1);
  if (!layer.is_object() || !layer.contains("type") || !layer.at("type").is_string()) {
    *error = where + ": expected an object with a string \"type\"";
    return false;
  }
  const std::string type = layer.at("type").get<std::string>();
  const auto it = TypeOps().find(type);
  if (it == TypeOps().end()) {
    *error = where + ": unknown type '" + type + "' (conv, convT, linear, relu, tanh, sigmoid, maxpool, avgpool, "
             "batchnorm, flatten, dropout, maxunpool, upsample)";
    return false;
  }
  *out = json::object();
  for (const auto& [key, value] : layer.items()) {
    if (key == "type" || key == "init" || key == "bias_init" || (type == "dropout" && key == "p")) continue;
    (*out)[key] = value;
  }
  (*out)["op"] = it->second.first + (it->second.second ? std::to_string(rank) + "d" : "");
  return true;
}

bool IsTyped(const json& layers) {
  for (const json& l : layers) {
    if (l.is_object() && l.contains("type")) return true;
  }
  return false;
}

}  // namespace

StackParseResult ParseLayerListText(const std::string& text, int rank) {
  std::string error;
  json doc = ParseBoundedJson(text, &error);
  if (doc.is_discarded()) return {std::nullopt, "stack: " + error};
  if (doc.is_object() && doc.contains("layers")) doc = doc.at("layers");
  if (!doc.is_array() || !IsTyped(doc)) return StackFromJson(doc);
  if (rank < 1 || rank > 3) rank = RankFromLists(doc);
  json layers = json::array();
  for (size_t i = 0; i < doc.size(); ++i) {
    json layer;
    if (!ToCaseLayer(doc[i], i, rank, &layer, &error)) return {std::nullopt, error};
    layers.push_back(layer);
  }
  return StackFromJson(layers);
}

}  // namespace convcheck
