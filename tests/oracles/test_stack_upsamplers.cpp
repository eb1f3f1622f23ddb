// Stacks whose decoder is max_unpool or upsample: the documentation autoencoder (restores 24 but
// not 25), the sizes a non-periodic layer leaves unanalysed, and the law that the periodic rule
// agrees with tracing every size.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sstream>

#include "case_io/case_json.h"
#include "case_io/pytorch_text.h"
#include "case_io/stack_json.h"
#include "oracles/stack.h"
#include "test_support.h"

namespace convcheck {
namespace {

Stack Parse(const std::string& text) {
  const StackParseResult p = LooksLikePyTorch(text) ? ParsePyTorchStack(text) : ParseStackText(text);
  EXPECT_TRUE(p.ok()) << p.error;
  return p.ok() ? *p.value : Stack{};
}

const char* kUnpoolAutoencoder = R"([
  {"name": "enc", "op": "conv2d", "out_channels": 16, "kernel": 3, "padding": 1},
  {"name": "pool", "op": "max_pool2d", "kernel": 2},
  {"name": "unpool", "op": "max_unpool2d", "kernel": 2},
  {"name": "dec", "op": "conv2d", "out_channels": 3, "kernel": 3, "padding": 1}])";

TEST(StackUpsamplers, MaxUnpoolAutoencoderRestores24But25) {
  const Stack s = Parse(kUnpoolAutoencoder);
  const StackRun run = RunStack(s, {1, 3, 24, 24});
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.shapes[1], (Dims{1, 16, 12, 12}));
  EXPECT_EQ(run.shapes[2], (Dims{1, 16, 24, 24}));
  EXPECT_TRUE(run.RoundTrips());
  const StackRun odd = RunStack(s, {1, 3, 25, 25});
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd.shapes.back(), (Dims{1, 3, 24, 24}));  // (12 − 1)·2 + 2 = 24
  const DimRule rule = AnalyzeDim(s, 0);
  EXPECT_EQ(rule.Sentence(), "round-trips iff H ≡ 0 (mod 2) and H ≥ 2");
  EXPECT_EQ(rule.CountRoundTrips(1, 64), 32);
}

TEST(StackUpsamplers, UpsampleDecoderFromPyTorchText) {
  const Stack s = Parse("nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), "
                        "nn.Upsample(scale_factor=2, mode='nearest'), nn.Conv2d(16, 3, 3, padding=1))");
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[2].layer.op, Op::kUpsample2d);
  EXPECT_EQ(s[2].layer.scale_factor, (std::vector<double>{2.0, 2.0}));
  EXPECT_TRUE(RunStack(s, {1, 3, 24, 24}).RoundTrips());
  EXPECT_EQ(RunStack(s, {1, 3, 25, 25}).shapes.back(), (Dims{1, 3, 24, 24}));
  EXPECT_EQ(AnalyzeDim(s, 1).Sentence(), "round-trips iff W ≡ 0 (mod 2) and W ≥ 2");
}

TEST(StackUpsamplers, DyadicScalesStayPeriodicOthersAreNotAnalysed) {
  // x ↦ floor(floor(x/2)·2.5), T = 2·2: only 2, 5 and 7 come back (5 ↦ 2 ↦ 5, 7 ↦ 3 ↦ 7).
  const Stack dyadic = Parse("[nn.MaxPool1d(2), nn.Upsample(scale_factor=2.5)]");
  EXPECT_EQ(dyadic[1].layer.op, Op::kUpsample1d);
  const DimRule rule = AnalyzeDim(dyadic, 0);
  EXPECT_EQ(rule.stride_product, 4);
  EXPECT_EQ(rule.Sentence(), "round-trips only for L ∈ {2, 5, 7} (the strides do not cancel)");
  EXPECT_EQ(rule.CountRoundTrips(1, 1000), 3);
  // 0.29 is not a/2^b: 100·0.29 = 28.999999999999996 breaks any period.
  const DimRule odd = AnalyzeDim(Parse("[nn.MaxPool1d(2), nn.Upsample(scale_factor=0.29)]"), 0);
  EXPECT_EQ(odd.period, 0);
  EXPECT_NE(odd.Sentence().find("layer 2 (upsample1d) scales by 0.29"), std::string::npos) << odd.Sentence();
  // An explicit output_size makes max_unpool valid only near its default: not monotone.
  const DimRule fixed = AnalyzeDim(Parse(R"([{"op":"max_pool1d","kernel":2},{"op":"max_unpool1d","kernel":2,"output_size":9}])"), 0);
  EXPECT_EQ(fixed.period, 0);
  EXPECT_EQ(fixed.Sentence(), "not analysed: layer 2 (max_unpool1d) has an explicit output_size; trace sizes with --input");
}

