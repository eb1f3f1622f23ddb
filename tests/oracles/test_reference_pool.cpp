// The float64 reference of the pooling ops against hand-computed examples (ceil_mode's window
// past the padded end, count_include_pad, divisor_override, dilation, adaptive windows of
// non-divisible sizes, TF SAME, argmax ties) and the law its gradient must obey on generated
// cases: <pool(x), g> == <x, grad(x, g)> (a pool is linear in x for avg, and in the chosen
// elements for max).
#include <cmath>
#include <limits>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "case_io/case_json.h"
#include "generators/pool_case_gen.h"
#include "oracles/case_reference.h"
#include "oracles/layer_ops.h"
#include "oracles/reference_pool.h"
#include "oracles/tensor_values.h"

namespace convcheck {
namespace {

using V = std::vector<double>;

ConvCase Pool1d(Op op, int64_t k, int64_t s, int64_t p, int64_t length) {
  ConvCase c = DefaultCase(op, {1, 1, length}, 0);
  c.kernel = {k};
  c.stride = {s};
  c.padding = {p};
  return c;
}

V Forward(const ConvCase& c, V x) {
  const RefResult r = ReferencePoolForward(c, {c.input, std::move(x)});
  EXPECT_TRUE(r.ok()) << r.error;
  return r.ok() ? r.value->data : V{};
}

V Grad(const ConvCase& c, V x, V g) {
  const RefResult y = ReferencePoolForward(c, {c.input, x});
  if (!y.ok()) return {};
  const RefResult r = ReferencePoolInputGrad(c, {c.input, std::move(x)}, {y.value->shape, std::move(g)});
  EXPECT_TRUE(r.ok()) << r.error;
  return r.ok() ? r.value->data : V{};
}

TEST(ReferencePool, CeilModeKeepsTheWindowThatStartsInTheLeftPadding) {
  // The MaxPool1d(2, stride=2, padding=1, ceil_mode=True) on 5: windows [-1,0], [1,2],
  // [3,4]; a fourth would start at 5, past the input, and is dropped.
  ConvCase c = Pool1d(Op::kMaxPool1d, 2, 2, 1, 5);
  c.ceil_mode = true;
  EXPECT_EQ(Forward(c, {1, 5, 2, 4, 3}), (V{1, 5, 4}));
}

TEST(ReferencePool, AvgCeilWindowPastThePaddedEndDividesByItsPaddedPart) {
  // avg_pool1d(k3, s2, p1, ceil) on 6: 4 windows; the last starts at 5 and would end at 8, but
  // cpu_avg_pool cuts it at 6 + 1 = 7: pool_size 2 (element 5 and one pad), not 3.
  ConvCase c = Pool1d(Op::kAvgPool1d, 3, 2, 1, 6);
  c.ceil_mode = true;
  c.count_include_pad = true;
  EXPECT_EQ(Forward(c, {1, 2, 3, 4, 5, 6}), (V{1, 3, 5, 3}));  // (0+1+2)/3, 9/3, 15/3, (6+0)/2
  c.count_include_pad = false;
  EXPECT_EQ(Forward(c, {1, 2, 3, 4, 5, 6}), (V{1.5, 3, 5, 6}));  // valid elements only
}

TEST(ReferencePool, AvgCeilWindowPastTheUnpaddedEndCountsOnlyTheInput) {
  // avg_pool1d(k3, s2, ceil) on 4, no padding: the second window [2, 5) is cut at 4.
  ConvCase c = Pool1d(Op::kAvgPool1d, 3, 2, 0, 4);
  c.ceil_mode = true;
  EXPECT_EQ(Forward(c, {1, 2, 3, 4}), (V{2, 3.5}));
}

TEST(ReferencePool, DivisorOverrideReplacesEveryDivisor) {
  ConvCase c = DefaultCase(Op::kAvgPool2d, {1, 1, 2, 3}, 0);  // stride 1, no padding
  c.kernel = {2, 2};
  c.divisor_override = 3;
  EXPECT_EQ(Forward(c, {1, 2, 3, 4, 5, 6}), (V{12.0 / 3, 16.0 / 3}));
  // avg_pool1d takes no divisor_override (the 1-d op has no such argument).
  ConvCase one = Pool1d(Op::kAvgPool1d, 2, 2, 0, 4);
  one.divisor_override = 3;
  EXPECT_EQ(Forward(one, {1, 2, 3, 4}), (V{1.5, 3.5}));
}

TEST(ReferencePool, DilatedMaxPoolReadsEveryDilationTh) {
  ConvCase c = Pool1d(Op::kMaxPool1d, 2, 1, 0, 5);
  c.dilation = {2};
  EXPECT_EQ(Forward(c, {5, 1, 2, 7, 0}), (V{5, 7, 2}));  // {0,2}, {1,3}, {2,4}
  // Padding 1: windows {-1,1}, {1,3}, {3,5}: the pads never win.
  c.padding = {1};
  c.stride = {2};
  EXPECT_EQ(Forward(c, {-5, -1, -2, -7, -3}), (V{-1, -1, -7}));
}

TEST(ReferencePool, MaxWindowOfPaddingOnlyIsMinusInfinityWithNoGradient) {
  // k2, padding 1, dilation 2 on a single element: the one window reads -1 and 1, both pads.
  ConvCase c = Pool1d(Op::kMaxPool1d, 2, 1, 1, 1);
  c.dilation = {2};
  const V y = Forward(c, {0.5});
  ASSERT_EQ(y.size(), 1u);
  EXPECT_EQ(y[0], -std::numeric_limits<double>::infinity());
  EXPECT_EQ(Grad(c, {0.5}, {1}), (V{0}));
}

TEST(ReferencePool, PaddingOnlyMaxWindowsNeedDilation) {
  ConvCase c = Pool1d(Op::kMaxPool1d, 2, 1, 1, 1);
  c.dilation = {2};
  EXPECT_TRUE(HasPaddingOnlyMaxWindow(c));
  c.input = {1, 1, 2};  // positions -1 and 1: element 1 is inside
  EXPECT_FALSE(HasPaddingOnlyMaxWindow(c));
  c.input = {1, 1, 1};
  c.dilation = {1};  // a contiguous window always reaches the input
  EXPECT_FALSE(HasPaddingOnlyMaxWindow(c));
  c.op = Op::kAvgPool1d;
  EXPECT_FALSE(HasPaddingOnlyMaxWindow(c));
}

TEST(ReferencePool, AdaptiveWindowsOfNonDivisibleSizesOverlap) {
  // in 5, out 3: [floor(0), ceil(5/3)) = [0,2), [1,4), [3,5).
  ConvCase c = DefaultCase(Op::kAdaptiveAvgPool1d, {1, 1, 5}, 0);
  c.output_size = {3};
  EXPECT_EQ(Forward(c, {1, 2, 3, 4, 5}), (V{1.5, 3, 4.5}));
  c.op = Op::kAdaptiveMaxPool1d;
  EXPECT_EQ(Forward(c, {3, 1, 4, 1, 5}), (V{3, 4, 5}));
  // More outputs than inputs: in 2, out 3: [0,1), [0,2), [1,2).
  ConvCase up = DefaultCase(Op::kAdaptiveAvgPool1d, {1, 1, 2}, 0);
  up.output_size = {3};
  EXPECT_EQ(Forward(up, {2, 4}), (V{2, 3, 4}));
  EXPECT_EQ(Grad(up, {2, 4}, {1, 1, 1}), (V{1.5, 1.5}));
}

TEST(ReferencePool, TfSameAvgDividesByTheValidElementsOnly) {
  // Keras AveragePooling1D(2, strides=2, padding="same") on 5: pads (0, 1); the last window
  // holds one element and divides by 1.
  ConvCase c = Pool1d(Op::kAvgPool1d, 2, 2, 0, 5);
  c.padding_kind = PaddingKind::kSame;
  EXPECT_EQ(Forward(c, {1, 2, 3, 4, 5}), (V{1.5, 3.5, 5}));
}

TEST(ReferencePool, MaxGradientGoesToTheFirstOfEqualMaxima) {
  // cpu_max_pool keeps the maximum on `val > maxval`, so a later equal value does not replace it.
  ConvCase c = Pool1d(Op::kMaxPool1d, 3, 1, 0, 4);
  EXPECT_EQ(Grad(c, {2, 2, 1, 2}, {1, 10}), (V{1, 10, 0, 0}));
  ConvCase a = DefaultCase(Op::kAdaptiveMaxPool2d, {1, 1, 2, 2}, 0);
  a.output_size = {1, 1};
  EXPECT_EQ(Grad(a, {3, 1, 3, 3}, {7}), (V{7, 0, 0, 0}));
}

TEST(ReferencePool, AvgGradientSpreadsOverTheWindowByTheDivisor) {
  ConvCase c = Pool1d(Op::kAvgPool1d, 3, 2, 1, 6);
  c.ceil_mode = true;
  // Windows [-1,2) /3, [1,4) /3, [3,6) /3, [5,7) /2.
  EXPECT_EQ(Grad(c, {1, 2, 3, 4, 5, 6}, {3, 6, 9, 2}), (V{1, 3, 2, 5, 3, 4}));
}

TEST(ReferencePool, RefusesWhatItCannotCompute) {
  ConvCase c = Pool1d(Op::kMaxPool1d, 2, 2, 0, 4);
  EXPECT_FALSE(ReferencePoolForward(c, {{1, 1, 3}, {1, 2, 3}}).ok());  // wrong input shape
  c.padding = {2};                                                     // pad > kernel/2: invalid
  EXPECT_FALSE(ReferencePoolForward(c, {c.input, {1, 2, 3, 4}}).ok());
  EXPECT_FALSE(ReferencePoolForward(DefaultCase(Op::kConv1d, {1, 1, 4}, 1), {{1, 1, 4}, {1, 2, 3, 4}}).ok());
}

TEST(ReferencePool, WindowVolumeAndFanIn) {
  ConvCase c = DefaultCase(Op::kMaxPool2d, {1, 1, 8, 8}, 0);
  c.kernel = {3, 2};
  EXPECT_EQ(PoolWindowVolume(c), 6);
  EXPECT_EQ(PoolGradientFanIn(c), 6);
  ConvCase a = DefaultCase(Op::kAdaptiveAvgPool1d, {1, 1, 2}, 0);
  a.output_size = {5};
  EXPECT_EQ(PoolWindowVolume(a), 2);   // ceil(2/5) + 1
  EXPECT_EQ(PoolGradientFanIn(a), 4);  // ceil(5/2) + 1
}

RC_GTEST_PROP(ReferencePool, GradientIsTheAdjointOfTheChosenWindows, ()) {
  GenOptions opts;
  opts.ops = PoolOps();
  opts.dtypes = {DType::kFloat64};
  const ConvCase c = *ValidPoolCase(opts);
  RC_TAG(OpName(c.op));
  const DoubleTensor x = DrawTensor(c.input, DType::kFloat64, 7, DataStream::kInput);
  const RefResult y = ReferencePoolForward(c, x);
  RC_ASSERT(y.ok());
  for (double v : y.value->data) RC_PRE(std::isfinite(v));  // padding-only max windows
  const DoubleTensor g = DrawTensor(y.value->shape, DType::kFloat64, 7, DataStream::kGradOutput);
  const RefResult gx = ReferencePoolInputGrad(c, x, g);
  RC_ASSERT(gx.ok());
  const double lhs = InnerProduct(*y.value, g), rhs = InnerProduct(x, *gx.value);
  RC_ASSERT(std::fabs(lhs - rhs) <= 1e-12 * (1 + std::fabs(lhs)));
}

}  // namespace
}  // namespace convcheck
