// How the numeric properties mark a result that no values decided: skipped, with the reason in
// the verdict's outcome and detail alike, so every report (and the skip tally, which reads the
// outcome) shows why; or the crash or timeout of the worker that ran the framework's call.
#pragma once

#include <string>

#include "backends/numeric_backend.h"
#include "properties/verdict.h"

namespace convcheck {

// Sets `r` to skipped with `reason`.
inline void MarkSkipped(CaseResult* r, const std::string& reason) {
  r->verdict = Verdict::kSkipped;
  r->outcome = BackendOutcome::Skipped(reason);
  r->detail = reason;
}

// Sets `r` to the crash or the timeout (o.kind kCrashed or kTimedOut) of the numeric worker that
// ran `what`: "forward crashed the numeric worker: SIGSEGV".
inline void MarkWorkerFailure(CaseResult* r, const NumericOutcome& o, const std::string& what) {
  const bool crashed = o.kind == NumericOutcome::Kind::kCrashed;
  r->verdict = crashed ? Verdict::kCrash : Verdict::kTimeout;
  r->outcome = crashed ? BackendOutcome::Crashed(o.message) : BackendOutcome::TimedOut(o.message);
  r->detail = what + (crashed ? " crashed the numeric worker: " : " timed out in the numeric worker: ") + o.message;
}

}  // namespace convcheck