// A random 1-d stack: 1–3 convolutions or max pools, then 1–3 transposed convolutions, max
// unpools or upsamples (integer, dyadic or fixed sizes).
Stack RandomUpsamplerStack() {
  Stack s;
  const int downs = *rc::gen::inRange(1, 4), ups = *rc::gen::inRange(1, 4);
  for (int i = 0; i < downs; ++i) {
    const bool pool = *rc::gen::arbitrary<bool>();
    ConvCase l = DefaultCase(pool ? Op::kMaxPool1d : Op::kConv1d, {}, 2);
    l.kernel = {*rc::gen::inRange<int64_t>(1, 5)};
    l.stride = {*rc::gen::inRange<int64_t>(1, 4)};
    l.padding = {*rc::gen::inRange<int64_t>(0, pool ? l.kernel[0] / 2 + 1 : 3)};
    if (pool) l.out_channels = 0;
    s.push_back({"", l});
  }
  for (int i = 0; i < ups; ++i) {
    const int kind = *rc::gen::inRange(0, 3);
    ConvCase l = DefaultCase(kind == 0 ? Op::kConvTranspose1d : kind == 1 ? Op::kMaxUnpool1d : Op::kUpsample1d, {}, 2);
    l.kernel = {*rc::gen::inRange<int64_t>(1, 5)};
    l.stride = {*rc::gen::inRange<int64_t>(1, 4)};
    l.padding = {*rc::gen::inRange<int64_t>(0, 3)};
    if (kind == 0) l.output_padding = {*rc::gen::inRange<int64_t>(0, l.stride[0])};
    if (kind == 2) {
      l.kernel = {1};
      l.stride = {1};
      l.padding = {0};
      if (*rc::gen::inRange(0, 4) == 0) {
        l.output_size = {*rc::gen::inRange<int64_t>(1, 40)};
      } else {
        l.scale_factor = {*rc::gen::element(1.0, 2.0, 3.0, 0.5, 1.5, 2.5, 0.75)};
      }
    }
    s.push_back({"", l});
  }
  return s;
}

std::string Describe(const Stack& s) { return testing::DescribeStack(s); }

// The per-dim size the rules are built from is what the whole stack computes, pools and
// up-samplers included.
RC_GTEST_PROP(StackUpsamplers, ProjectedSizeIsTheWholeStacksOutput, ()) {
  const std::string mismatch = testing::ProjectedSizeMismatch(RandomUpsamplerStack(), 64);
  if (!mismatch.empty()) RC_FAIL(mismatch);
}

RC_GTEST_PROP(StackUpsamplers, PeriodicRuleAgreesWithTracingEverySize, ()) {
  const Stack s = RandomUpsamplerStack();
  const DimRule rule = AnalyzeDim(s, 0);
  RC_ASSERT(rule.period > 0);  // every layer drawn here keeps the dim periodic
  RC_CLASSIFY(rule.classes.size() > 0 && rule.classes[0].slope == 0, "strides cancel");
  int64_t trips = 0;
  for (int64_t x = 1; x <= 160; ++x) {
    const std::optional<int64_t> out = StackDimOutput(s, 0, x);
    const bool actual = out && *out == x;
    trips += actual;
    if (rule.RoundTrips(x) != actual) {
      RC_FAIL("size " + std::to_string(x) + ": rule \"" + rule.Sentence() + "\" disagrees with tracing (" +
              (out ? std::to_string(*out) : "rejected") + ") for stack\n" + Describe(s));
    }
    RC_ASSERT(out.has_value() == (rule.min_valid != 0 && x >= rule.min_valid));
  }
  RC_ASSERT(rule.CountRoundTrips(1, 160) == trips);
  RC_TAG(trips > 0 ? "some round-trip" : "none round-trips");
}

}  // namespace
}  // namespace convcheck
