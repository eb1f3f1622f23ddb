// JSON form of one checked case (used by `check --json` and the corpus).
#pragma once

#include <nlohmann/json.hpp>

#include "properties/verdict.h"

namespace convcheck {

nlohmann::json ExpectationToJson(const ShapeResult& r);
nlohmann::json OutcomeToJson(const BackendOutcome& o);
// {"case": ..., "expected": ..., "outcome": ..., "verdict": ..., "property": ..., "xfail": ...}
nlohmann::json CaseResultToJson(const CaseResult& r);

}  // namespace convcheck
