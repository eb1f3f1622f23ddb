#include "properties/property_table.h"

#include <algorithm>

#include "properties/cross_engine_values.h"
#include "properties/op_scoped_property.h"
#include "properties/roundtrip_properties.h"

namespace convcheck {

const std::vector<std::string>& BasePropertyNames() {
  static const std::vector<std::string> names = {"ShapeAgrees", "ValidityAgrees",
                                                 // judged from the same call: the refusal's words, the worker's memory
                                                 "RejectsForTheRightReason", "ResourceBounded"};
  return names;
}

namespace {

// The claims that hold for every op with a float64 reference (convolutions, pools, linear,
// flatten, the elementwise layers); the others are about convolutions only.
OpScope ScopeOf(const std::string& property) {
  return property == "ValuesMatchReference" || property == "GradientIsTranspose" ? OpScope::kFloat64Reference
                                                                                  : OpScope::kConvolutions;
}

}  // namespace

std::vector<std::unique_ptr<CaseProperty>> MakeExtraProperties(const NumericSetup& numeric) {
  std::vector<std::unique_ptr<CaseProperty>> all = MakeRoundTripProperties();
  for (auto& p : MakeNumericProperties(numeric)) all.push_back(std::move(p));
  all.push_back(std::make_unique<ValuesAgreeAcrossEngines>(numeric));
  for (auto& p : all) {
    const OpScope scope = ScopeOf(p->Name());
    p = std::make_unique<OpScopedProperty>(std::move(p), scope);
  }
  return all;
}

const std::vector<std::string>& ExtraPropertyNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& p : MakeExtraProperties({})) out.push_back(p->Name());
    return out;
  }();
  return names;
}

bool IsNumericProperty(const std::string& name) {
  static const std::vector<std::string> numeric = [] {
    std::vector<std::string> out;
    for (const auto& p : MakeExtraProperties({})) {
      if (p->Numeric()) out.push_back(p->Name());
    }
    return out;
  }();
  return std::find(numeric.begin(), numeric.end(), name) != numeric.end();
}

std::vector<std::string> AllPropertyNames() {
  std::vector<std::string> all = BasePropertyNames();
  all.insert(all.end(), ExtraPropertyNames().begin(), ExtraPropertyNames().end());
  return all;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::optional<std::vector<std::string>> SelectProperties(const std::vector<std::string>& requested,
                                                         std::string* error) {
  if (requested.empty()) return ExtraPropertyNames();
  std::vector<std::string> selected;
  for (const std::string& name : requested) {
    if (name == "none" && requested.size() == 1) return selected;
    const auto& base = BasePropertyNames();
    const auto& extra = ExtraPropertyNames();
    if (std::find(base.begin(), base.end(), name) != base.end()) continue;
    if (std::find(extra.begin(), extra.end(), name) == extra.end()) {
      *error = "--properties: unknown property \"" + name + "\" (known: " +
               JoinNames(AllPropertyNames()) + ", or none)";
      return std::nullopt;
    }
    if (std::find(selected.begin(), selected.end(), name) == selected.end()) selected.push_back(name);
  }
  return selected;
}

}  // namespace convcheck
