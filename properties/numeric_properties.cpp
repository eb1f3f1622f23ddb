#include "properties/numeric_properties.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "case_io/case_json.h"
#include "oracles/case_reference.h"
#include "oracles/layer_ops.h"
#include "oracles/tolerance.h"
#include "properties/mark_skipped.h"

namespace convcheck {
namespace {

constexpr auto Skip = MarkSkipped;

// True when the backend produced values of the expected shape; otherwise marks `r` skipped:
// the refusal or wrong shape is ShapeAgrees'/ValidityAgrees' finding, not a second one here.
bool RanAsExpected(const NumericOutcome& o, const Dims& expected, const std::string& what,
                   CaseResult* r) {
  switch (o.kind) {
    case NumericOutcome::Kind::kSkipped:
      Skip(r, o.message);
      return false;
    case NumericOutcome::Kind::kRejected:
      Skip(r, "shape property failed: " + what + " rejected: " + o.message);
      return false;
    case NumericOutcome::Kind::kCrashed:
    case NumericOutcome::Kind::kTimedOut:
      MarkWorkerFailure(r, o, what);
      return false;
    case NumericOutcome::Kind::kValues:
      break;
  }
  if (o.output.shape != expected) {
    Skip(r, "shape property failed: " + what + " gave " + FormatDims(o.output.shape) +
                ", the oracle expects " + FormatDims(expected));
    return false;
  }
  r->outcome = BackendOutcome::Shape(o.output.shape);
  return true;
}

void HarnessError(CaseResult* r, const std::string& why) {
  r->verdict = Verdict::kHarnessError;
  r->detail = "reference: " + why;
}

// Sets the verdict from an element-wise comparison and reports the errors either way.
bool Judged(const ErrorStats& e, const Tolerance& tol, const std::string& label, CaseResult* r) {
  if (!r->detail.empty()) r->detail += "; ";
  r->detail += label + DescribeErrors(e, tol);
  if (!e.ok()) r->verdict = Verdict::kValueMismatch;
  return e.ok();
}

Tolerance Sum(const Tolerance& a, const Tolerance& b) { return {a.atol + b.atol, a.rtol + b.rtol}; }

// What an inner product of `values` with `weights` may be off by when every value may be off
// by its tolerance: sum |w_i| (atol + rtol |v_i|).
double PropagatedError(const DoubleTensor& values, const DoubleTensor& weights, const Tolerance& t) {
  double bound = 0;
  for (size_t i = 0; i < values.data.size() && i < weights.data.size(); ++i) {
    bound += std::fabs(weights.data[i]) * (t.atol + t.rtol * std::fabs(values.data[i]));
  }
  return bound;
}

}  // namespace

NumericProperty::NumericProperty(NumericSetup setup) : setup_(std::move(setup)) {}

std::optional<CaseResult> NumericProperty::Check(const ConvCase& c, Backend& /*backend*/) {
  ShapeResult expected = OutputShape(c);
  if (!expected.ok() || !Applies(c)) return std::nullopt;
  if (!setup_.backend && !resolved_ && setup_.factory) setup_.backend = setup_.factory();
  resolved_ = true;
  CaseResult r;
  r.c = c;
  r.expected = expected;
  r.property = Name();
  if (!setup_.backend) {
    Skip(&r, "no numeric backend (built without LibTorch)");
    return r;
  }
  if (NeedsCuda(c) && !setup_.backend->DeviceAvailable(Device::kCuda)) {
    Skip(&r, "no CUDA device");
    return r;
  }
  // Zero-batch cases cost no multiply-adds but may still allocate huge weights.
  const int64_t work = std::max(MultiplyAdds(c, expected.shape()), TensorElements(c, expected.shape()));
  if (work > setup_.work_cap / WorkFactor()) {
    Skip(&r, "work cap: " + std::to_string(work) + " multiply-adds (or tensor elements) x" +
                 std::to_string(WorkFactor()) + " exceeds the numeric cap " +
                 std::to_string(setup_.work_cap));
    return r;
  }
  r.verdict = Verdict::kAgree;
  CheckValid(c, *setup_.backend, &r);
  return r;
}

void ValuesMatchReference::CheckValid(const ConvCase& c, NumericBackend& numeric, CaseResult* r) {
  const CaseData data = MakeCaseData(c);
  const NumericOutcome got = numeric.Forward(c, data);
  if (!RanAsExpected(got, r->expected.shape(), "forward", r)) return;
  const RefResult want = ReferenceForward(c, data);
  if (!want.ok()) return HarnessError(r, want.error);
  const Tolerance tol = ToleranceFor(c.dtype, c.device, ForwardAccumulation(c));
  Judged(CompareValues(got.output.data, want.value->data, tol), tol, "", r);
}

bool TransposeIsAdjoint::Applies(const ConvCase& c) const {
  if (c.padding_mode != PaddingMode::kZeros) return false;
  for (const PadPair& p : EffectivePadding(c)) {
    if (p.left != p.right) return false;
  }
  // A transposed op whose output_padding reaches a stride has a longer output than the
  // convolution of it can map back from (possible when dilation > stride).
  for (size_t i = 0; IsTransposed(c.op) && i < c.output_padding.size(); ++i) {
    if (c.output_padding[i] >= c.stride[i]) return false;
  }
  return true;
}

ConvCase AdjointPartner(const ConvCase& c, const Dims& output_shape) {
  ConvCase p = c;
  p.op = Transposed(c.op);
  p.input = output_shape;
  p.out_channels = InChannels(c);
  p.bias = false;
  p.padding_kind = PaddingKind::kExplicit;
  p.padding.clear();
  for (const PadPair& pad : EffectivePadding(c)) p.padding.push_back(pad.left);
  p.output_padding.assign(c.stride.size(), 0);
  if (IsTransposed(p.op)) {  // choose output_padding so the partner restores c's input shape
    const Dims x = SpatialInput(c), y = SpatialInput(p);
    for (size_t i = 0; i < x.size(); ++i) {
      const int64_t base = (y[i] - 1) * c.stride[i] - 2 * p.padding[i] +
                           c.dilation[i] * (c.kernel[i] - 1) + 1;
      p.output_padding[i] = x[i] - base;
    }
  }
  return p;
}

void TransposeIsAdjoint::CheckValid(const ConvCase& c, NumericBackend& numeric, CaseResult* r) {
  ConvCase a = c;
  a.bias = false;  // the identity holds for the linear part only
  const ConvCase p = AdjointPartner(a, r->expected.shape());
  const CaseData data = MakeCaseData(a);
  const DoubleTensor y = DrawTensor(r->expected.shape(), c.dtype, DataSeed(c), DataStream::kAdjoint);
  const NumericOutcome forward = numeric.Forward(a, data);
  if (!RanAsExpected(forward, r->expected.shape(), "forward", r)) return;
  const NumericOutcome back = numeric.Forward(p, CaseData{y, data.weight, {}, {}, {}});
  if (!RanAsExpected(back, c.input, "adjoint partner " + CaseToJsonLine(p), r)) return;
  r->outcome = BackendOutcome::Shape(forward.output.shape);
  const double lhs = InnerProduct(forward.output, y), rhs = InnerProduct(data.input, back.output);
  const double allowed =
      PropagatedError(forward.output, y, ToleranceFor(c.dtype, c.device, ForwardAccumulation(a))) +
      PropagatedError(back.output, data.input, ToleranceFor(c.dtype, c.device, ForwardAccumulation(p)));
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "<%s(x,w), y> = %.17g, <x, %s(y,w)> = %.17g, |diff| %.3g (rel %.3g), allowed %.3g, "
                "%.3gx the tolerance; partner ",
                OpName(a.op), lhs, OpName(p.op), rhs, std::fabs(lhs - rhs),
                std::fabs(lhs - rhs) / std::max(std::fabs(lhs), 1e-300), allowed,
                std::fabs(lhs - rhs) / std::max(allowed, 1e-300));
  r->detail = buf + CaseToJsonLine(p);
  if (!(std::fabs(lhs - rhs) <= allowed)) r->verdict = Verdict::kValueMismatch;
}

