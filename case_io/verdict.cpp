#include "case_io/verdict.h"

namespace convcheck {

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kAgree: return "agree";
    case Verdict::kShapeMismatch: return "shape_mismatch";
    case Verdict::kValueMismatch: return "value_mismatch";
    case Verdict::kOracleOnlyRejected: return "oracle_only_rejected";
    case Verdict::kBackendOnlyRejected: return "backend_only_rejected";
    case Verdict::kBothRejected: return "both_rejected";
    case Verdict::kCrash: return "crash";
    case Verdict::kTimeout: return "timeout";
    case Verdict::kSkipped: return "skipped";
    case Verdict::kHarnessError: return "harness_error";
    case Verdict::kWrongReason: return "wrong_reason";
    case Verdict::kResource: return "resource";
  }
  return "?";
}

std::optional<Verdict> ParseVerdictName(const std::string& s) {
  for (Verdict v : kAllVerdicts) {
    if (s == VerdictName(v)) return v;
  }
  return std::nullopt;
}

bool IsAgreement(Verdict v) { return v == Verdict::kAgree || v == Verdict::kBothRejected; }

bool IsFailure(Verdict v) { return !IsAgreement(v) && v != Verdict::kSkipped; }

}  // namespace convcheck
