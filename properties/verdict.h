// The closed set of verdicts (ARCHITECTURE.md, "Verdicts") and the record of one checked case.
#pragma once

#include <optional>
#include <string>

#include "backends/backend.h"
#include "case_io/verdict.h"
#include "oracles/output_shape.h"

namespace convcheck {

// The property a verdict speaks to: ShapeAgrees (accepted cases) or ValidityAgrees.
const char* PropertyFor(Verdict v);

struct CaseResult {
  ConvCase c;
  ShapeResult expected = ShapeResult::Ok({});
  BackendOutcome outcome;
  Verdict verdict = Verdict::kAgree;
  std::string property;              // "ShapeAgrees" / "ValidityAgrees" / ...
  std::string detail;                // free text for the report (e.g. "max abs err 3e-2")
  std::optional<std::string> xfail;  // id of the known deviation this failure matches
  std::string backend;               // Backend::Name() that judged it (the signature's key)
};

// Predicted output size in bytes for a valid expectation (0 when invalid); saturates at 2^63.
uint64_t PredictedOutputBytes(const ConvCase& c, const ShapeResult& expected);

// Compares the oracle's expectation with the backend's outcome: the ShapeAgrees and
// ValidityAgrees properties. Any refusal agrees with a valid expectation whose output exceeds
// `memory_limit_bytes` (it cannot be allocated; refusing it is right).
CaseResult Judge(const ConvCase& c, ShapeResult expected, BackendOutcome outcome,
                 uint64_t memory_limit_bytes);

// Oracle + backend.Run + Judge + JudgeReason + JudgeResource for one case (no known-deviation
// matching).
CaseResult CheckCase(const ConvCase& c, Backend& backend, uint64_t memory_limit_bytes);

}  // namespace convcheck