void GradientIsTranspose::CheckValid(const ConvCase& c, NumericBackend& numeric, CaseResult* r) {
  const CaseData data = MakeCaseData(c);
  const DoubleTensor gy = DrawTensor(r->expected.shape(), c.dtype, DataSeed(c), DataStream::kGradOutput);
  const NumericOutcome got = numeric.Gradients(c, data, gy);
  if (!RanAsExpected(got, r->expected.shape(), "forward and backward", r)) return;
  const RefGradients want = ReferenceGradients(c, data, gy);
  if (!want.input.ok()) return HarnessError(r, want.input.error);
  if (!want.weight.ok()) return HarnessError(r, want.weight.error);
  const Tolerance input_tol = ToleranceFor(c.dtype, c.device, InputGradAccumulation(c));
  Judged(CompareValues(got.input_grad.data, want.input.value->data, input_tol), input_tol,
         "input grad (transposed op of grad_out): ", r);
  if (!HasWeightGradient(c.op)) return;  // a pool, flatten, relu, ... have no weight
  const Tolerance weight_tol =
      ToleranceFor(c.dtype, c.device, WeightGradAccumulation(c, r->expected.shape()));
  Judged(CompareValues(got.weight_grad.data, want.weight.value->data, weight_tol), weight_tol,
         "weight grad: ", r);
}

void DevicesAgree::CheckValid(const ConvCase& c, NumericBackend& numeric, CaseResult* r) {
  ConvCase on_cpu = c, on_cuda = c;
  on_cpu.device = Device::kCpu;
  on_cuda.device = Device::kCuda;
  const CaseData data = MakeCaseData(c);
  const NumericOutcome cpu = numeric.Forward(on_cpu, data);
  if (!RanAsExpected(cpu, r->expected.shape(), "cpu forward", r)) return;
  const NumericOutcome cuda = numeric.Forward(on_cuda, data);
  if (!RanAsExpected(cuda, r->expected.shape(), "cuda forward", r)) return;
  const int64_t length = ForwardAccumulation(c);
  // Both sides carry their own error against the exact result.
  const Tolerance tol = Sum(ToleranceFor(c.dtype, Device::kCpu, length),
                            ToleranceFor(c.dtype, Device::kCuda, length));
  Judged(CompareValues(cuda.output.data, cpu.output.data, tol), tol, "cuda vs cpu: ", r);
}

std::vector<std::unique_ptr<CaseProperty>> MakeNumericProperties(const NumericSetup& setup) {
  std::vector<std::unique_ptr<CaseProperty>> out;
  out.push_back(std::make_unique<ValuesMatchReference>(setup));
  out.push_back(std::make_unique<TransposeIsAdjoint>(setup));
  out.push_back(std::make_unique<GradientIsTranspose>(setup));
  out.push_back(std::make_unique<DevicesAgree>(setup));
  return out;
}

}  // namespace convcheck
