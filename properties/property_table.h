// Every property convcheck checks, in one table (as OpInfo lists every op): the two base
// properties every case is judged by, then the extra ones, each with its name. Commands select
// from this table by name (--properties), so a name means the same everywhere.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "properties/numeric_properties.h"
#include "properties/property.h"

namespace convcheck {

// ShapeAgrees, ValidityAgrees, RejectsForTheRightReason and ResourceBounded: judged for every
// case from one backend call (Judge, JudgeReason).
const std::vector<std::string>& BasePropertyNames();
// The extra properties in report order; `numeric` feeds the numeric ones.
std::vector<std::unique_ptr<CaseProperty>> MakeExtraProperties(const NumericSetup& numeric);
// Names of MakeExtraProperties' properties, in the same order.
const std::vector<std::string>& ExtraPropertyNames();
// Whether `name` is a numeric property (its framework calls go to the numeric backend, not to
// the shape backend's workers).
bool IsNumericProperty(const std::string& name);
// Base and extra names, the list a usage error prints.
std::vector<std::string> AllPropertyNames();
// "a, b, c"
std::string JoinNames(const std::vector<std::string>& names);

// Resolves a --properties list: empty = every extra property; "none" = none; otherwise each name
// must be a base or extra property (base names select nothing extra: they always run).
// nullopt with `error` naming the unknown entry and listing the known ones.
std::optional<std::vector<std::string>> SelectProperties(const std::vector<std::string>& requested,
                                                         std::string* error);

}  // namespace convcheck
