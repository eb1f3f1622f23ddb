// The tolerance table's bfloat16 CPU row against the accumulation it claims to cover, emulated
// here without any framework so that every host checks it. LibTorch 1.13's CPU bfloat16
// convolution without oneDNN (a CPU lacking avx512bw/vl/dq) rounds each product to bfloat16 and
// adds it to the bfloat16 output, rounding again, in the order of the reduction. Run against
// at::conv2d with oneDNN disabled, this emulation reproduced LibTorch's output bit for bit
// (100 random conv2d cases, L = 75, dilation 1 and 2); the float-accumulation model did not
// (errors up to 0.19 where it predicted none).
#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "oracles/tensor_values.h"
#include "oracles/tolerance.h"

namespace convcheck {
namespace {

// One output element: the dot product of two of the test values' vectors, as LibTorch's bfloat16
// gemm computes it (`acc`) and exactly (`exact`).
struct Dot {
  double acc = 0;
  double exact = 0;
};

Dot InDTypeDot(int64_t length, uint64_t seed) {
  const DoubleTensor x = DrawTensor({length}, DType::kBFloat16, seed, DataStream::kInput);
  const DoubleTensor w = DrawTensor({length}, DType::kBFloat16, seed, DataStream::kWeight);
  Dot d;
  for (int64_t l = 0; l < length; ++l) {
    const double product = x.data[l] * w.data[l];  // exact: 8 + 8 significant bits
    d.acc = RoundToDType(d.acc + RoundToDType(product, DType::kBFloat16), DType::kBFloat16);
    d.exact += product;
  }
  return d;
}

// 64 elements per drawn length, lengths up to the few thousand a weight gradient sums.
RC_GTEST_PROP(ToleranceGrowth, BFloat16CpuRowCoversAccumulationInBFloat16, ()) {
  const int64_t length = *rc::gen::inRange<int64_t>(1, 4001);
  const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
  const Tolerance tol = ToleranceFor(DType::kBFloat16, Device::kCpu, length);
  for (uint64_t e = 0; e < 64; ++e) {
    const Dot d = InDTypeDot(length, seed + e);
    if (tol.Accepts(d.acc, d.exact)) continue;
    std::ostringstream why;
    why << "L=" << length << " seed=" << (seed + e) << ": bfloat16-accumulated " << d.acc
        << ", exact " << d.exact << ", |diff| " << std::fabs(d.acc - d.exact) << " > atol "
        << tol.atol << " + rtol " << tol.rtol << "*|exact|";
    RC_FAIL(why.str());
  }
}

TEST(ToleranceGrowth, InDTypeRowsGrowLikeTheirPartialSums) {
  EXPECT_DOUBLE_EQ(AccumulationGrowth(Accumulator::kWide, 36), 6);
  EXPECT_DOUBLE_EQ(AccumulationGrowth(Accumulator::kInDType, 1), std::sqrt(2.0));  // sqrt(1·4/2)
  EXPECT_DOUBLE_EQ(AccumulationGrowth(Accumulator::kInDType, 75), std::sqrt(75.0 * 78 / 2));
  EXPECT_DOUBLE_EQ(AccumulationGrowth(Accumulator::kInDType, 0), std::sqrt(2.0));  // below 1 counts as 1
  // The bfloat16 CPU row grows like that; the others like sqrt(L).
  const double ratio = ToleranceFor(DType::kBFloat16, Device::kCpu, 400).atol /
                       ToleranceFor(DType::kBFloat16, Device::kCpu, 100).atol;
  EXPECT_NEAR(ratio, std::sqrt(400.0 * 403 / (100.0 * 103)), 1e-12);
  EXPECT_DOUBLE_EQ(ToleranceFor(DType::kBFloat16, Device::kCuda, 400).atol,
                   2 * ToleranceFor(DType::kBFloat16, Device::kCuda, 100).atol);
}

// The emulation itself: a length where the exact sum is not a bfloat16 value must lose
// something, or the law above would hold for any tolerance.
TEST(ToleranceGrowth, EmulatedAccumulationRoundsAtEveryStep) {
  int64_t differing = 0;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    const Dot d = InDTypeDot(300, seed);
    differing += d.acc != d.exact;
    EXPECT_EQ(RoundToDType(d.acc, DType::kBFloat16), d.acc) << "seed " << seed;
  }
  EXPECT_GE(differing, 45);
}

}  // namespace
}  // namespace convcheck
