// The solver: the documented example, and completeness against a brute-force enumeration over
// the same bounds (every (k, s, p, d, op) tried and judged by OutputShape).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "oracles/output_shape.h"
#include "oracles/solver.h"

namespace convcheck {
namespace {

bool Produces(int64_t in, int64_t out, const Solution& s, bool transposed) {
  ConvCase c = DefaultCase(transposed ? Op::kConvTranspose1d : Op::kConv1d, {1, 1, in}, 1);
  c.kernel = {s.kernel};
  c.stride = {s.stride};
  c.padding = {s.padding};
  c.dilation = {s.dilation};
  c.output_padding = {s.output_padding};
  const ShapeResult r = OutputShape(c);
  return r.ok() && r.shape().back() == out;
}

std::vector<Solution> BruteForce(int64_t in, int64_t out, const SolveBounds& b) {
  std::vector<Solution> all;
  const int64_t max_d = b.allow_dilation ? b.max_dilation : 1, max_p = b.allow_padding ? b.max_padding : 0;
  for (int64_t k = 1; k <= b.max_kernel; ++k)
    for (int64_t s = 1; s <= b.max_stride; ++s)
      for (int64_t p = 0; p <= max_p; ++p)
        for (int64_t d = 1; d <= max_d; ++d)
          for (int64_t op = 0; op < (b.transposed ? std::max(s, d) : 1); ++op) {
            const Solution x{k, s, p, d, op, 0, 0};
            if (Produces(in, out, x, b.transposed)) all.push_back(x);
          }
  return all;
}

std::string Show(const Solution& s) { return DescribeSolution(s, true); }

TEST(Solve, Example768To128StartsWithKernel6Stride6) {
  SolveBounds b;
  const SolveResult r = Solve(768, 128, b);
  ASSERT_FALSE(r.solutions.empty());
  EXPECT_EQ(r.solutions[0], (Solution{6, 6, 0, 1, 0, 0, 0})) << Show(r.solutions[0]);
  EXPECT_EQ(r.solutions[0].unused, 0);
  for (const Solution& s : r.solutions) EXPECT_TRUE(Produces(768, 128, s, false)) << Show(s);
  // Same bounds, brute force: nothing missed, nothing extra.
  std::vector<Solution> brute = BruteForce(768, 128, r.bounds);
  EXPECT_EQ(brute.size(), r.solutions.size());
}

TEST(Solve, TransposedUpsamplingAndBadInput) {
  SolveBounds b;
  b.transposed = true;
  b.max_kernel = 4;
  const SolveResult r = Solve(64, 128, b);
  ASSERT_FALSE(r.solutions.empty());
  EXPECT_EQ(r.solutions[0], (Solution{2, 2, 0, 1, 0, 0, 0})) << Show(r.solutions[0]);
  EXPECT_FALSE(Solve(0, 3, b).error.empty());
  b.max_kernel = 16;
  const SolveResult twelve = Solve(12, 24, b);
  ASSERT_GE(twelve.solutions.size(), 2u);
  EXPECT_EQ(twelve.solutions[0], (Solution{2, 2, 0, 1, 0, 0, 0})) << Show(twelve.solutions[0]);
  const auto k13 = std::find(twelve.solutions.begin(), twelve.solutions.end(), Solution{13, 1, 0, 1, 0, 0, 0});
  EXPECT_NE(k13, twelve.solutions.end());
  b.max_kernel = 0;
  EXPECT_FALSE(Solve(3, 3, b).error.empty());
}

RC_GTEST_PROP(Solve, FindsExactlyWhatBruteForceFinds, ()) {
  SolveBounds b;
  b.transposed = *rc::gen::arbitrary<bool>();
  b.max_kernel = *rc::gen::inRange<int64_t>(1, 7);
  b.allow_padding = *rc::gen::arbitrary<bool>();
  b.max_padding = *rc::gen::inRange<int64_t>(0, 4);
  b.allow_dilation = *rc::gen::arbitrary<bool>();
  b.max_dilation = *rc::gen::inRange<int64_t>(1, 4);
  const int64_t in = *rc::gen::inRange<int64_t>(1, 40), out = *rc::gen::inRange<int64_t>(1, 60);
  const SolveResult r = Solve(in, out, b);
  RC_ASSERT(r.error.empty());
  std::vector<Solution> brute = BruteForce(in, out, r.bounds);
  for (const Solution& s : brute) {
    if (std::find(r.solutions.begin(), r.solutions.end(), s) == r.solutions.end()) {
      RC_FAIL("solver missed " + Show(s) + " for " + std::to_string(in) + " → " + std::to_string(out));
    }
  }
  RC_ASSERT(brute.size() == r.solutions.size());
  // Solutions that use every element come first.
  for (size_t i = 1; i < r.solutions.size(); ++i) RC_ASSERT(!(r.solutions[i - 1].unused > 0 && r.solutions[i].unused == 0));
}

TEST(Solver, TransposedOutputPaddingMayExceedTheOutputWhenPaddingEatsTheRest) {
  // conv_transpose 4 -> 1 with kernel 1, padding 2, output_padding 1 needs dilation > 1
  // (output_padding < max(stride, dilation)); found by the default run's SolverSolutionsHold.
  SolveBounds b;
  b.transposed = true;
  b.max_kernel = 5;
  b.max_stride = 4;
  b.allow_padding = true;
  b.max_padding = 2;
  b.allow_dilation = true;
  b.max_dilation = 3;
  const SolveResult r = Solve(4, 1, b);
  bool found = false;
  for (const Solution& s : r.solutions) found = found || (s.kernel == 1 && s.padding == 2 && s.output_padding == 1);
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace convcheck
