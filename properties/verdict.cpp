#include "properties/verdict.h"

#include "oracles/int128.h"
#include "properties/resource_bound.h"
#include "properties/right_reason.h"

namespace convcheck {

const char* PropertyFor(Verdict v) {
  switch (v) {
    case Verdict::kShapeMismatch:
    case Verdict::kAgree:
      return "ShapeAgrees";
    case Verdict::kValueMismatch:
      return "ValuesMatchReference";
    case Verdict::kOracleOnlyRejected:
    case Verdict::kBackendOnlyRejected:
    case Verdict::kBothRejected:
    case Verdict::kCrash:
    case Verdict::kTimeout:
    case Verdict::kSkipped:
    case Verdict::kHarnessError:
      return "ValidityAgrees";
    case Verdict::kWrongReason:
      return "RejectsForTheRightReason";
    case Verdict::kResource:
      return "ResourceBounded";
  }
  return "?";
}

uint64_t PredictedOutputBytes(const ConvCase& c, const ShapeResult& expected) {
  if (!expected.ok()) return 0;
  const i128 limit = i128{1} << 63;
  i128 bytes = (c.dtype == DType::kFloat64) ? 8 : (c.dtype == DType::kFloat32 ? 4 : 2);
  for (int64_t d : expected.shape()) {
    bytes *= d;
    if (bytes > limit) return static_cast<uint64_t>(limit);
  }
  return static_cast<uint64_t>(bytes);
}


CaseResult Judge(const ConvCase& c, ShapeResult expected, BackendOutcome outcome,
                 uint64_t memory_limit_bytes) {
  CaseResult r;
  r.c = c;
  r.expected = std::move(expected);
  r.outcome = std::move(outcome);
  const bool oracle_ok = r.expected.ok();
  switch (r.outcome.kind) {
    case BackendOutcome::Kind::kSkipped:
      r.verdict = Verdict::kSkipped;
      break;
    case BackendOutcome::Kind::kCrashed:
      r.verdict = Verdict::kCrash;
      break;
    case BackendOutcome::Kind::kTimedOut:
      r.verdict = Verdict::kTimeout;
      break;
    case BackendOutcome::Kind::kRejected:
      if (!oracle_ok) {
        r.verdict = Verdict::kBothRejected;
      } else if (PredictedOutputBytes(c, r.expected) > memory_limit_bytes) {
        // An output that cannot fit in memory: a rejection or an allocation failure is the
        // right outcome (only a tensor of another shape, a crash or a hang is a divergence).
        r.verdict = Verdict::kAgree;
      } else {
        r.verdict = Verdict::kBackendOnlyRejected;
      }
      break;
    case BackendOutcome::Kind::kShape:
      if (!oracle_ok) r.verdict = Verdict::kOracleOnlyRejected;
      else r.verdict = r.outcome.shape == r.expected.shape() ? Verdict::kAgree : Verdict::kShapeMismatch;
      break;
  }
  r.property = PropertyFor(r.verdict);
  return r;
}

CaseResult CheckCase(const ConvCase& c, Backend& backend, uint64_t memory_limit_bytes) {
  ShapeResult expected = OutputShape(c);
  BackendOutcome outcome = backend.Run(c);
  CaseResult r = Judge(c, std::move(expected), std::move(outcome), memory_limit_bytes);
  JudgeReason(&r, backend.Name());
  JudgeResource(&r);
  return r;
}

}  // namespace convcheck
