// The pooling solver: the 61 -> 31 and the law that every answer is one the oracle
// accepts with exactly that output.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "oracles/layer_shape.h"
#include "oracles/pool_solver.h"

namespace convcheck {
namespace {

TEST(PoolSolver, SixtyOneToThirtyOneIsKernelTwoWithCeilMode) {
  const std::vector<PoolSolution> s = SolvePool(61, 31);
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s.front().kernel, 2);
  EXPECT_EQ(s.front().stride, 2);
  EXPECT_TRUE(s.front().ceil_mode || s.front().padding == 1);
  EXPECT_EQ(DescribePoolSolution(s.front()), "nn.MaxPool1d(kernel_size=2, ceil_mode=True)  (or AvgPool1d: same sizes)");
  bool tf_same = false;
  for (const PoolSolution& x : s) tf_same = tf_same || (x.tf_same && x.kernel == 2 && x.stride == 2);
  EXPECT_TRUE(tf_same);
}

RC_GTEST_PROP(PoolSolver, EverySolutionMapsInToOut, ()) {
  const int64_t in = *rc::gen::inRange<int64_t>(1, 80);
  const int64_t out = *rc::gen::inRange<int64_t>(1, 40);
  for (const PoolSolution& s : SolvePool(in, out, 5, 5)) {
    RC_ASSERT(s.padding <= s.kernel / 2);
    const int64_t got = s.tf_same ? (in + s.stride - 1) / s.stride
                                  : static_cast<int64_t>(PoolOutputSize(in, s.kernel, s.padding, s.padding, s.stride, 1, s.ceil_mode));
    RC_ASSERT(got == out);
  }
}

}  // namespace
}  // namespace convcheck
