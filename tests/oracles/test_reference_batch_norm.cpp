// The float64 reference of eval-mode batch_norm against hand-computed examples (per-channel
// statistics, the channel dim of a 1-d, 2-d and 3-d input, a gradient that tells the channels
// apart) and the tensors MakeCaseData draws for it. Its gradients obey the finite-difference
// law in test_reference_layer.cpp (ReferenceLayer.GradientsAreTheDerivativesOfTheForward).
#include <cmath>

#include <gtest/gtest.h>

#include "oracles/case_reference.h"
#include "oracles/reference_batch_norm.h"
#include "oracles/tensor_values.h"

namespace convcheck {
namespace {

using V = std::vector<double>;

DoubleTensor PerChannel(V v) { return {{static_cast<int64_t>(v.size())}, std::move(v)}; }

// weight, bias, mean, var with var + eps exactly representable squares: invstd 1/2 and 1/4.
BatchNormParameters TwoChannels() {
  return {PerChannel({2, -1}), PerChannel({1, 0.5}), PerChannel({1, -2}),
          PerChannel({4 - kBatchNormEps, 16 - kBatchNormEps})};
}

void ExpectNear(const V& got, const V& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << "element " << i;
}

TEST(ReferenceBatchNorm, NormalizesEachChannelWithItsOwnStatisticsAndAffine) {
  // BatchNorm1d on [N=2, C=2]: channel 0 is (x − 1)/2·2 + 1, channel 1 is (x + 2)/4·(−1) + 0.5.
  const ConvCase c = DefaultCase(Op::kBatchNorm1d, {2, 2}, 0);
  const RefResult y = ReferenceBatchNormForward(c, {{2, 2}, {3, 2, 1, -6}}, TwoChannels());
  ASSERT_TRUE(y.ok()) << y.error;
  ExpectNear(y.value->data, {3, -0.5, 1, 1.5});
}

TEST(ReferenceBatchNorm, TheChannelIsDimOneWhateverTheSpatialRank) {
  // BatchNorm2d on [1, 2, 1, 2] and BatchNorm3d on [1, 2, 1, 1, 2]: the same four values, the
  // first two in channel 0.
  for (const auto& [op, shape] : {std::pair{Op::kBatchNorm2d, Dims{1, 2, 1, 2}}, std::pair{Op::kBatchNorm3d, Dims{1, 2, 1, 1, 2}}}) {
    const ConvCase c = DefaultCase(op, shape, 0);
    const RefResult y = ReferenceBatchNormForward(c, {shape, {3, 1, 2, -6}}, TwoChannels());
    ASSERT_TRUE(y.ok()) << y.error;
    ExpectNear(y.value->data, {3, 1, -0.5, 1.5});
  }
}

TEST(ReferenceBatchNorm, GradientsScaleByWeightOverStdAndSumPerChannel) {
  const ConvCase c = DefaultCase(Op::kBatchNorm1d, {2, 2}, 0);
  const RefGradients g = ReferenceBatchNormGradients(c, {{2, 2}, {3, 2, 1, -6}}, TwoChannels(), {{2, 2}, {1, 2, 3, 4}});
  ASSERT_TRUE(g.input.ok() && g.weight.ok()) << g.input.error << g.weight.error;
  // dx = g·w/std: channel 0 ×1, channel 1 ×(−1/4).
  ExpectNear(g.input.value->data, {1, -0.5, 3, -1});
  // dw[c] = Σ g·(x − mean)/std: channel 0: 1·1 + 3·0 = 1; channel 1: 2·4/4 + 4·(−4)/4 = −2.
  ExpectNear(g.weight.value->data, {1, -2});
}

TEST(ReferenceBatchNorm, RefusesWhatItCannotCompute) {
  const ConvCase c = DefaultCase(Op::kBatchNorm1d, {2, 2}, 0);
  BatchNormParameters short_var = TwoChannels();
  short_var.running_var = PerChannel({1});
  EXPECT_EQ(ReferenceBatchNormForward(c, {{2, 2}, V(4, 1)}, short_var).error,
            "running_var of shape [1], batch_norm needs [2]");
  ConvCase mismatch = c;
  mismatch.in_features = 3;
  EXPECT_FALSE(ReferenceBatchNormForward(mismatch, {{2, 2}, V(4, 1)}, TwoChannels()).ok());
  EXPECT_FALSE(ReferenceBatchNormForward(DefaultCase(Op::kRelu, {2, 2}, 0), {{2, 2}, V(4, 1)}, TwoChannels()).ok());
}

TEST(ReferenceBatchNorm, CaseDataDrawsPositiveVariancesAndOneValuePerChannel) {
  for (DType dtype : {DType::kFloat64, DType::kFloat32, DType::kBFloat16, DType::kFloat16}) {
    ConvCase c = DefaultCase(Op::kBatchNorm2d, {2, 5, 3, 3}, 0);
    c.dtype = dtype;
    c.seed = 7;
    const CaseData d = MakeCaseData(c);
    for (const DoubleTensor* t : {&d.weight, &d.bias, &d.running_mean, &d.running_var}) {
      EXPECT_EQ(t->shape, (Dims{5}));
      for (double v : t->data) EXPECT_EQ(v, RoundToDType(v, dtype)) << "a value the dtype cannot hold";
    }
    for (double v : d.running_var.data) {
      EXPECT_GE(v, 0.25);
      EXPECT_LE(v, 1.25);
    }
    EXPECT_NE(d.running_mean.data, d.bias.data) << "independent streams";
    EXPECT_TRUE(ReferenceForward(c, d).ok());
  }
}

}  // namespace
}  // namespace convcheck
