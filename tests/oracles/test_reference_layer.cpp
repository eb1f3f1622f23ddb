// The float64 reference of linear, flatten and the elementwise layers against hand-computed
// examples (a 1-d input, leading dims, no bias, a gradient that tells w from wᵀ) and the law its
// gradients must obey on generated cases: <g, f(x + hv) − f(x − hv)> / 2h == <grad_x, v> (and
// the same in w for linear), the vector-Jacobian product checked against the function itself.
#include <cmath>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "case_io/case_json.h"
#include "generators/pool_case_gen.h"
#include "oracles/case_reference.h"
#include "oracles/layer_ops.h"
#include "oracles/reference_layer.h"
#include "oracles/tensor_values.h"

namespace convcheck {
namespace {

using V = std::vector<double>;

ConvCase Linear(Dims input, int64_t out_features, bool bias) {
  ConvCase c = DefaultCase(Op::kLinear, std::move(input), 0);
  c.out_features = out_features;
  c.bias = bias;
  return c;
}

V Forward(const ConvCase& c, V x, V w = {}, V b = {}) {
  const RefResult r = ReferenceLayerForward(c, {c.input, std::move(x)}, {LinearWeightShape(c), std::move(w)},
                                            {{c.out_features}, std::move(b)});
  EXPECT_TRUE(r.ok()) << r.error;
  return r.ok() ? r.value->data : V{};
}

TEST(ReferenceLayer, LinearOfAOneDimInputIsOneRow) {
  EXPECT_EQ(Forward(Linear({2}, 1, true), {1, 2}, {3, 4}, {5}), (V{16}));
}

TEST(ReferenceLayer, LinearMapsTheLastDimAndKeepsTheLeadingOnes) {
  // x [2, 1, 2] = rows (1, 2), (3, 4); w = ((1, 0), (1, 1)): y = x wᵀ + b.
  const ConvCase c = Linear({2, 1, 2}, 2, true);
  EXPECT_EQ(Forward(c, {1, 2, 3, 4}, {1, 0, 1, 1}, {10, 20}), (V{11, 23, 13, 27}));
  EXPECT_EQ(Forward(Linear({2, 1, 2}, 2, false), {1, 2, 3, 4}, {1, 0, 1, 1}), (V{1, 3, 3, 7}));
  const RefResult r = ReferenceLayerForward(c, {c.input, {1, 2, 3, 4}}, {{2, 2}, {1, 0, 1, 1}}, {{2}, {0, 0}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->shape, (Dims{2, 1, 2}));
}

TEST(ReferenceLayer, LinearGradientsTellTheWeightFromItsTranspose) {
  // g rows (1, 2), (3, 4): dx = g w = (3, 2), (7, 4); dw = gᵀ x = (10, 14), (14, 20).
  const ConvCase c = Linear({2, 2}, 2, true);
  const RefGradients g = ReferenceLayerGradients(c, {c.input, {1, 2, 3, 4}}, {{2, 2}, {1, 0, 1, 1}}, {{2, 2}, {1, 2, 3, 4}});
  ASSERT_TRUE(g.input.ok() && g.weight.ok()) << g.input.error << g.weight.error;
  EXPECT_EQ(g.input.value->data, (V{3, 2, 7, 4}));
  EXPECT_EQ(g.weight.value->data, (V{10, 14, 14, 20}));
  EXPECT_EQ(g.weight.value->shape, (Dims{2, 2}));
}

TEST(ReferenceLayer, FlattenKeepsTheValuesInOrder) {
  ConvCase c = DefaultCase(Op::kFlatten, {2, 3, 2}, 0);
  c.start_dim = 1;
  c.end_dim = -1;
  const V x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  const RefResult y = ReferenceLayerForward(c, {c.input, x}, {}, {});
  ASSERT_TRUE(y.ok()) << y.error;
  EXPECT_EQ(y.value->shape, (Dims{2, 6}));
  EXPECT_EQ(y.value->data, x);
  const RefGradients g = ReferenceLayerGradients(c, {c.input, x}, {}, {{2, 6}, x});
  ASSERT_TRUE(g.input.ok()) << g.input.error;
  EXPECT_EQ(g.input.value->shape, (Dims{2, 3, 2}));
  EXPECT_EQ(g.input.value->data, x);
}

TEST(ReferenceLayer, ElementwiseValuesAndSlopes) {
  const auto grad = [](Op op, double x, double g) {
    const ConvCase c = DefaultCase(op, {1}, 0);
    const RefGradients r = ReferenceLayerGradients(c, {{1}, {x}}, {}, {{1}, {g}});
    return r.input.ok() ? r.input.value->data[0] : NAN;
  };
  EXPECT_EQ(Forward(DefaultCase(Op::kRelu, {2}, 0), {-0.5, 0.25}), (V{0, 0.25}));
  EXPECT_EQ(grad(Op::kRelu, -0.5, 3), 0);
  EXPECT_EQ(grad(Op::kRelu, 0.25, 3), 3);
  EXPECT_NEAR(Forward(DefaultCase(Op::kTanh, {1}, 0), {0.5})[0], 0.46211715726000974, 1e-16);
  EXPECT_NEAR(grad(Op::kTanh, 0.5, 2), 2 * (1 - 0.46211715726000974 * 0.46211715726000974), 1e-15);
  EXPECT_EQ(Forward(DefaultCase(Op::kSigmoid, {1}, 0), {0}), (V{0.5}));
  EXPECT_EQ(grad(Op::kSigmoid, 0, 1), 0.25);
  EXPECT_EQ(Forward(DefaultCase(Op::kDropout, {2}, 0), {-0.5, 0.25}), (V{-0.5, 0.25}));  // eval: the identity
  EXPECT_EQ(grad(Op::kDropout, -0.5, 3), 3);
}

TEST(ReferenceLayer, RefusesWhatItCannotCompute) {
  const ConvCase c = Linear({2, 3}, 2, true);
  const RefResult wrong_w = ReferenceLayerForward(c, {c.input, V(6, 1)}, {{3, 2}, V(6, 1)}, {{2}, V(2, 1)});
  EXPECT_EQ(wrong_w.error, "weight of shape [3, 2], linear needs [2, 3]");
  ConvCase mismatch = c;
  mismatch.in_features = 4;
  EXPECT_FALSE(ReferenceLayerForward(mismatch, {c.input, V(6, 1)}, {{2, 4}, V(8, 1)}, {{2}, V(2, 1)}).ok());
  EXPECT_FALSE(HasLayerReference(Op::kBatchNorm2d));  // oracles/reference_batch_norm.h has it
  EXPECT_FALSE(HasFloat64Reference(Op::kMaxUnpool2d));
  EXPECT_FALSE(HasFloat64Reference(Op::kUpsample2d));
  for (Op op : {Op::kLinear, Op::kFlatten, Op::kRelu, Op::kTanh, Op::kSigmoid, Op::kDropout, Op::kBatchNorm1d,
                Op::kBatchNorm2d, Op::kBatchNorm3d}) {
    EXPECT_TRUE(HasFloat64Reference(op)) << OpName(op);
  }
}

// <g, f(x + hv) − f(x − hv)> / 2h, with f the case's reference forward in x (or, for
// `in_weight`, in w).
double DirectionalDerivative(const ConvCase& c, const CaseData& d, const DoubleTensor& g, const DoubleTensor& v,
                             bool in_weight) {
  constexpr double h = 1e-6;
  double sum = 0;
  for (double sign : {1.0, -1.0}) {
    CaseData moved_data = d;
    DoubleTensor& moved = in_weight ? moved_data.weight : moved_data.input;
    for (size_t i = 0; i < moved.data.size(); ++i) moved.data[i] += sign * h * v.data[i];
    const RefResult y = ReferenceForward(c, moved_data);
    RC_ASSERT(y.ok());
    sum += sign * InnerProduct(*y.value, g);
  }
  return sum / (2 * h);
}

// The layers' and batch_norm's gradients, through the case-level entry points the numeric
// properties use.
RC_GTEST_PROP(ReferenceLayer, GradientsAreTheDerivativesOfTheForward, ()) {
  GenOptions opts;
  opts.ops = {Op::kLinear, Op::kFlatten, Op::kRelu, Op::kTanh, Op::kSigmoid, Op::kDropout,
              Op::kBatchNorm1d, Op::kBatchNorm2d, Op::kBatchNorm3d};
  opts.dtypes = {DType::kFloat64};
  ConvCase c = *ValidPoolCase(opts);
  c.seed = *rc::gen::inRange<uint64_t>(0, 1000);
  RC_TAG(OpName(c.op));
  const CaseData d = MakeCaseData(c);
  const RefResult y = ReferenceForward(c, d);
  RC_ASSERT(y.ok());
  const DoubleTensor g = DrawTensor(y.value->shape, c.dtype, DataSeed(c), DataStream::kGradOutput);
  const RefGradients grads = ReferenceGradients(c, d, g);
  RC_ASSERT(grads.input.ok());
  const DoubleTensor v = DrawTensor(c.input, c.dtype, DataSeed(c), DataStream::kAdjoint);
  const double tol = 1e-6 * (1 + static_cast<double>(g.data.size()));
  RC_ASSERT(std::fabs(DirectionalDerivative(c, d, g, v, false) - InnerProduct(*grads.input.value, v)) <= tol);
  if (!HasWeightGradient(c.op)) return;
  RC_ASSERT(grads.weight.ok());
  const DoubleTensor vw = DrawTensor(d.weight.shape, c.dtype, DataSeed(c) + 1, DataStream::kAdjoint);
  RC_ASSERT(std::fabs(DirectionalDerivative(c, d, g, vw, true) - InnerProduct(*grads.weight.value, vw)) <= tol);
}

}  // namespace
}  // namespace convcheck
