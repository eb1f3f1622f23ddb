// Stack analysis: the documentation autoencoder, the stack file parser, and the law that the
// periodic rule agrees with evaluating the stack size by size.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sstream>

#include "case_io/case_json.h"
#include "case_io/stack_json.h"
#include "oracles/stack.h"
#include "test_support.h"

namespace convcheck {
namespace {

const char* kAutoencoder = R"([
  {"name": "encoder", "op": "conv2d", "out_channels": 256, "kernel": 3, "stride": 2, "padding": 1},
  {"name": "decoder", "op": "conv_transpose2d", "out_channels": 128, "kernel": 3, "stride": 2, "padding": 1}])";

Stack Autoencoder() {
  const StackParseResult p = ParseStackText(kAutoencoder);
  EXPECT_TRUE(p.ok()) << p.error;
  return *p.value;
}

TEST(Stack, AutoencoderShapesAndRule) {
  const Stack s = Autoencoder();
  const StackRun run = RunStack(s, {1, 128, 24, 24});
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.shapes[0], (Dims{1, 256, 12, 12}));
  EXPECT_EQ(run.shapes[1], (Dims{1, 128, 23, 23}));
  EXPECT_FALSE(run.RoundTrips());
  EXPECT_TRUE(RunStack(s, {1, 128, 23, 23}).RoundTrips());
  const DimRule rule = AnalyzeDim(s, 0);
  EXPECT_EQ(rule.Sentence(), "round-trips iff H ≡ 1 (mod 2) and H ≥ 1");
  EXPECT_EQ(rule.period, 2);
  const auto fix = SmallestFix(s, 0, 24, rule.stride_product);
  ASSERT_TRUE(fix.has_value());
  ASSERT_EQ(fix->size(), 1u);
  EXPECT_EQ(DescribeChange(s, 0, fix->front()), "layer 2 (decoder) output_padding[H] 0 → 1");
}

TEST(Stack, FourFoldDownsamplingRoundTripsOnMultiplesOfEight) {
  // Three stride-2 k2 convs and their mirrors: every H ≡ 0 (mod 8) round-trips.
  std::string layers = "[";
  for (int i = 0; i < 3; ++i) layers += R"({"op": "conv1d", "out_channels": 4, "kernel": 2, "stride": 2},)";
  for (int i = 0; i < 3; ++i) layers += std::string(R"({"op": "conv_transpose1d", "out_channels": 4, "kernel": 2, "stride": 2})") + (i < 2 ? "," : "]");
  const StackParseResult p = ParseStackText(layers);
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_EQ(AnalyzeDim(*p.value, 0).Sentence(), "round-trips iff L ≡ 0 (mod 8) and L ≥ 8");
}

TEST(StackJson, RejectsWithOneLineNamingTheLayerAndKey) {
  EXPECT_EQ(ParseStackText("[]").error, "stack: the list of layers is empty");
  EXPECT_EQ(ParseStackText("{}").error, "stack: expected a JSON list of layers, got object");
  EXPECT_EQ(ParseStackText(R"([{"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":1}])").error,
            "layer 1: input: not allowed in a stack layer (give the stack's input with --input)");
  EXPECT_EQ(ParseStackText(R"([{"name":"a","op":"conv2d","out_channels":1,"kernel":[1,2,3]}])").error,
            "layer 1 (a): kernel: expected 1 or 2 values, got 3");
  EXPECT_EQ(ParseStackText(R"([{"name":3,"op":"conv1d","out_channels":1,"kernel":1}])").error, "layer 1: name: expected a string");
  EXPECT_NE(ParseStackText(R"([{"op":"conv1d","out_channels":1,"kernel":1},{"op":"conv2d","out_channels":1,"kernel":1}])")
                .error.find("different spatial rank"),
            std::string::npos);
  EXPECT_EQ(ParseStackText(R"([{"op":"conv9d","out_channels":1,"kernel":1}])").error.rfind("layer 1: op: unknown value", 0), 0u);
}

// A random 1-d stack: 1–3 convolutions, then 1–3 transposed convolutions.
Stack RandomStack() {
  Stack s;
  const int convs = *rc::gen::inRange(1, 4), transposes = *rc::gen::inRange(1, 4);
  for (int i = 0; i < convs + transposes; ++i) {
    const bool t = i >= convs;
    ConvCase l = DefaultCase(t ? Op::kConvTranspose1d : Op::kConv1d, {}, 2);
    l.kernel = {*rc::gen::inRange<int64_t>(1, 5)};
    l.stride = {*rc::gen::inRange<int64_t>(1, 4)};
    l.padding = {*rc::gen::inRange<int64_t>(0, 3)};
    l.dilation = {*rc::gen::inRange<int64_t>(1, 3)};
    if (t) l.output_padding = {*rc::gen::inRange<int64_t>(0, std::max(l.stride[0], l.dilation[0]))};
    s.push_back({"", l});
  }
  return s;
}

std::string Describe(const Stack& s) { return testing::DescribeStack(s); }

RC_GTEST_PROP(Stack, PeriodicRuleAgreesWithEvaluatingEverySize, ()) {
  const Stack s = RandomStack();
  const DimRule rule = AnalyzeDim(s, 0);
  for (int64_t x = 1; x <= 160; ++x) {
    const std::optional<int64_t> out = StackDimOutput(s, 0, x);
    const bool actual = out && *out == x;
    if (rule.RoundTrips(x) != actual) {
      RC_FAIL("size " + std::to_string(x) + ": rule \"" + rule.Sentence() + "\" disagrees with evaluation (" +
              (out ? std::to_string(*out) : "rejected") + ") for stack\n" + Describe(s));
    }
    RC_ASSERT(out.has_value() == (rule.min_valid != 0 && x >= rule.min_valid));
  }
}

// The per-dim size the rules are built from (each layer projected to that dim) is what the
// whole stack computes: RunStack traces full shapes, channels included.
RC_GTEST_PROP(Stack, ProjectedSizeIsTheWholeStacksOutput, ()) {
  const std::string mismatch = testing::ProjectedSizeMismatch(RandomStack(), 64);
  if (!mismatch.empty()) RC_FAIL(mismatch);
}

RC_GTEST_PROP(Stack, FixesMakeTheWholeResidueClassRoundTrip, ()) {
  const Stack s = RandomStack();
  const DimRule rule = AnalyzeDim(s, 0);
  RC_PRE(rule.min_valid != 0 && rule.period > 0);
  for (const ResidueClass& c : rule.classes) {
    const auto fix = SmallestFix(s, 0, c.representative, rule.stride_product);
    if (!fix) continue;
    Stack fixed = s;
    for (const OutputPaddingChange& ch : *fix) fixed[ch.layer].layer.output_padding[0] = ch.to;
    for (int64_t m = 0; m < 4; ++m) {
      const int64_t x = c.representative + m * rule.stride_product;
      if (StackDimOutput(fixed, 0, x) != x) RC_FAIL("fix fails at size " + std::to_string(x) + " for stack\n" + Describe(s));
    }
  }
}

}  // namespace
}  // namespace convcheck
