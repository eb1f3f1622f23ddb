#include "json_schema_lite.h"

#include <regex>
#include <set>

namespace convcheck::report::testing {
namespace {

using nlohmann::json;

class Validator {
 public:
  explicit Validator(const json& root) : root_(root) {}

  void Check(const json& x, const json& s, const std::string& path) {
    for (const auto& [key, value] : s.items()) {
      static const std::set<std::string> kKnown = {
          "$ref", "type", "properties", "required", "additionalProperties", "items", "enum",
          "const", "minimum", "pattern", "$schema", "$id", "$defs", "title", "description"};
      if (!kKnown.count(key)) Fail(path, "schema uses unsupported keyword '" + key + "'");
    }
    if (s.contains("$ref")) Check(x, Resolve(s["$ref"].get<std::string>(), path), path);
    if (s.contains("type") && !HasType(x, s["type"])) {
      Fail(path, "type " + std::string(x.type_name()) + " not allowed (" + s["type"].dump() + ")");
      return;
    }
    if (s.contains("enum") && std::find(s["enum"].begin(), s["enum"].end(), x) == s["enum"].end()) {
      Fail(path, x.dump() + " not in enum");
    }
    if (s.contains("const") && x != s["const"]) Fail(path, x.dump() + " is not " + s["const"].dump());
    if (s.contains("minimum") && x.is_number() && x.get<double>() < s["minimum"].get<double>()) {
      Fail(path, x.dump() + " below minimum " + s["minimum"].dump());
    }
    if (s.contains("pattern") && x.is_string() &&
        !std::regex_search(x.get<std::string>(), std::regex(s["pattern"].get<std::string>()))) {
      Fail(path, x.dump() + " does not match " + s["pattern"].dump());
    }
    if (x.is_object()) CheckObject(x, s, path);
    if (x.is_array() && s.contains("items")) {
      for (size_t i = 0; i < x.size(); ++i) Check(x[i], s["items"], path + "/" + std::to_string(i));
    }
  }

  std::vector<std::string> errors;

 private:
  void CheckObject(const json& x, const json& s, const std::string& path) {
    if (s.contains("required")) {
      for (const json& k : s["required"]) {
        if (!x.contains(k.get<std::string>())) Fail(path, "missing required '" + k.get<std::string>() + "'");
      }
    }
    for (const auto& [key, value] : x.items()) {
      if (s.contains("properties") && s["properties"].contains(key)) {
        Check(value, s["properties"][key], path + "/" + key);
      } else if (s.contains("additionalProperties")) {
        const json& extra = s["additionalProperties"];
        if (extra.is_boolean() && !extra.get<bool>()) Fail(path, "unexpected key '" + key + "'");
        if (extra.is_object()) Check(value, extra, path + "/" + key);
      }
    }
  }

  static bool HasType(const json& x, const json& type) {
    if (type.is_array()) {
      return std::any_of(type.begin(), type.end(), [&](const json& t) { return HasType(x, t); });
    }
    const std::string t = type.get<std::string>();
    if (t == "integer") return x.is_number_integer();
    if (t == "number") return x.is_number();
    if (t == "string") return x.is_string();
    if (t == "boolean") return x.is_boolean();
    if (t == "object") return x.is_object();
    if (t == "array") return x.is_array();
    if (t == "null") return x.is_null();
    return false;
  }

  const json& Resolve(const std::string& ref, const std::string& path) {
    static const json kAny = json::object();
    const std::string prefix = "#/$defs/";
    if (ref.rfind(prefix, 0) != 0 || !root_["$defs"].contains(ref.substr(prefix.size()))) {
      Fail(path, "unresolvable $ref " + ref);
      return kAny;
    }
    return root_["$defs"][ref.substr(prefix.size())];
  }

  void Fail(const std::string& path, const std::string& what) {
    errors.push_back((path.empty() ? "/" : path) + ": " + what);
  }

  const json& root_;
};

}  // namespace

std::vector<std::string> ValidateJson(const nlohmann::json& instance, const nlohmann::json& schema) {
  Validator v(schema);
  v.Check(instance, schema, "");
  return v.errors;
}

}  // namespace convcheck::report::testing
