// Values and gradients of the pooling ops: ValuesMatchReference and GradientIsTranspose judge
// pool cases (the other extra properties stay with convolutions), they fail on planted faults
// of a pool's divisor and gradient, and LibTorch's pools agree with the float64 reference on
// generated valid and edge cases (skipped, with the reason, without LibTorch).
#include <algorithm>
#include <set>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "case_io/case_json.h"
#include "generators/pool_case_gen.h"
#include "oracles/layer_ops.h"
#include "properties/numeric_properties.h"
#include "properties/property_table.h"
#include "tests/support/numeric_checks.h"
#include "tests/support/reference_numeric.h"
#include "tests/support/unused_backend.h"

namespace convcheck {
namespace {

using NoShapes = testing::UnusedBackend;

enum class PoolFault { kNone, kCountIncludePadFlipped, kInputGradRotated };

// A pool backend wrong in one planted way: an avg pool that divides by the other count (the
// count_include_pad rule inverted, in forward and backward alike), or an input gradient moved
// one element on (a scatter to the wrong index).
class FaultyPools final : public NumericBackend {
 public:
  FaultyPools(std::shared_ptr<NumericBackend> inner, PoolFault fault) : inner_(std::move(inner)), fault_(fault) {}
  std::string Name() const override { return inner_->Name() + " with a planted fault"; }
  bool DeviceAvailable(Device d) const override { return inner_->DeviceAvailable(d); }
  NumericOutcome Forward(const ConvCase& c, const CaseData& data) override { return inner_->Forward(Planted(c), data); }
  NumericOutcome Gradients(const ConvCase& c, const CaseData& data, const DoubleTensor& grad_output) override {
    NumericOutcome o = inner_->Gradients(Planted(c), data, grad_output);
    if (fault_ == PoolFault::kInputGradRotated && o.input_grad.data.size() > 1) {
      std::rotate(o.input_grad.data.rbegin(), o.input_grad.data.rbegin() + 1, o.input_grad.data.rend());
    }
    return o;
  }

