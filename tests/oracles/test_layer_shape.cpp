// The pooling, flatten, linear and shape-neutral layer rules: worked examples from PyTorch's own
// sources (Pool.h, MaxPooling.cpp, AveragePool3d.cpp, TensorShape.cpp flatten) and laws that
// count windows one by one instead of using the closed-form formula.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "case_io/case_json.h"
#include "oracles/layer_ops.h"
#include "oracles/layer_shape.h"
#include "test_support.h"

namespace convcheck {
namespace {

using testing::Case;
using testing::Repro;
using testing::RuleOf;
using testing::ShapeOf;

TEST(PoolShape, CeilModeLastWindowMustStartInsideInputOrLeftPadding) {
  // The issue's example: the ceil formula gives 4, but the 4th window would start at 6 >= 5 + 1.
  EXPECT_EQ(ShapeOf(R"({"op":"max_pool1d","input":[1,1,5],"kernel":2,"stride":2,"padding":1,"ceil_mode":true})"),
            (Dims{1, 1, 3}));
  EXPECT_EQ(ShapeOf(R"({"op":"max_pool1d","input":[1,1,5],"kernel":2,"stride":2,"padding":1})"), (Dims{1, 1, 3}));
  EXPECT_EQ(ShapeOf(R"({"op":"max_pool1d","input":[1,1,5],"kernel":2,"stride":2,"ceil_mode":true})"), (Dims{1, 1, 3}));
  EXPECT_EQ(ShapeOf(R"({"op":"max_pool1d","input":[1,1,5],"kernel":2,"stride":2})"), (Dims{1, 1, 2}));
}

TEST(PoolShape, StrideDefaultsToKernel) {
  EXPECT_EQ(ShapeOf(R"({"op":"max_pool2d","input":[1,32,61,72],"kernel":2})"), (Dims{1, 32, 30, 36}));
  EXPECT_EQ(ShapeOf(R"({"op":"max_pool2d","input":[1,32,61,72],"kernel":2,"ceil_mode":true})"), (Dims{1, 32, 31, 36}));
  EXPECT_EQ(ShapeOf(R"({"op":"avg_pool3d","input":[2,8,9,10,11],"kernel":[3,2,5]})"), (Dims{2, 8, 3, 5, 2}));
}

TEST(PoolShape, TfSamePoolingGivesCeilOfInputOverStride) {
  EXPECT_EQ(ShapeOf(R"({"op":"max_pool2d","input":[1,32,61,72],"kernel":2,"stride":2,"padding":"same"})"),
            (Dims{1, 32, 31, 36}));
  const PadPair p = TfSamePoolPadding(61, 2, 2, 1);
  EXPECT_EQ(p.left, 0);
  EXPECT_EQ(p.right, 1);
  const PadPair q = TfSamePoolPadding(10, 3, 1, 1);
  EXPECT_EQ(q.left, 1);
  EXPECT_EQ(q.right, 1);
}

TEST(PoolShape, PaddingAtMostHalfTheKernel) {
  EXPECT_EQ(RuleOf(R"({"op":"max_pool2d","input":[1,1,9,9],"kernel":3,"padding":2})"), Rule::kPoolPaddingTooLarge);
  EXPECT_EQ(RuleOf(R"({"op":"avg_pool1d","input":[1,1,9],"kernel":2,"padding":-1})"), Rule::kNegativePadding);
  // LibTorch 1.13.1 Pool.h: `pad <= kernelSize / 2`, the undilated kernel even with dilation.
  EXPECT_EQ(RuleOf(R"({"op":"max_pool1d","input":[1,1,20],"kernel":3,"dilation":3,"padding":2})"),
            Rule::kPoolPaddingTooLarge);
  EXPECT_EQ(ShapeOf(R"({"op":"max_pool1d","input":[1,1,20],"kernel":3,"dilation":3,"padding":1,"stride":1})"),
            (Dims{1, 1, 16}));
}

TEST(PoolShape, ParameterAndInputRules) {
  EXPECT_EQ(RuleOf(R"({"op":"max_pool2d","input":[1,1,9,9],"kernel":0})"), Rule::kNonPositiveStride);
  EXPECT_EQ(RuleOf(R"({"op":"max_pool2d","input":[1,1,9,9],"kernel":0,"stride":1})"), Rule::kNonPositiveKernel);
  EXPECT_EQ(RuleOf(R"({"op":"max_pool2d","input":[1,1,9,9],"kernel":2,"dilation":0})"), Rule::kNonPositiveDilation);
  EXPECT_EQ(RuleOf(R"({"op":"max_pool2d","input":[1,1,1,9],"kernel":2})"), Rule::kEmptyOutput);
  EXPECT_EQ(RuleOf(R"({"op":"max_pool2d","input":[1,0,9,9],"kernel":2})"), Rule::kEmptyInput);
  EXPECT_EQ(ShapeOf(R"({"op":"max_pool2d","input":[0,3,9,9],"kernel":2})"), (Dims{0, 3, 4, 4}));
  EXPECT_EQ(RuleOf(R"({"op":"max_pool2d","input":[1,3,1],"kernel":2})"), Rule::kEmptyOutput);
  EXPECT_EQ(RuleOf(R"({"op":"max_pool2d","input":[9,9],"kernel":2})"), Rule::kInputRank);
  EXPECT_EQ(RuleOf(R"({"op":"avg_pool2d","input":[1,1,9,9],"kernel":2,"divisor_override":0})"), Rule::kZeroDivisor);
  // avg_pool3d alone checks the unpadded input against the kernel (check_input_size=true).
  EXPECT_EQ(RuleOf(R"({"op":"avg_pool3d","input":[1,1,2,4,4],"kernel":3,"padding":1})"), Rule::kKernelExceedsInput);
  EXPECT_EQ(ShapeOf(R"({"op":"avg_pool2d","input":[1,1,2,4],"kernel":3,"padding":1})"), (Dims{1, 1, 1, 2}));
}

TEST(PoolShape, CodecRefusesKeysAnOpDoesNotTake) {
  EXPECT_FALSE(ParseCaseText(R"({"op":"avg_pool2d","input":[1,1,9,9],"kernel":2,"dilation":2})").ok());
  EXPECT_FALSE(ParseCaseText(R"({"op":"avg_pool1d","input":[1,1,9],"kernel":2,"divisor_override":2})").ok());
  EXPECT_FALSE(ParseCaseText(R"({"op":"max_pool2d","input":[1,1,9,9],"kernel":2,"count_include_pad":false})").ok());
  EXPECT_FALSE(ParseCaseText(R"({"op":"max_pool2d","input":[1,1,9,9]})").ok());
  EXPECT_FALSE(ParseCaseText(R"({"op":"linear","input":[1,9]})").ok());
  EXPECT_EQ(ParseCaseText(R"({"op":"avg_pool2d","input":[1,1,9,9],"kernel":2,"dilation":2})").error,
            "dilation: avg_pool2d takes no dilation");
}

TEST(AdaptivePoolShape, OutputIsOutputSize) {
  EXPECT_EQ(ShapeOf(R"({"op":"adaptive_avg_pool2d","input":[1,64,7,9],"output_size":1})"), (Dims{1, 64, 1, 1}));
  EXPECT_EQ(ShapeOf(R"({"op":"adaptive_max_pool3d","input":[64,7,9,3],"output_size":[2,5,4]})"), (Dims{64, 2, 5, 4}));
  EXPECT_EQ(RuleOf(R"({"op":"adaptive_avg_pool1d","input":[1,3,0],"output_size":2})"), Rule::kEmptyInput);
  EXPECT_EQ(RuleOf(R"({"op":"adaptive_max_pool2d","input":[1,3,4,4],"output_size":[2,-1]})"), Rule::kNegativeOutputSize);
}

TEST(FlattenLinearShape, TheIssueNetworksDenseLayers) {
  EXPECT_EQ(ShapeOf(R"({"op":"flatten","input":[1,64,16,18]})"), (Dims{1, 18432}));
  EXPECT_EQ(ShapeOf(R"({"op":"flatten","input":[2,3,4,5],"start_dim":-3,"end_dim":2})"), (Dims{2, 12, 5}));
  EXPECT_EQ(ShapeOf(R"({"op":"flatten","input":[],"start_dim":0})"), (Dims{1}));
  EXPECT_EQ(RuleOf(R"({"op":"flatten","input":[2,3,4,5],"start_dim":2,"end_dim":1})"), Rule::kFlattenDims);
  EXPECT_EQ(RuleOf(R"({"op":"flatten","input":[2,3,4,5],"end_dim":4})"), Rule::kFlattenDims);
  EXPECT_EQ(ShapeOf(R"({"op":"linear","input":[1,18432],"out_features":128})"), (Dims{1, 128}));
  EXPECT_EQ(ShapeOf(R"({"op":"linear","input":[4,7,5],"in_features":5,"out_features":3})"), (Dims{4, 7, 3}));
  EXPECT_EQ(RuleOf(R"({"op":"linear","input":[1,18432],"in_features":17280,"out_features":128})"), Rule::kFeatureMismatch);
  EXPECT_EQ(ShapeOf(R"({"op":"relu","input":[1,2,3]})"), (Dims{1, 2, 3}));
  EXPECT_EQ(ShapeOf(R"({"op":"batch_norm2d","input":[1,2,3,4],"num_features":2})"), (Dims{1, 2, 3, 4}));
  EXPECT_EQ(RuleOf(R"({"op":"batch_norm2d","input":[2,3,4]})"), Rule::kInputRank);
  EXPECT_EQ(RuleOf(R"({"op":"batch_norm1d","input":[2,3],"num_features":4})"), Rule::kFeatureMismatch);
}

TEST(LayerCaseJson, EveryOpRoundTripsThroughTheCodec) {
  const char* cases[] = {
      R"({"op":"max_pool3d","input":[1,2,9,9,9],"kernel":[3,2,2],"stride":[1,2,3],"padding":1,"dilation":2,"ceil_mode":true})",
      R"({"op":"avg_pool2d","input":[1,2,9,9],"kernel":3,"padding":"same","count_include_pad":false,"divisor_override":5})",
      R"({"op":"adaptive_max_pool1d","input":[2,9],"output_size":4})",
      R"({"op":"flatten","input":[2,3,4],"start_dim":0,"end_dim":-2,"seed":7})",
      R"({"op":"linear","input":[2,3],"in_features":3,"out_features":4,"bias":false})",
      R"({"op":"batch_norm3d","input":[1,2,3,4,5],"num_features":2})",
      R"({"op":"dropout","input":[5]})"};
  for (const char* text : cases) {
    const ConvCase c = Case(text);
    const CaseParseResult back = ParseCaseText(CaseToJsonLine(c));
    ASSERT_TRUE(back.ok()) << CaseToJsonLine(c) << ": " << back.error;
    EXPECT_EQ(*back.value, c) << CaseToJsonLine(c);
  }
}

// Windows counted one at a time: floor mode keeps the windows that fit the padded input; ceil
// mode also keeps a partial last window, if it starts inside the input or the left padding.
int64_t CountWindows(int64_t x, int64_t k, int64_t p, int64_t s, int64_t d, bool ceil_mode) {
  const int64_t extent = d * (k - 1) + 1;
  int64_t n = 0;
  for (int64_t start = 0;; start += s) {
    const bool fits = start + extent <= x + 2 * p;
    const bool partial = ceil_mode && start < x + p && start + extent - (s - 1) <= x + 2 * p;
    if (!fits && !partial) return n;
    ++n;
  }
}

RC_GTEST_PROP(PoolShapeLaws, OutputSizeCountsTheWindows, ()) {
  const int64_t k = *rc::gen::inRange<int64_t>(1, 8);
  const int64_t s = *rc::gen::inRange<int64_t>(1, 6);
  const int64_t d = *rc::gen::inRange<int64_t>(1, 4);
  const int64_t p = *rc::gen::inRange<int64_t>(0, k / 2 + 1);
  const int64_t x = *rc::gen::inRange<int64_t>(1, 60);
  const bool ceil_mode = *rc::gen::arbitrary<bool>();
  ConvCase c = Case(R"({"op":"max_pool1d","input":[1,1,1],"kernel":1})");
  c.input = {1, 1, x};
  c.kernel = {k};
  c.stride = {s};
  c.padding = {p};
  c.dilation = {d};
  c.ceil_mode = ceil_mode;
  RC_TAG(ceil_mode ? "ceil" : "floor");
  const ShapeResult r = OutputShape(c);
  const int64_t windows = CountWindows(x, k, p, s, d, ceil_mode);
  if (windows == 0) {
    RC_ASSERT(!r.ok());
    RC_ASSERT(r.violation().rule == Rule::kEmptyOutput);
    return;
  }
  RC_ASSERT(r.ok());
  RC_ASSERT(r.shape().back() == windows);
  // Every kept window touches the real input, so a max pool never returns only padding.
  const int64_t last_start = (windows - 1) * s - p;
  RC_ASSERT(last_start <= x - 1);
}

RC_GTEST_PROP(PoolShapeLaws, TfSameKeepsCeilOfInputOverStrideAndPadsRightFirst, ()) {
  const int64_t k = *rc::gen::inRange<int64_t>(1, 9);
  const int64_t s = *rc::gen::inRange<int64_t>(1, 6);
  const int64_t x = *rc::gen::inRange<int64_t>(1, 100);
  ConvCase c = Case(R"({"op":"avg_pool1d","input":[1,1,1],"kernel":1,"padding":"same"})");
  c.input = {2, 3, x};
  c.kernel = {k};
  c.stride = {s};
  const ShapeResult r = OutputShape(c);
  RC_ASSERT(r.ok());
  RC_ASSERT(r.shape() == (Dims{2, 3, (x + s - 1) / s}));
  const PadPair pad = TfSamePoolPadding(x, k, s, 1);
  RC_ASSERT(pad.right - pad.left == 0 || pad.right - pad.left == 1);
}

RC_GTEST_PROP(FlattenLaws, FlattenKeepsTheElementCount, ()) {
  const Dims input = *rc::gen::container<Dims>(*rc::gen::inRange<size_t>(1, 6), rc::gen::inRange<int64_t>(0, 7));
  const int64_t r = static_cast<int64_t>(input.size());
  const int64_t a = *rc::gen::inRange<int64_t>(-r, r);
  const int64_t b = *rc::gen::inRange<int64_t>(-r, r);
  ConvCase c = Case(R"({"op":"flatten","input":[1]})");
  c.input = input;
  c.start_dim = a;
  c.end_dim = b;
  const ShapeResult s = OutputShape(c);
  const int64_t wa = a < 0 ? a + r : a, wb = b < 0 ? b + r : b;
  RC_ASSERT(s.ok() == (wa <= wb));
  if (!s.ok()) return;
  int64_t in = 1, out = 1;
  for (int64_t v : input) in *= v;
  for (int64_t v : s.shape()) out *= v;
  RC_ASSERT(in == out);
  RC_ASSERT(static_cast<int64_t>(s.shape().size()) == r - (wb - wa));
}

}  // namespace
}  // namespace convcheck
