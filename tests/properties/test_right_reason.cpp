// RejectsForTheRightReason against LibTorch's reason table: the right refusal passes; another
// rule's words, a value cut to 32 bits, an invented batch dim, 2-d sizes for a 1-d op and an
// unknown message do not.
#include <gtest/gtest.h>

#include <re2/re2.h>

#include "oracles/output_shape.h"
#include "properties/right_reason.h"

namespace convcheck {
namespace {

ConvCase Conv1d(Dims input, int64_t out, int64_t k) {
  ConvCase c;
  c.op = Op::kConv1d;
  c.input = std::move(input);
  c.out_channels = out;
  c.kernel = {k};
  c.stride = {1};
  c.padding = {0};
  c.output_padding = {0};
  c.dilation = {1};
  return c;
}

const ReasonTable& Torch() { return *ReasonTableFor("libtorch"); }

CaseResult BothRejected(const ConvCase& c, const std::string& message) {
  return Judge(c, OutputShape(c), BackendOutcome::Rejected(message), 1ull << 40);
}

TEST(ReasonTable, EveryPatternCompilesAndEveryFrameworkRuleIsMapped) {
  for (const ReasonTable& t : AllReasonTables()) {
    for (const ReasonPattern& p : t.patterns) {
      const RE2 re(p.regex, RE2::Quiet);
      EXPECT_TRUE(re.ok()) << t.framework << ": " << p.regex << ": " << re.error();
      EXPECT_FALSE(p.source.empty()) << p.regex;
      EXPECT_FALSE(p.families.empty()) << p.regex;
    }
  }
  ASSERT_NE(ReasonTableFor("libtorch"), nullptr);
  EXPECT_EQ(ReasonTableFor("no-such-framework"), nullptr);
}

TEST(RightReason, TheRuleTheOracleNamesInLibTorchsWordsPasses) {
  const ConvCase c = Conv1d({1, 2, 5}, 2, 7);
  ASSERT_EQ(OutputShape(c).violation().rule, Rule::kKernelExceedsInput);
  CaseResult r = BothRejected(c,
      "Calculated padded input size per channel: (5). Kernel size: (7). Kernel size can't be "
      "greater than actual input size");
  JudgeReason(&r, "libtorch");
  EXPECT_EQ(r.verdict, Verdict::kBothRejected) << r.detail;
}

TEST(RightReason, AnotherRulesWordsAreWrongReasonWithBothMessages) {
  const ConvCase c = Conv1d({1, 2, 5}, 2, 7);
  CaseResult r = BothRejected(c, "negative padding is not supported");
  JudgeReason(&r, "libtorch");
  EXPECT_EQ(r.verdict, Verdict::kWrongReason);
  EXPECT_EQ(r.property, "RejectsForTheRightReason");
  EXPECT_NE(r.detail.find("names rule negative_padding"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("kernel extent"), std::string::npos) << "the oracle's message: " << r.detail;
  EXPECT_NE(r.detail.find("negative padding is not supported"), std::string::npos) << r.detail;
}

TEST(RightReason, AGroupsValueCutTo32BitsIsWrongReason) {
  ConvCase c = Conv1d({1, 2, 5}, 2, 1);
  c.groups = int64_t{1} << 31;
  ASSERT_FALSE(OutputShape(c).ok());
  const RuleViolation v = OutputShape(c).violation();
  const auto why = WrongReason(c, v,
      "Given groups=-2147483648, expected weight to be at least -2147483648 at dimension 0, but "
      "got weight of size [2, 0, 1] instead", Torch());
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("-2147483648"), std::string::npos) << *why;
}

TEST(RightReason, AnInventedBatchDimIsWrongReason) {
  ConvCase c = Conv1d({3, 5}, 4, 1);  // unbatched: [C, L]
  c.weight_shape = Dims{4, 2, 1};
  ASSERT_EQ(OutputShape(c).violation().rule, Rule::kChannelMismatch);
  const auto why = WrongReason(c, OutputShape(c).violation(),
      "Given groups=1, weight of size [4, 2, 1], expected input[1, 3, 5] to have 2 channels, but "
      "got 3 channels instead", Torch());
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("[1, 3, 5]"), std::string::npos) << *why;
  c.input = {1, 3, 5};
  EXPECT_EQ(WrongReason(c, OutputShape(c).violation(),
      "Given groups=1, weight of size [4, 2, 1], expected input[1, 3, 5] to have 2 channels, but "
      "got 3 channels instead", Torch()), std::nullopt);
}

TEST(RightReason, TwoDimensionalSizesForAOneDimensionalOpAreWrongReason) {
  ConvCase c = Conv1d({1, 2, 1}, 2, 1);
  c.op = Op::kConvTranspose1d;
  c.padding = {2};
  ASSERT_EQ(OutputShape(c).violation().rule, Rule::kEmptyOutput);
  const std::string two_d = "Given input size per channel: (1 x 1). Calculated output size per "
                            "channel: (1 x -3). Output size is too small";
  const auto why = WrongReason(c, OutputShape(c).violation(), two_d, Torch());
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("2-d sizes"), std::string::npos) << *why;
  EXPECT_EQ(WrongReason(c, OutputShape(c).violation(),
      "Given input size per channel: (1). Calculated output size per channel: (-3). Output size "
      "is too small", Torch()), std::nullopt);
}

