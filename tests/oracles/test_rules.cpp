// One valid and one invalid case for every rule, checking the rule the oracle names.
#include "tests/oracles/test_support.h"

namespace convcheck {
namespace {

using testing::Case;
using testing::Repro;

struct RuleExample {
  Rule rule;
  const char* valid;
  const char* invalid;
};

const RuleExample kExamples[] = {
    {Rule::kInputRank, R"({"op":"conv2d","input":[1,1,4,4],"out_channels":1,"kernel":1})",
     R"({"op":"conv2d","input":[1,1,1,4,4],"out_channels":1,"kernel":1})"},
    {Rule::kNonPositiveStride, R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":1,"stride":1})",
     R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":1,"stride":0})"},
    {Rule::kNegativePadding, R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":1,"padding":0})",
     R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":1,"padding":-1})"},
    {Rule::kNegativeOutputPadding, R"({"op":"conv_transpose1d","input":[1,1,4],"out_channels":1,"kernel":1,"stride":2,"output_padding":1})",
     R"({"op":"conv_transpose1d","input":[1,1,4],"out_channels":1,"kernel":1,"stride":2,"output_padding":-1})"},
    {Rule::kNonPositiveDilation, R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":2,"dilation":3})",
     R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":2,"dilation":0})"},
    {Rule::kNonPositiveGroups, R"({"op":"conv1d","input":[1,2,4],"out_channels":2,"kernel":1,"groups":2})",
     R"({"op":"conv1d","input":[1,2,4],"out_channels":2,"kernel":1,"groups":0})"},
    {Rule::kWeightRank, R"({"op":"conv1d","input":[1,2,4],"out_channels":2,"kernel":1,"weight_shape":[2,2,1]})",
     R"({"op":"conv1d","input":[1,2,4],"out_channels":2,"kernel":1,"weight_shape":[2,2,1,1]})"},
    {Rule::kWeightBelowGroups, R"({"op":"conv1d","input":[1,3,4],"out_channels":3,"kernel":1,"groups":3})",
     R"({"op":"conv1d","input":[1,3,4],"out_channels":3,"kernel":1,"groups":3,"weight_shape":[2,1,1]})"},
    {Rule::kWeightNotDivisible, R"({"op":"conv1d","input":[1,2,4],"out_channels":4,"kernel":1,"groups":2})",
     R"({"op":"conv1d","input":[1,2,4],"out_channels":3,"kernel":1,"groups":2})"},
    {Rule::kChannelMismatch, R"({"op":"conv2d","input":[1,3,8,8],"out_channels":4,"kernel":3})",
     R"({"op":"conv2d","input":[1,3,8,8],"out_channels":4,"kernel":3,"weight_shape":[4,2,3,3]})"},
    {Rule::kOutChannelsNotDivisible, R"({"op":"conv_transpose1d","input":[1,2,4],"out_channels":4,"kernel":1,"groups":2})",
     R"({"op":"conv_transpose1d","input":[1,2,4],"out_channels":3,"kernel":1,"groups":2})"},
    {Rule::kNonPositiveKernel, R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":1})",
     R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":1,"weight_shape":[1,1,0]})"},
    {Rule::kSameWithStride, R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":3,"padding":"same"})",
     R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":3,"padding":"same","stride":2})"},
    {Rule::kPaddingModeTransposed, R"({"op":"conv_transpose1d","input":[1,1,4],"out_channels":1,"kernel":3})",
     R"({"op":"conv_transpose1d","input":[1,1,4],"out_channels":1,"kernel":3,"padding_mode":"reflect"})"},
    {Rule::kPaddingModeTooLarge, R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":3,"padding":3,"padding_mode":"reflect"})",
     R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":3,"padding":4,"padding_mode":"reflect"})"},
    {Rule::kKernelExceedsInput, R"({"op":"conv2d","input":[1,1,5,5],"out_channels":1,"kernel":5})",
     R"({"op":"conv2d","input":[1,1,5,5],"out_channels":1,"kernel":[5,7]})"},
    {Rule::kOutputPaddingTooLarge, R"({"op":"conv_transpose1d","input":[1,1,4],"out_channels":1,"kernel":1,"stride":1,"dilation":2,"output_padding":1})",
     R"({"op":"conv_transpose1d","input":[1,1,4],"out_channels":1,"kernel":1,"stride":2,"dilation":2,"output_padding":2})"},
    {Rule::kEmptyOutput, R"({"op":"conv_transpose1d","input":[1,1,2],"out_channels":1,"kernel":1,"padding":0})",
     R"({"op":"conv_transpose1d","input":[1,1,2],"out_channels":1,"kernel":1,"padding":1})"},
};

class RuleTest : public ::testing::TestWithParam<RuleExample> {};

TEST_P(RuleTest, ValidCasePassesAndInvalidCaseNamesTheRule) {
  const RuleExample& e = GetParam();
  const ConvCase valid = Case(e.valid);
  const ShapeResult ok = OutputShape(valid);
  EXPECT_TRUE(ok.ok()) << Repro(valid) << " rejected: " << (ok.ok() ? "" : ok.violation().message);
  const ConvCase invalid = Case(e.invalid);
  const ShapeResult bad = OutputShape(invalid);
  ASSERT_FALSE(bad.ok()) << Repro(invalid) << " accepted";
  EXPECT_EQ(bad.violation().rule, e.rule) << Repro(invalid) << " named " << RuleName(bad.violation().rule)
                                          << ": " << bad.violation().message;
}

INSTANTIATE_TEST_SUITE_P(AllRules, RuleTest, ::testing::ValuesIn(kExamples),
                         [](const ::testing::TestParamInfo<RuleExample>& info) {
                           return std::string(RuleName(info.param.rule));
                         });

TEST(Rules, KernelMessageNamesDimAndSizes) {
  const ShapeResult r = OutputShape(Case(R"({"op":"conv2d","input":[1,1,5,5],"out_channels":1,"kernel":[5,7]})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.violation().dim, 1);
  EXPECT_EQ(r.violation().message, "dim 1: kernel extent 7 exceeds padded input 5");
}

TEST(Rules, EveryRuleNameRoundTrips) {
  for (int i = 0; i <= static_cast<int>(Rule::kOverflow); ++i) {
    const Rule r = static_cast<Rule>(i);
    ASSERT_EQ(ParseRuleName(RuleName(r)), r) << RuleName(r);
  }
}

TEST(Overflow, HugePaddingGivesExactSizeNotAWrappedOne) {
  // padding 2^31+2 and dilation 2: the exact length is 4294967300, beyond uint32.
  const ShapeResult r = OutputShape(Case(
      R"({"op":"conv1d","input":[1,1,2],"out_channels":1,"kernel":2,"dilation":2,"padding":2147483650})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.shape(), (Dims{1, 1, 4294967300LL}));
}

TEST(Overflow, SizesBeyondInt64AreNamedNotWrapped) {
  const ShapeResult r = OutputShape(Case(
      R"({"op":"conv_transpose1d","input":[1,1,3],"out_channels":1,"kernel":1,"stride":9223372036854775807})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.violation().rule, Rule::kOverflow) << r.violation().message;
}

TEST(Overflow, ElementCountBeyondInt64IsNamed) {
  const ShapeResult r = OutputShape(Case(
      R"({"op":"conv2d","input":[1,1,1,1],"out_channels":1,"kernel":1,"padding":2147483648})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.violation().rule, Rule::kOverflow) << r.violation().message;
}

TEST(ZeroSizes, ZeroBatchIsValidAndKeepsZero) {
  const ShapeResult r = OutputShape(Case(R"({"op":"conv2d","input":[0,3,8,8],"out_channels":4,"kernel":3})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.shape(), (Dims{0, 4, 6, 6}));
}

}  // namespace
}  // namespace convcheck
