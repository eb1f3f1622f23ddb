// ValuesAgreeAcrossEngines against engines whose answers the test controls: two exact engines
// (the float64 reference as a NumericBackend) agree; one with a planted fault is caught and
// named as the side that is off; a missing or refusing peer is a skip with its reason, never a
// pass. Framework-free, so it runs in every build. With the LibTorch and OpenCV plugins, the
// real pair is checked on a few cases too.
#include <cmath>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "backends/named_backend.h"
#include "case_io/case_json.h"
#include "generators/conv_case_gen.h"
#include "oracles/tolerance.h"
#include "properties/cross_engine_values.h"
#include "tests/support/reference_engine.h"
#include "tests/support/unused_backend.h"

namespace convcheck {
namespace {

using testing::ReferenceEngine;


std::optional<CaseResult> Check(const ConvCase& c, std::shared_ptr<NumericBackend> one, NumericSetup setup) {
  setup.backend = std::move(one);
  ValuesAgreeAcrossEngines property(setup);
  testing::UnusedBackend shapes;
  return property.Check(c, shapes);
}

NumericSetup WithPeer(std::shared_ptr<NumericBackend> peer) {
  NumericSetup setup;
  setup.peer = std::move(peer);
  return setup;
}

ConvCase SmallConv() {
  ConvCase c = DefaultCase(Op::kConv2d, {1, 2, 6, 6}, 3);
  c.kernel = {3, 3};
  c.padding = {1, 1};
  return c;
}

TEST(ValuesAgreeAcrossEngines, TwoExactEnginesAgree) {
  const auto r = Check(SmallConv(), std::make_shared<ReferenceEngine>("a"), WithPeer(std::make_shared<ReferenceEngine>("b")));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->verdict, Verdict::kAgree) << r->detail;
  EXPECT_EQ(r->property, "ValuesAgreeAcrossEngines");
  EXPECT_NE(r->detail.find("a vs b: "), std::string::npos) << r->detail;
}

TEST(ValuesAgreeAcrossEngines, APlantedValueDifferenceIsAMismatchThatNamesTheEngineOff) {
  auto exact = std::make_shared<ReferenceEngine>("exact");
  auto planted = std::make_shared<ReferenceEngine>("planted", 0.25, 17);
  const auto r = Check(SmallConv(), exact, WithPeer(planted));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->verdict, Verdict::kValueMismatch) << r->detail;
  EXPECT_NE(r->detail.find("worst at flat index 17"), std::string::npos) << r->detail;
  EXPECT_NE(r->detail.find("off: planted"), std::string::npos) << r->detail;
  // The other way round, the planted engine is the run's own and is still the one named.
  const auto back = Check(SmallConv(), planted, WithPeer(exact));
  EXPECT_EQ(back->verdict, Verdict::kValueMismatch) << back->detail;
  EXPECT_NE(back->detail.find("off: planted"), std::string::npos) << back->detail;
}

// For any valid float32 case, an element moved by ten times the sum of the two tolerances
// is caught; moved by a tenth of one tolerance it is not.
RC_GTEST_PROP(ValuesAgreeAcrossEngines, CatchesAShiftBeyondTheSummedToleranceOnly, ()) {
  const ConvCase c = *ValidConvCase();
  const Dims y = OutputShape(c).shape();
  RC_PRE(NumElements(y) > 0 && MultiplyAdds(c, y) < 200000 && TensorElements(c, y) < 200000);
  const int64_t at = *rc::gen::inRange<int64_t>(0, NumElements(y));
  const Tolerance t = ToleranceFor(c.dtype, c.device, ForwardAccumulation(c));
  const RefResult want = ReferenceForward(c, MakeCaseData(c));
  RC_ASSERT(want.ok());
  const double at_value = std::fabs(want.value->data[static_cast<size_t>(at)]);
  const double summed = 2 * (t.atol + t.rtol * at_value);
  auto exact = std::make_shared<ReferenceEngine>("exact");
  const auto far = Check(c, exact, WithPeer(std::make_shared<ReferenceEngine>("planted", 10 * summed, at)));
  RC_ASSERT(far.has_value());
  RC_ASSERT(far->verdict == Verdict::kValueMismatch);
  const auto near = Check(c, exact, WithPeer(std::make_shared<ReferenceEngine>("planted", 0.1 * summed / 2, at)));
  RC_ASSERT(near->verdict == Verdict::kAgree);
}

TEST(ValuesAgreeAcrossEngines, WithoutAPeerEveryCaseIsSkippedWithTheReason) {
  NumericSetup none;
  none.peer_missing = "no peer engine: the libtorch plugin is not installed";
  EXPECT_FALSE(none.HasPeer());
  const auto r = Check(SmallConv(), std::make_shared<ReferenceEngine>("a"), none);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->verdict, Verdict::kSkipped);
  EXPECT_EQ(r->detail, none.peer_missing);
  EXPECT_EQ(r->outcome.kind, BackendOutcome::Kind::kSkipped);
  // A factory whose plugin does not load is the same skip, with its own reason.
  NumericSetup broken;
  broken.peer_factory = [] { return std::shared_ptr<NumericBackend>(); };
  EXPECT_TRUE(broken.HasPeer());
  const auto b = Check(SmallConv(), std::make_shared<ReferenceEngine>("a"), broken);
  EXPECT_EQ(b->verdict, Verdict::kSkipped);
  EXPECT_NE(b->detail.find("no peer engine"), std::string::npos) << b->detail;
}

TEST(ValuesAgreeAcrossEngines, ACaseOneEngineCannotRunIsSkippedWithThatEnginesReason) {
  ConvCase c = SmallConv();
  c.dtype = DType::kFloat64;
  const auto r = Check(c, std::make_shared<ReferenceEngine>("a"), WithPeer(std::make_shared<ReferenceEngine>("b")));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->verdict, Verdict::kSkipped);
  EXPECT_EQ(r->detail, "a cannot express dtype float64");
}

#if defined(CONVCHECK_HAVE_TORCH) && defined(CONVCHECK_HAVE_OPENCV)
// The real pair on a few float32 convolutions both engines can run.
TEST(ValuesAgreeAcrossEngines, OpenCvAndLibTorchAgreeOnPlainConvolutions) {
  const std::shared_ptr<NumericBackend> opencv(MakeNamedNumericBackend("opencv"));
  const std::shared_ptr<NumericBackend> libtorch(MakeDefaultNumericBackend());
  if (!opencv || !libtorch) GTEST_SKIP() << "the opencv or libtorch plugin did not load";
  ConvCase strided = SmallConv();
  strided.stride = {2, 2};
  ConvCase grouped = DefaultCase(Op::kConv1d, {2, 4, 9}, 6);
  grouped.kernel = {3};
  grouped.groups = 2;
  grouped.dilation = {2};
  ConvCase transposed = DefaultCase(Op::kConvTranspose2d, {1, 3, 5, 4}, 2);
  transposed.kernel = {3, 2};
  transposed.stride = {2, 1};
  for (const ConvCase& c : {SmallConv(), strided, grouped, transposed}) {
    const auto r = Check(c, opencv, WithPeer(libtorch));
    ASSERT_TRUE(r.has_value()) << CaseToJsonLine(c);
    EXPECT_EQ(r->verdict, Verdict::kAgree) << CaseToJsonLine(c) << "\n" << r->detail;
  }
}
#endif

}  // namespace
}  // namespace convcheck