 private:
  ConvCase Planted(ConvCase c) const {
    if (fault_ == PoolFault::kCountIncludePadFlipped) c.count_include_pad = !c.count_include_pad;
    return c;
  }
  std::shared_ptr<NumericBackend> inner_;
  PoolFault fault_;
};

// An avg pool whose windows reach into the padding (ceil_mode adds one past the padded end),
// a dilated max pool with padding, and an adaptive pool of non-divisible sizes; float64.
std::vector<ConvCase> PoolCases() {
  ConvCase avg = DefaultCase(Op::kAvgPool2d, {1, 2, 5, 6}, 0);
  avg.kernel = {3, 3};
  avg.stride = {2, 2};
  avg.padding = {1, 1};
  avg.ceil_mode = true;
  ConvCase max = DefaultCase(Op::kMaxPool1d, {2, 3, 9}, 0);
  max.kernel = {2};
  max.stride = {2};
  max.padding = {1};
  max.dilation = {2};
  ConvCase adaptive = DefaultCase(Op::kAdaptiveAvgPool2d, {1, 2, 5, 7}, 0);
  adaptive.output_size = {3, 4};
  for (ConvCase* c : {&avg, &max, &adaptive}) {
    c->dtype = DType::kFloat64;
    c->seed = 3;
  }
  return {avg, max, adaptive};
}

std::string Caught(std::shared_ptr<NumericBackend> numeric) { return testing::CaughtBy(std::move(numeric), PoolCases()); }

TEST(PoolNumeric, PlantedFaultsInTheReferenceBackendAreCaught) {
  const auto exact = std::make_shared<testing::ReferenceNumeric>();
  EXPECT_EQ(Caught(std::make_shared<FaultyPools>(exact, PoolFault::kNone)), "..");
  EXPECT_EQ(Caught(std::make_shared<FaultyPools>(exact, PoolFault::kCountIncludePadFlipped)), "VG");
  EXPECT_EQ(Caught(std::make_shared<FaultyPools>(exact, PoolFault::kInputGradRotated)), ".G");
}

std::shared_ptr<NumericBackend> LibTorch() {
  static const std::shared_ptr<NumericBackend> backend(MakeDefaultNumericBackend());
  return backend;
}

TEST(PoolNumeric, PlantedFaultsInLibTorchAreCaught) {
  if (!LibTorch()) GTEST_SKIP() << "built without LibTorch: MakeDefaultNumericBackend() returned nullptr";
  EXPECT_EQ(Caught(std::make_shared<FaultyPools>(LibTorch(), PoolFault::kNone)), "..");
  EXPECT_EQ(Caught(std::make_shared<FaultyPools>(LibTorch(), PoolFault::kCountIncludePadFlipped)), "VG");
  EXPECT_EQ(Caught(std::make_shared<FaultyPools>(LibTorch(), PoolFault::kInputGradRotated)), ".G");
}

TEST(PoolNumeric, LibTorchMaxPoolBackwardOfAPaddingOnlyWindowIsNotRunButItsValuesAre) {
  if (!LibTorch()) GTEST_SKIP() << "built without LibTorch: MakeDefaultNumericBackend() returned nullptr";
  ConvCase c = DefaultCase(Op::kMaxPool1d, {2, 3, 1}, 0);
  c.kernel = {2};
  c.padding = {1};
  c.dilation = {2};
  c.dtype = DType::kFloat64;
  NoShapes shapes;
  GradientIsTranspose gradients(NumericSetupFor(LibTorch()));
  const std::optional<CaseResult> g = gradients.Check(c, shapes);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->verdict, Verdict::kSkipped);
  EXPECT_NE(g->detail.find("libtorch-max-pool-padding-only-window-gradient"), std::string::npos) << g->detail;
  ValuesMatchReference values(NumericSetupFor(LibTorch()));
  const std::optional<CaseResult> v = values.Check(c, shapes);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->verdict, Verdict::kAgree) << v->detail;  // -inf on both sides
}

TEST(PoolNumeric, OnlyValuesAndGradientsJudgePools) {
  std::set<std::string> judging_pools;
  for (const auto& p : MakeExtraProperties(NumericSetupFor(std::make_shared<testing::ReferenceNumeric>()))) {
    NoShapes shapes;
    for (const ConvCase& c : PoolCases()) {
      if (p->Check(c, shapes)) judging_pools.insert(p->Name());
    }
  }
  EXPECT_EQ(judging_pools, (std::set<std::string>{"GradientIsTranspose", "ValuesMatchReference"}));
}

template <typename P>
void HoldsForLibTorchPools(rc::Gen<ConvCase> (*generator)(const GenOptions&)) {
  GenOptions opts;
  opts.ops = PoolOps();
  opts.dtypes = {DType::kFloat32, DType::kFloat64};
  testing::HoldsOnGeneratedCases<P>(LibTorch(), generator, opts);
}

TEST(PoolNumeric, LibTorchPoolValuesMatchTheReference) {
  if (!LibTorch()) GTEST_SKIP() << "built without LibTorch: MakeDefaultNumericBackend() returned nullptr";
  HoldsForLibTorchPools<ValuesMatchReference>(&ValidPoolCase);
  HoldsForLibTorchPools<ValuesMatchReference>(&EdgePoolCase);
}

TEST(PoolNumeric, LibTorchPoolGradientsMatchTheReference) {
  if (!LibTorch()) GTEST_SKIP() << "built without LibTorch: MakeDefaultNumericBackend() returned nullptr";
  HoldsForLibTorchPools<GradientIsTranspose>(&ValidPoolCase);
  HoldsForLibTorchPools<GradientIsTranspose>(&EdgePoolCase);
}

}  // namespace
}  // namespace convcheck
