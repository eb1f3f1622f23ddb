#include "reports/report.h"

namespace convcheck::report {

const char* VerdictKindName(VerdictKind v) {
  switch (v) {
    case VerdictKind::kAgree: return "agree";
    case VerdictKind::kShapeMismatch: return "shape_mismatch";
    case VerdictKind::kValueMismatch: return "value_mismatch";
    case VerdictKind::kOracleOnlyRejected: return "oracle_only_rejected";
    case VerdictKind::kBackendOnlyRejected: return "backend_only_rejected";
    case VerdictKind::kBothRejected: return "both_rejected";
    case VerdictKind::kCrash: return "crash";
    case VerdictKind::kTimeout: return "timeout";
    case VerdictKind::kSkipped: return "skipped";
    case VerdictKind::kHarnessError: return "harness_error";
  }
  return "?";
}

std::optional<VerdictKind> ParseVerdictKindName(const std::string& s) {
  for (VerdictKind v : kAllVerdictKinds) {
    if (s == VerdictKindName(v)) return v;
  }
  return std::nullopt;
}

bool IsFailure(VerdictKind v) {
  switch (v) {
    case VerdictKind::kAgree:
    case VerdictKind::kBothRejected:
    case VerdictKind::kSkipped:
      return false;
    case VerdictKind::kShapeMismatch:
    case VerdictKind::kValueMismatch:
    case VerdictKind::kOracleOnlyRejected:
    case VerdictKind::kBackendOnlyRejected:
    case VerdictKind::kCrash:
    case VerdictKind::kTimeout:
    case VerdictKind::kHarnessError:
      return true;
  }
  return true;
}

std::string Signature(const Failure& f) {
  return f.property + "/" + VerdictKindName(f.verdict) + "/" + OpName(f.op) +
         (f.where.empty() ? "" : "/" + f.where);
}

}  // namespace convcheck::report
