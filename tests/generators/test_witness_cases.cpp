// The witness cases: each pins one oracle choice (which side takes padding="same"'s odd element,
// which rule a case breaking two is refused by) and follows the worked examples in every stream.
#include <gtest/gtest.h>

#include "case_io/case_json.h"
#include "generators/case_stream.h"
#include "generators/witness_cases.h"
#include "oracles/output_shape.h"

namespace convcheck {
namespace {

TEST(WitnessCases, FollowTheWorkedExamplesInEveryStreamOncePerDType) {
  StreamOptions so;
  so.gen.dtypes = {DType::kFloat32, DType::kBFloat16};
  const CaseStream stream(7, so);
  const std::vector<ConvCase> witnesses = WitnessCases(so.gen);
  ASSERT_EQ(witnesses.size(), 3u * 2u);
  const size_t first = WorkedExampleCases(so.gen).size();
  for (size_t i = 0; i < witnesses.size(); ++i) {
    EXPECT_EQ(stream.At(first + i).value(), witnesses[i]) << CaseToJsonLine(witnesses[i]);
  }
}

TEST(WitnessCases, TheSameCaseHasAnOddTotalWithTheExtraOnTheRight) {
  const ConvCase c = WitnessCases(GenOptions{}).front();
  ASSERT_EQ(c.padding_kind, PaddingKind::kSame);
  ASSERT_TRUE(OutputShape(c).ok());
  const std::vector<PadPair> pads = EffectivePadding(c);
  ASSERT_EQ(pads.size(), 1u);
  EXPECT_EQ(pads[0].left, 1);
  EXPECT_EQ(pads[0].right, 2);
}

TEST(WitnessCases, EachTwoRuleCaseIsRefusedByTheRuleLibTorchChecksFirst) {
  const std::vector<ConvCase> w = WitnessCases(GenOptions{});
  ASSERT_EQ(w.size(), 3u);
  // check_shape_forward: padding, then output_padding, then stride.
  EXPECT_EQ(OutputShape(w[1]).violation().rule, Rule::kNegativePadding) << CaseToJsonLine(w[1]);
  EXPECT_EQ(w[1].stride, Dims{0}) << "the case must break the stride rule too";
  EXPECT_EQ(OutputShape(w[2]).violation().rule, Rule::kNegativeOutputPadding) << CaseToJsonLine(w[2]);
  EXPECT_EQ(w[2].stride, Dims{0}) << "the case must break the stride rule too";
}

TEST(WitnessCases, OnlyTheSelectedOpsAreListed) {
  GenOptions opts;
  opts.ops = {Op::kConv2d};
  EXPECT_TRUE(WitnessCases(opts).empty());
}

}  // namespace
}  // namespace convcheck
