#include "engine/result_json.h"

#include "case_io/case_json.h"

namespace convcheck {

nlohmann::json ExpectationToJson(const ShapeResult& r) {
  if (r.ok()) return {{"valid", true}, {"shape", r.shape()}};
  return {{"valid", false},
          {"rule", RuleName(r.violation().rule)},
          {"dim", r.violation().dim},
          {"message", r.violation().message}};
}

nlohmann::json OutcomeToJson(const BackendOutcome& o) {
  switch (o.kind) {
    case BackendOutcome::Kind::kShape: return {{"kind", "shape"}, {"shape", o.shape}};
    case BackendOutcome::Kind::kRejected: {
      nlohmann::json j = {{"kind", "rejected"}, {"message", o.message}};
      if (!o.error_type.empty()) j["error_type"] = o.error_type;
      return j;
    }
    case BackendOutcome::Kind::kSkipped: return {{"kind", "skipped"}, {"message", o.message}};
    case BackendOutcome::Kind::kCrashed: return {{"kind", "crashed"}, {"message", o.message}};
    case BackendOutcome::Kind::kTimedOut: return {{"kind", "timed_out"}, {"message", o.message}};
  }
  return nullptr;
}

nlohmann::json CaseResultToJson(const CaseResult& r) {
  nlohmann::json j = {{"case", CaseToJson(r.c)},
                      {"expected", ExpectationToJson(r.expected)},
                      {"outcome", OutcomeToJson(r.outcome)},
                      {"verdict", VerdictName(r.verdict)},
                      {"property", r.property}};
  if (r.xfail) j["xfail"] = *r.xfail;
  if (!r.detail.empty()) j["detail"] = r.detail;
  return j;
}

}  // namespace convcheck
