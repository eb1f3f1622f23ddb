// Parameters near 2^63 neither hang the solver or the stack sweep nor wrap into wrong answers
// in the conventions (issue #16).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

#include "case_io/stack_json.h"
#include "oracles/conventions.h"
#include "oracles/solver.h"
#include "oracles/stack.h"

namespace convcheck {
namespace {

constexpr int64_t kMax = INT64_MAX;

template <typename F>
double Seconds(F f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(HugeBounds, SolverClampsWhatCannotMatterOrRefusesTheBound) {
  SolveBounds b;
  b.max_kernel = kMax;
  SolveResult r;
  EXPECT_LT(Seconds([&] { r = Solve(100, 10, b); }), 5.0);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.bounds.max_kernel, 100) << "a kernel beyond the input cannot map anything";
  EXPECT_FALSE(r.solutions.empty());

  SolveBounds all;
  all.transposed = true;
  all.max_kernel = all.max_stride = all.max_padding = all.max_dilation = kMax;
  all.allow_padding = all.allow_dilation = true;
  EXPECT_LT(Seconds([&] { r = Solve(10, 100, all); }), 10.0);
  EXPECT_NE(r.error.find("these bounds need more than"), std::string::npos) << r.error;
}

TEST(HugeBounds, SolverAutoPaddingDoesNotOverflow) {
  SolveBounds b;
  b.max_kernel = kMax;
  b.allow_padding = true;
  b.allow_dilation = true;
  b.max_dilation = 4;
  EXPECT_EQ(EffectiveBounds(10, 3, b).max_padding, kMax);
}

TEST(HugeBounds, SweepCountIsClosedFormUpTo2To63) {
  const StackParseResult p = ParseStackText(R"([{"op": "conv2d", "out_channels": 1, "kernel": 3, "stride": 2, "padding": 1},
    {"op": "conv_transpose2d", "out_channels": 1, "kernel": 3, "stride": 2, "padding": 1, "output_padding": 1}])");
  ASSERT_TRUE(p.ok()) << p.error;
  const DimRule rule = AnalyzeDim(*p.value, 0);
  int64_t loop = 0;
  for (int64_t x = 1; x <= 1000; ++x) loop += rule.RoundTrips(x);
  EXPECT_EQ(rule.CountRoundTrips(1, 1000), loop);
  EXPECT_EQ(rule.CountRoundTrips(kMax - 9, kMax), 5);  // the even sizes
  EXPECT_EQ(rule.CountRoundTrips(1, kMax), kMax / 2);
}

ForeignDim Dim(int64_t x, int64_t k, int64_t s, int64_t d = 1) { return {x, k, s, d, 0, 0, std::nullopt, std::nullopt}; }

TEST(HugeBounds, ConventionsNameTheOverflowInsteadOfWrapping) {
  // TF VALID, kernel 2^63−1, dilation 2: the extent exceeds any int64 input (was "out = … = 28").
  const Conversion valid = ToTorch(Convention::kTfValid, false, {Dim(kMax, kMax, 1, 2)});
  EXPECT_NE(valid.error.find("kernel extent 18446744073709551613"), std::string::npos) << valid.error;
  // Keras SAME transposed on 2^63−1 (was −2).
  const Conversion keras = ToTorch(Convention::kKerasSame, true, {Dim(kMax, 3, 2)});
  EXPECT_NE(keras.error.find("overflow: output size 18446744073709551614 exceeds int64"), std::string::npos) << keras.error;
  ForeignDim pads = Dim(kMax, 1, 1);
  pads.pad_begin = pads.pad_end = kMax;
  EXPECT_NE(ToTorch(Convention::kOnnxNotSet, false, {pads}).error.find("overflow"), std::string::npos);
  // Exactly at the edge is still exact: SAME with stride 1 keeps 2^63−1.
  const Conversion edge = ToTorch(Convention::kTfSame, false, {Dim(kMax, 1, 1)});
  ASSERT_TRUE(edge.ok()) << edge.error;
  EXPECT_EQ(edge.dims[0].expected, kMax);
}

}  // namespace
}  // namespace convcheck
