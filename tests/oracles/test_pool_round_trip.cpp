// Round trip of a pool (oracles/pool_round_trip.h): max_unpool's default output and the
// output_size it accepts (torch/nn/functional.py _unpool_output_size), nn.Upsample(scale_factor),
// and the law that the default restores the input exactly when the windows tile it.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "oracles/layer_ops.h"
#include "oracles/pool_round_trip.h"

namespace convcheck {
namespace {

ConvCase Pool(Op op, int64_t x, int64_t k, int64_t s, int64_t p, bool ceil = false) {
  ConvCase c = DefaultCase(op, {1, 3, x}, 3);
  c.kernel = {k};
  c.stride = {s};
  c.padding = {p};
  c.ceil_mode = ceil;
  return c;
}

TEST(PoolRoundTrip, TheSeedsPoolOn61LosesARowThatOutputSizeRestores) {
  ConvCase c = DefaultCase(Op::kMaxPool2d, {1, 32, 61, 72}, 32);
  c.kernel = {2, 2};
  c.stride = {};  // PyTorch's stride=None: the kernel
  const PoolRoundTrip rt = PoolRoundTripOf(c);
  ASSERT_TRUE(rt.ok()) << rt.violation->message;
  EXPECT_EQ(rt.dims[0].pool_output, 30);
  EXPECT_EQ(rt.dims[0].unpool_default, 60);
  EXPECT_EQ(rt.dims[0].unpool_min, 59);
  EXPECT_EQ(rt.dims[0].unpool_max, 61);
  EXPECT_TRUE(rt.dims[0].OutputSizeRestores());
  EXPECT_FALSE(rt.DefaultRestores());
  EXPECT_TRUE(rt.dims[1].DefaultRestores());
  EXPECT_EQ(rt.dims[1].upsample_output, 72);
  EXPECT_EQ(UnpoolRestoreSentence(c, 0), "max_unpool's default restores H iff H ≡ 0 (mod 2)");
}

TEST(PoolRoundTrip, PaddedPoolsAndInvalidPools) {
  // k3 s2 p1 on 24: y = 12, default (12−1)·2 + 3 − 2 = 23; restores odd sizes only.
  const PoolRoundTrip rt = PoolRoundTripOf(Pool(Op::kMaxPool1d, 24, 3, 2, 1));
  ASSERT_TRUE(rt.ok());
  EXPECT_EQ(rt.dims[0].unpool_default, 23);
  EXPECT_EQ(UnpoolRestoreSentence(Pool(Op::kMaxPool1d, 24, 3, 2, 1), 0), "max_unpool's default restores L iff L ≡ 1 (mod 2)");
  EXPECT_FALSE(PoolRoundTripOf(Pool(Op::kMaxPool1d, 24, 3, 2, 2)).ok());  // padding > kernel/2
  EXPECT_FALSE(PoolRoundTripOf(DefaultCase(Op::kConv1d, {1, 3, 8}, 3)).ok());
}

// For every valid floor-mode max_pool with dilation 1, max_unpool with the default output size
// restores x iff (x + 2p − k) % s == 0, and output_size = x is always accepted.
RC_GTEST_PROP(PoolRoundTrip, DefaultUnpoolRestoresExactlyWhenTheWindowsTile, ()) {
  const int64_t k = *rc::gen::inRange<int64_t>(1, 8);
  const int64_t s = *rc::gen::inRange<int64_t>(1, 8);
  const int64_t p = *rc::gen::inRange<int64_t>(0, k / 2 + 1);
  const int64_t x = *rc::gen::inRange<int64_t>(1, 300);
  const bool ceil = *rc::gen::arbitrary<bool>();
  const PoolRoundTrip rt = PoolRoundTripOf(Pool(*rc::gen::element(Op::kMaxPool1d, Op::kAvgPool1d), x, k, s, p, ceil));
  RC_PRE(rt.ok());
  RC_CLASSIFY(rt.dims[0].DefaultRestores(), "default restores");
  RC_ASSERT(rt.dims[0].OutputSizeRestores());
  if (!ceil) RC_ASSERT(rt.dims[0].DefaultRestores() == ((x + 2 * p - k) % s == 0));
}

}  // namespace
}  // namespace convcheck
