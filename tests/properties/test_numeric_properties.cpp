// The four numeric properties on LibTorch CPU for generated cases, their gates (invalid cases,
// no CUDA device, work cap) and, as a disabled test run by hand, the error measurement per
// dtype quoted in docs/gpu.md. Skipped, with the reason, in a build without LibTorch.
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "generators/conv_case_gen.h"
#include "generators/case_stream.h"
#include "properties/numeric_properties.h"
#include "properties/property_table.h"
#include "tests/support/explained_result.h"
#include "tests/support/unused_backend.h"
#include "case_io/case_json.h"
#include "oracles/tolerance.h"

namespace convcheck {
namespace {

std::shared_ptr<NumericBackend> Numeric() {
  static const std::shared_ptr<NumericBackend> backend(MakeDefaultNumericBackend());
  return backend;
}

#define REQUIRE_NUMERIC_BACKEND()                                                        \
  if (!Numeric()) GTEST_SKIP() << "built without LibTorch (CONVCHECK_WITH_TORCH=OFF): " \
                                  "MakeDefaultNumericBackend() returned nullptr"

// The runner's shape backend is not used by numeric properties; any Backend& will do.
using NoShapes = testing::UnusedBackend;

template <typename P>
std::optional<CaseResult> CheckWith(const ConvCase& c, int64_t cap = kNumericWorkCap) {
  P property(NumericSetupFor(Numeric(), cap));
  NoShapes shapes;
  return property.Check(c, shapes);
}

std::string Describe(const CaseResult& r) {
  return r.property + " " + VerdictName(r.verdict) + " on " + CaseToJsonLine(r.c) + "\n  " + r.detail;
}

template <typename P>
void HoldsForGeneratedCases(const GenOptions& opts) {
  const bool ok = rc::check(std::string("numeric property on generated cases"), [&] {
    const ConvCase c = *ValidConvCase(opts);
    const std::optional<CaseResult> r = CheckWith<P>(c);
    if (!r) return;  // the claim is not defined for this case (e.g. adjoint with reflect)
    RC_TAG(VerdictName(r->verdict));
    if (!testing::AgreesOrExplainedSkip(*r)) RC_FAIL(Describe(*r));
  });
  EXPECT_TRUE(ok) << "see the counterexample above (case JSON and errors)";
}

GenOptions Floats() {
  GenOptions o;
  o.dtypes = {DType::kFloat32, DType::kFloat64};
  o.layouts = true;
  return o;
}

TEST(NumericProperties, ValuesMatchReferenceOnGeneratedCases) {
  REQUIRE_NUMERIC_BACKEND();
  HoldsForGeneratedCases<ValuesMatchReference>(Floats());
}

TEST(NumericProperties, TransposeIsAdjointOnGeneratedCases) {
  REQUIRE_NUMERIC_BACKEND();
  HoldsForGeneratedCases<TransposeIsAdjoint>(Floats());
}

TEST(NumericProperties, GradientIsTransposeOnGeneratedCases) {
  REQUIRE_NUMERIC_BACKEND();
  HoldsForGeneratedCases<GradientIsTranspose>(Floats());
}

TEST(NumericProperties, BFloat16ConvolutionsMatchReference) {
  REQUIRE_NUMERIC_BACKEND();
  GenOptions o;
  o.dtypes = {DType::kBFloat16};
  // LibTorch 1.13.1's CPU bfloat16 conv_transpose computes a forward convolution; that is a
  // ShapeAgrees finding (and a known deviation), so only convolutions are asserted here.
  o.ops = {Op::kConv1d, Op::kConv2d, Op::kConv3d};
  HoldsForGeneratedCases<ValuesMatchReference>(o);
}

TEST(NumericProperties, DevicesAgreeIsSkippedVisiblyWithoutCuda) {
  REQUIRE_NUMERIC_BACKEND();
  ConvCase c = DefaultCase(Op::kConv2d, {1, 2, 5, 5}, 3);
  c.kernel = {3, 3};
  const std::optional<CaseResult> r = CheckWith<DevicesAgree>(c);
  ASSERT_TRUE(r.has_value()) << CaseToJsonLine(c);
  if (Numeric()->DeviceAvailable(Device::kCuda)) {
    EXPECT_EQ(r->verdict, Verdict::kAgree) << Describe(*r);
  } else {
    EXPECT_EQ(r->verdict, Verdict::kSkipped) << Describe(*r);
    EXPECT_EQ(r->detail, "no CUDA device") << Describe(*r);
    EXPECT_EQ(r->outcome.kind, BackendOutcome::Kind::kSkipped) << Describe(*r);
  }
  c.device = Device::kCuda;  // a CUDA case for the other properties: the same gate
  const std::optional<CaseResult> v = CheckWith<ValuesMatchReference>(c);
  ASSERT_TRUE(v.has_value()) << CaseToJsonLine(c);
  if (!Numeric()->DeviceAvailable(Device::kCuda)) {
    EXPECT_EQ(v->verdict, Verdict::kSkipped) << Describe(*v);
    EXPECT_EQ(v->detail, "no CUDA device") << Describe(*v);
  }
}

TEST(NumericProperties, GatesInvalidCasesAndTheWorkCap) {
  REQUIRE_NUMERIC_BACKEND();
  ConvCase c = DefaultCase(Op::kConv1d, {1, 2, 3}, 2);
  c.kernel = {5};  // kernel exceeds input: ValidityAgrees' business, not a numeric claim
  EXPECT_FALSE(CheckWith<ValuesMatchReference>(c).has_value()) << CaseToJsonLine(c);
  c.kernel = {3};
  const std::optional<CaseResult> capped = CheckWith<ValuesMatchReference>(c, 1);
  ASSERT_TRUE(capped.has_value()) << CaseToJsonLine(c);
  EXPECT_EQ(capped->verdict, Verdict::kSkipped) << Describe(*capped);
  EXPECT_NE(capped->detail.find("work cap"), std::string::npos) << Describe(*capped);
  ConvCase huge = DefaultCase(Op::kConv1d, {0, 1, 4}, int64_t{1} << 40);  // zero batch, huge weight
  const std::optional<CaseResult> big = CheckWith<ValuesMatchReference>(huge);
  ASSERT_TRUE(big.has_value()) << CaseToJsonLine(huge);
  EXPECT_EQ(big->verdict, Verdict::kSkipped) << Describe(*big);
  EXPECT_NE(big->detail.find("work cap"), std::string::npos) << Describe(*big);
  c.padding_mode = PaddingMode::kReflect;  // the adjoint claim needs zero padding
  c.padding = {1};
  EXPECT_FALSE(CheckWith<TransposeIsAdjoint>(c).has_value()) << CaseToJsonLine(c);
}

TEST(NumericProperties, AllFourAreRegisteredAsNumeric) {
  std::map<std::string, bool> numeric;
  for (const auto& p : MakeExtraProperties({})) numeric[p->Name()] = p->Numeric();
  for (const char* name : {"ValuesMatchReference", "TransposeIsAdjoint", "GradientIsTranspose", "DevicesAgree"}) {
    ASSERT_TRUE(numeric.count(name)) << name << " is not registered";
    EXPECT_TRUE(numeric[name]) << name;
  }
}

TEST(NumericProperties, AdjointPartnerRestoresTheInputShape) {
  ConvCase c = DefaultCase(Op::kConv2d, {2, 4, 9, 8}, 6);
  c.kernel = {3, 2};
  c.stride = {2, 3};
  c.padding = {1, 0};
  c.groups = 2;
  const ShapeResult out = OutputShape(c);
  ASSERT_TRUE(out.ok()) << CaseToJsonLine(c);
  const ConvCase p = AdjointPartner(c, out.shape());
  const ShapeResult back = OutputShape(p);
  ASSERT_TRUE(back.ok()) << CaseToJsonLine(p) << " " << back.violation().message;
  EXPECT_EQ(back.shape(), c.input) << CaseToJsonLine(p);
  EXPECT_EQ(WeightShape(p), WeightShape(c)) << CaseToJsonLine(p);
}

// The largest number following (or, with `before`, preceding "<number>x ") `label` in `text`.
double Largest(const std::string& text, const std::string& label, bool before = false) {
  double best = 0;
  for (size_t at = text.find(label); at != std::string::npos; at = text.find(label, at + 1)) {
    size_t from = at + label.size();
    if (before) {
      const size_t comma = text.rfind(", ", at);
      if (comma == std::string::npos) continue;
      from = comma + 2;
    }
    best = std::max(best, std::atof(text.c_str() + from));
  }
  return best;
}

// Run by hand: measures forward and gradient errors per dtype over generated cases, the
// figures behind the tolerance table (docs/gpu.md). CONVCHECK_MEASURE_CASES sets the count.
TEST(NumericProperties, DISABLED_MeasureErrorsPerDType) {
  REQUIRE_NUMERIC_BACKEND();
  const char* env = std::getenv("CONVCHECK_MEASURE_CASES");
  const int64_t cases = env ? std::atoll(env) : 2000;
  std::cout << std::setw(9) << "dtype" << std::setw(22) << "property" << std::setw(8) << "run"
            << std::setw(8) << "skip" << std::setw(8) << "fail" << std::setw(12) << "max abs"
            << std::setw(12) << "max rel" << std::setw(14) << "max err/tol" << "\n";
  // bfloat16 twice: all ops, then convolutions only, since 1.13.1's CPU bf16 conv_transpose
  // runs a forward convolution (a known deviation) and would dominate the maxima.
  const std::vector<Op> conv_only = {Op::kConv1d, Op::kConv2d, Op::kConv3d};
  const std::vector<std::pair<DType, bool>> passes = {
      {DType::kFloat64, false}, {DType::kFloat32, false}, {DType::kBFloat16, false}, {DType::kBFloat16, true}};
  for (const auto& [t, convolutions_only] : passes) {
    StreamOptions opts;
    opts.gen.dtypes = {t};
    if (convolutions_only) opts.gen.ops = conv_only;
    opts.gen.layouts = true;
    const CaseStream stream(42, opts);
    ValuesMatchReference values(NumericSetupFor(Numeric()));
    GradientIsTranspose grads(NumericSetupFor(Numeric()));
    TransposeIsAdjoint adjoint(NumericSetupFor(Numeric()));
    for (CaseProperty* p : std::vector<CaseProperty*>{&values, &grads, &adjoint}) {
      int64_t run = 0, skip = 0, fail = 0;
      double max_abs = 0, max_rel = 0, max_ratio = 0;
      NoShapes shapes;
      for (int64_t i = 0; i < cases; ++i) {
        const std::optional<CaseResult> r = p->Check(stream.At(static_cast<uint64_t>(i)).value(), shapes);
        if (!r) continue;
        if (r->verdict == Verdict::kSkipped) { ++skip; continue; }
        ++run;
        if (r->verdict != Verdict::kAgree && ++fail <= 3) std::cout << "  " << Describe(*r) << "\n";
        // Parse the errors back out of the detail: the properties report nothing else.
        max_abs = std::max(max_abs, Largest(r->detail, "max abs err "));
        max_rel = std::max(max_rel, std::max(Largest(r->detail, "max rel err "), Largest(r->detail, "(rel ")));
        max_ratio = std::max(max_ratio, Largest(r->detail, "the tolerance", true));
      }
      std::cout << std::setw(9) << (std::string(DTypeName(t)) + (convolutions_only ? "*" : "")) << std::setw(22) << p->Name() << std::setw(8) << run
                << std::setw(8) << skip << std::setw(8) << fail << std::setw(12) << std::setprecision(3)
                << max_abs << std::setw(12) << max_rel << std::setw(14) << max_ratio << "\n";
    }
  }
}

}  // namespace
}  // namespace convcheck
