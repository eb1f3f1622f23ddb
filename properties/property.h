// Extra per-case properties beyond ShapeAgrees/ValidityAgrees (round trips, values, adjoint,
// gradients, devices...). properties/property_table.h lists them all; the engine offers every
// case to every selected property, so adding a property never edits the engine. Numeric properties are sampled (--numeric-rate) because they cost more.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "properties/verdict.h"

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
  // A non-numeric property's result must depend only on `c` and on the kind, shape, message
  // and error type of the backend's answers (SameAnswer, engine/property_prefetch.h): no state
  // kept from call to call, no peak_bytes. The engine runs each check first on guessed answers
  // and keeps that result when every guess was the real answer.
  virtual std::optional<CaseResult> Check(const ConvCase& c, Backend& backend) = 0;
};


}  // namespace convcheck
