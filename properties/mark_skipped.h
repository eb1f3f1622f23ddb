// One way to mark a property's result skipped, shared by the numeric properties: the reason goes
// into the verdict's outcome and detail alike, so every report (and the skip tally, which reads
// the outcome) shows why.
#pragma once

#include <string>

#include "properties/verdict.h"

namespace convcheck {

// Sets `r` to skipped with `reason`.
inline void MarkSkipped(CaseResult* r, const std::string& reason) {
  r->verdict = Verdict::kSkipped;
  r->outcome = BackendOutcome::Skipped(reason);
  r->detail = reason;
}

}  // namespace convcheck
