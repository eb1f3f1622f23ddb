// Extra per-case properties beyond ShapeAgrees/ValidityAgrees (round trips, values, adjoint,
// gradients, devices...). Each registers itself once (CONVCHECK_REGISTER_PROPERTY); the runner
// offers every generated case to every registered property, so adding a property never edits
// the runner. Numeric properties are sampled (--numeric-rate) because they cost more.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/backends/backend.h"
#include "harness/verdict.h"

namespace convcheck {

class CaseProperty {
 public:
  virtual ~CaseProperty() = default;
  // The name reports print: "RoundTripRestoresInput", "ValuesMatchReference", ...
  virtual std::string Name() const = 0;
  // Numeric properties run on a sampled subset of cases (RunConfig::numeric_rate).
  virtual bool Numeric() const { return false; }
  // Checks `c` (a generated case; it may be invalid). nullopt: the property does not apply.
  // The result's `property` must be Name(); its verdict follows the closed set (agree,
  // shape_mismatch, value_mismatch, skipped with the reason, ...).
  virtual std::optional<CaseResult> Check(const ConvCase& c, Backend& backend) = 0;
};

std::vector<std::unique_ptr<CaseProperty>>& PropertyRegistry();

struct RegisterProperty {
  explicit RegisterProperty(std::unique_ptr<CaseProperty> p) {
    PropertyRegistry().push_back(std::move(p));
  }
};

}  // namespace convcheck

// Use in a .cpp that is linked into the final binary (harness objects are linked whole).
#define CONVCHECK_REGISTER_PROPERTY(Type) \
  static const ::convcheck::RegisterProperty convcheck_property_##Type(std::make_unique<Type>())
