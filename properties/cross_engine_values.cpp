#include "properties/cross_engine_values.h"

#include "case_io/case_json.h"
#include "oracles/case_reference.h"
#include "oracles/tolerance.h"
#include "properties/mark_skipped.h"

namespace convcheck {
namespace {

// True when `engine` computed values of the expected shape. Otherwise `r` is skipped with the
// engine's own reason; a refusal or a wrong shape is skipped as "shape property failed", since
// ShapeAgrees and ValidityAgrees report it in that engine's own turn.
bool Computed(const NumericOutcome& o, const std::string& engine, const Dims& expected, CaseResult* r) {
  if (o.kind == NumericOutcome::Kind::kSkipped) {
    MarkSkipped(r, o.message);
    return false;
  }
  if (o.kind == NumericOutcome::Kind::kCrashed || o.kind == NumericOutcome::Kind::kTimedOut) {
    MarkWorkerFailure(r, o, engine);
    return false;
  }
  if (o.kind == NumericOutcome::Kind::kRejected) {
    MarkSkipped(r, "shape property failed: " + engine + " rejected: " + o.message);
    return false;
  }
  if (o.output.shape != expected) {
    MarkSkipped(r, "shape property failed: " + engine + " gave " + FormatDims(o.output.shape) + ", the oracle expects " +
                FormatDims(expected));
    return false;
  }
  return true;
}

// "opencv 4.6.0 vs float64 reference: max abs err ..." and whether that side is in tolerance.
bool AgainstReference(const std::string& engine, const DoubleTensor& got, const DoubleTensor& want,
                      const Tolerance& tol, std::string* detail) {
  const ErrorStats e = CompareValues(got.data, want.data, tol);
  *detail += "; " + engine + " vs float64 reference: " + DescribeErrors(e, tol);
  return e.ok();
}

}  // namespace

ValuesAgreeAcrossEngines::ValuesAgreeAcrossEngines(const NumericSetup& setup)
    : NumericProperty(setup), peer_(setup.peer), peer_factory_(setup.peer_factory), peer_missing_(setup.peer_missing) {}

void ValuesAgreeAcrossEngines::CheckValid(const ConvCase& c, NumericBackend& numeric, CaseResult* r) {
  if (!peer_ && peer_factory_) {
    peer_ = peer_factory_();
    if (!peer_) peer_missing_ = "no peer engine: its plugin did not load";
    peer_factory_ = nullptr;
  }
  if (!peer_) return MarkSkipped(r, peer_missing_);
  const std::string one = numeric.Name(), other = peer_->Name();
  const CaseData data = MakeCaseData(c);  // the same seed and values for both engines
  const NumericOutcome a = numeric.Forward(c, data);
  if (!Computed(a, one, r->expected.shape(), r)) return;
  const NumericOutcome b = peer_->Forward(c, data);
  if (!Computed(b, other, r->expected.shape(), r)) return;
  r->outcome = BackendOutcome::Shape(a.output.shape);
  // Each engine may be off the exact result by its own tolerance, so the two may differ by the
  // sum. Both rows are (dtype, device) today; an engine-specific row would enter here.
  const int64_t length = ForwardAccumulation(c);
  const Tolerance own = ToleranceFor(c.dtype, c.device, length);
  const Tolerance both{own.atol + own.atol, own.rtol + own.rtol};
  const ErrorStats e = CompareValues(a.output.data, b.output.data, both);
  r->detail = one + " vs " + other + ": " + DescribeErrors(e, both);
  const RefResult want = ReferenceForward(c, data);
  if (!want.ok()) {
    r->detail += "; float64 reference failed: " + want.error;
  } else {
    const bool one_ok = AgainstReference(one, a.output, *want.value, own, &r->detail);
    const bool other_ok = AgainstReference(other, b.output, *want.value, own, &r->detail);
    if (!e.ok()) {
      r->detail += !one_ok && !other_ok ? "; off: both" : !one_ok ? "; off: " + one : !other_ok ? "; off: " + other
                   : "; off: neither alone is outside its tolerance";
    }
  }
  if (!e.ok()) r->verdict = Verdict::kValueMismatch;
}

}  // namespace convcheck