TEST(RightReason, AnUnmappedMessageIsReportedNeverPassed) {
  const ConvCase c = Conv1d({1, 2, 5}, 2, 7);
  CaseResult r = BothRejected(c, "select(): index 0 out of range for tensor of size [0]");
  JudgeReason(&r, "libtorch");
  EXPECT_EQ(r.verdict, Verdict::kWrongReason);
  EXPECT_EQ(r.detail.rfind("unmapped message", 0), 0u) << r.detail;
}

ConvCase Pool(Op op, Dims input, Dims kernel, Dims padding) {
  ConvCase c;
  c.op = op;
  c.input = std::move(input);
  c.stride = kernel;
  c.dilation.assign(kernel.size(), 1);
  c.kernel = std::move(kernel);
  c.padding = std::move(padding);
  return c;
}

TEST(RightReason, APoolsRefusalIsJudgedByThePoolPatternsOnly) {
  const ConvCase c = Pool(Op::kMaxPool2d, {1, 2, 8, 8}, {3, 3}, {2, 0});
  ASSERT_EQ(OutputShape(c).violation().rule, Rule::kPoolPaddingTooLarge);
  CaseResult r = BothRejected(c, "pad should be at most half of kernel size, but got pad=2 and kernel_size=3");
  JudgeReason(&r, "libtorch");
  EXPECT_EQ(r.verdict, Verdict::kBothRejected) << r.detail;
  // A convolution's words are no pool's: unmapped, not "names rule negative_padding".
  const auto why = WrongReason(c, OutputShape(c).violation(), "negative padding is not supported", Torch());
  ASSERT_TRUE(why.has_value());
  EXPECT_EQ(why->rfind("unmapped message", 0), 0u) << *why;
}

TEST(RightReason, APoolNamingTwoDimensionalSizesForAOneDimensionalOpIsWrongReason) {
  const ConvCase c = Pool(Op::kAvgPool1d, {3, 2}, {3}, {0});
  ASSERT_EQ(OutputShape(c).violation().rule, Rule::kEmptyOutput);
  const auto why = WrongReason(c, OutputShape(c).violation(),
      "Given input size: (3x1x2). Calculated output size: (3x1x0). Output size is too small", Torch());
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("2-d sizes (3x1x2)"), std::string::npos) << *why;
  EXPECT_EQ(WrongReason(c, OutputShape(c).violation(),
      "Given input size: (3x2). Calculated output size: (3x0). Output size is too small", Torch()), std::nullopt);
}

TEST(RightReason, TheWrongExceptionTypeIsWrongReasonWithBothTypes) {
  ConvCase c;
  c.op = Op::kFlatten;
  c.input = {2, 3};
  c.start_dim = 5;
  ASSERT_EQ(OutputShape(c).violation().rule, Rule::kFlattenDims);
  const std::string message = "Dimension out of range (expected to be in range of [-2, 1], but got 5)";
  EXPECT_EQ(WrongReason(c, OutputShape(c).violation(), message, Torch(), "c10::IndexError"), std::nullopt);
  CaseResult r = Judge(c, OutputShape(c), BackendOutcome::Rejected(message, "c10::Error"), 1ull << 40);
  JudgeReason(&r, "libtorch");
  EXPECT_EQ(r.verdict, Verdict::kWrongReason);
  EXPECT_NE(r.detail.find("raises c10::Error where the libtorch table expects c10::IndexError"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("libtorch: (c10::Error) Dimension out of range"), std::string::npos) << r.detail;
  // A backend that reports no type is judged on its words alone.
  EXPECT_EQ(WrongReason(c, OutputShape(c).violation(), message, Torch(), ""), std::nullopt);
}

TEST(RightReason, TheIssuesIndexErrorForAConvolutionIsWrongReason) {
  ConvCase c = Conv1d({0, 2, 5}, 0, 3);
  c.op = Op::kConvTranspose1d;
  c.padding = {4};  // output (5 - 1) - 8 + 3 = -1
  ASSERT_FALSE(OutputShape(c).ok());
  CaseResult r = Judge(c, OutputShape(c),
                       BackendOutcome::Rejected("select(): index 0 out of range for tensor of size [0] at dimension 0",
                                                "c10::IndexError"),
                       1ull << 40);
  JudgeReason(&r, "libtorch");
  EXPECT_EQ(r.verdict, Verdict::kWrongReason);
  EXPECT_NE(r.detail.find("(c10::IndexError) select()"), std::string::npos) << r.detail;
}

TEST(RightReason, OnlyBothRejectedIsJudgedAndOnlyWithATable) {
  const ConvCase c = Conv1d({1, 2, 5}, 2, 7);
  CaseResult r = BothRejected(c, "anything");
  JudgeReason(&r, "no-such-framework");
  EXPECT_EQ(r.verdict, Verdict::kBothRejected);
  const ConvCase valid = Conv1d({1, 2, 5}, 2, 3);
  CaseResult ok = Judge(valid, OutputShape(valid), BackendOutcome::Rejected("anything"), 1ull << 40);
  JudgeReason(&ok, "libtorch");
  EXPECT_EQ(ok.verdict, Verdict::kBackendOnlyRejected);
}

}  // namespace
}  // namespace convcheck
