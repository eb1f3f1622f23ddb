// Values and gradients of linear, flatten, the elementwise layers and eval-mode batch_norm:
// ValuesMatchReference and GradientIsTranspose judge them (max_unpool and upsample stay out: no
// reference), they fail on planted faults (linear's weight read transposed, its bias dropped,
// batch_norm's running statistics ignored — what a fresh module's 0 and 1 would hide — values or
// gradients moved one element on), and LibTorch agrees with the float64 reference on generated
// valid and edge cases (skipped, with the reason, without LibTorch).
#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "generators/pool_case_gen.h"
#include "oracles/reference_layer.h"
#include "properties/numeric_properties.h"
#include "properties/property_table.h"
#include "tests/support/numeric_checks.h"
#include "tests/support/reference_numeric.h"
#include "tests/support/unused_backend.h"

namespace convcheck {
namespace {

const std::vector<Op> kLayerOps = {Op::kLinear,  Op::kFlatten,     Op::kRelu,        Op::kTanh,       Op::kSigmoid,
                                   Op::kDropout, Op::kBatchNorm1d, Op::kBatchNorm2d, Op::kBatchNorm3d};

enum class LayerFault {
  kNone, kWeightReadTransposed, kBiasDropped, kStatisticsIgnored, kOutputRotated, kInputGradRotated
};

// The weight's buffer read as if it were stored [in, out] (column-major): w'[o, i] = w[i, o] of
// the [in, out] view — the transposed-layout bug, possible at any shape.
DoubleTensor ReadTransposed(const DoubleTensor& w) {
  if (w.shape.size() != 2) return w;
  const int64_t out = w.shape[0], in = w.shape[1];
  DoubleTensor t = w;
  for (int64_t o = 0; o < out; ++o) {
    for (int64_t i = 0; i < in; ++i) t.data[static_cast<size_t>(o * in + i)] = w.data[static_cast<size_t>(i * out + o)];
  }
  return t;
}

void Rotate(std::vector<double>* v) {
  if (v->size() > 1) std::rotate(v->rbegin(), v->rbegin() + 1, v->rend());
}

// A backend wrong in one planted way, on top of a correct one.
class FaultyLayers final : public NumericBackend {
 public:
  FaultyLayers(std::shared_ptr<NumericBackend> inner, LayerFault fault) : inner_(std::move(inner)), fault_(fault) {}
  std::string Name() const override { return inner_->Name() + " with a planted fault"; }
  bool DeviceAvailable(Device d) const override { return inner_->DeviceAvailable(d); }
  NumericOutcome Forward(const ConvCase& c, const CaseData& data) override {
    NumericOutcome o = inner_->Forward(Planted(c), Planted(data));
    if (fault_ == LayerFault::kOutputRotated) Rotate(&o.output.data);
    return o;
  }
  NumericOutcome Gradients(const ConvCase& c, const CaseData& data, const DoubleTensor& grad_output) override {
    NumericOutcome o = inner_->Gradients(Planted(c), Planted(data), grad_output);
    if (fault_ == LayerFault::kInputGradRotated) Rotate(&o.input_grad.data);
    return o;
  }

 private:
  ConvCase Planted(ConvCase c) const {
    if (fault_ == LayerFault::kBiasDropped) c.bias = false;
    return c;
  }
  CaseData Planted(CaseData d) const {
    if (fault_ == LayerFault::kWeightReadTransposed) d.weight = ReadTransposed(d.weight);
    if (fault_ == LayerFault::kStatisticsIgnored) {
      for (double& v : d.running_mean.data) v = 0;
      for (double& v : d.running_var.data) v = 1;
    }
    return d;
  }
  std::shared_ptr<NumericBackend> inner_;
  LayerFault fault_;
};

ConvCase LinearCase(Dims input, int64_t out_features) {
  ConvCase c = DefaultCase(Op::kLinear, std::move(input), 0);
  c.out_features = out_features;
  return c;
}

// Linear with leading dims, a 1-d linear, flatten of the first two dims, relu, tanh,
// batch_norm 2d; float64.
std::vector<ConvCase> LayerCases() {
  ConvCase flatten = DefaultCase(Op::kFlatten, {2, 3, 2}, 0);
  flatten.start_dim = 0;
  flatten.end_dim = 1;
  std::vector<ConvCase> cases = {LinearCase({2, 2, 3}, 4), LinearCase({3}, 2), flatten,
                                 DefaultCase(Op::kRelu, {2, 5}, 0), DefaultCase(Op::kTanh, {3, 4}, 0),
                                 DefaultCase(Op::kBatchNorm2d, {2, 3, 2, 2}, 0)};
  for (ConvCase& c : cases) {
    c.dtype = DType::kFloat64;
    c.seed = 5;
  }
  return cases;
}

std::string Caught(std::shared_ptr<NumericBackend> inner, LayerFault fault) {
  return testing::CaughtBy(std::make_shared<FaultyLayers>(std::move(inner), fault), LayerCases());
}

void ExpectEveryFaultCaught(const std::shared_ptr<NumericBackend>& exact) {
  EXPECT_EQ(Caught(exact, LayerFault::kNone), "..");
  EXPECT_EQ(Caught(exact, LayerFault::kWeightReadTransposed), "VG");
  EXPECT_EQ(Caught(exact, LayerFault::kBiasDropped), "V.");  // a bias moves no gradient of x or w
  EXPECT_EQ(Caught(exact, LayerFault::kStatisticsIgnored), "VG");
  EXPECT_EQ(Caught(exact, LayerFault::kOutputRotated), "V.");
  EXPECT_EQ(Caught(exact, LayerFault::kInputGradRotated), ".G");
}

TEST(LayerNumeric, PlantedFaultsInTheReferenceBackendAreCaught) {
  ExpectEveryFaultCaught(std::make_shared<testing::ReferenceNumeric>());
}

std::shared_ptr<NumericBackend> LibTorch() {
  static const std::shared_ptr<NumericBackend> backend(MakeDefaultNumericBackend());
  return backend;
}

#define REQUIRE_LIBTORCH() \
  if (!LibTorch()) GTEST_SKIP() << "built without LibTorch: MakeDefaultNumericBackend() returned nullptr"

TEST(LayerNumeric, PlantedFaultsInLibTorchAreCaught) {
  REQUIRE_LIBTORCH();
  ExpectEveryFaultCaught(LibTorch());
}

TEST(LayerNumeric, ValuesAndGradientsJudgeTheLayersWithAReference) {
  ConvCase upsample = DefaultCase(Op::kUpsample2d, {1, 2, 3, 3}, 0);
  upsample.scale_factor = {2.0, 2.0};
  std::set<std::string> judging_batch_norm, judging_upsample;
  for (const auto& p : MakeExtraProperties(NumericSetupFor(std::make_shared<testing::ReferenceNumeric>()))) {
    testing::UnusedBackend shapes;
    std::set<std::string> judging_this;
    for (const ConvCase& c : LayerCases()) {
      if (p->Check(c, shapes)) judging_this.insert(OpName(c.op));
    }
    if (p->Name() == "ValuesMatchReference" || p->Name() == "GradientIsTranspose") {
      EXPECT_EQ(judging_this, (std::set<std::string>{"batch_norm2d", "flatten", "linear", "relu", "tanh"})) << p->Name();
    }
    if (p->Check(upsample, shapes)) judging_upsample.insert(p->Name());
  }
  EXPECT_TRUE(judging_upsample.empty());
}

template <typename P>
void HoldsForLibTorchLayers(rc::Gen<ConvCase> (*generator)(const GenOptions&)) {
  GenOptions opts;
  opts.ops = kLayerOps;
  opts.dtypes = {DType::kFloat32, DType::kFloat64, DType::kBFloat16};  // the default run's dtypes
  testing::HoldsOnGeneratedCases<P>(LibTorch(), generator, opts);
}

TEST(LayerNumeric, LibTorchLayerValuesMatchTheReference) {
  REQUIRE_LIBTORCH();
  HoldsForLibTorchLayers<ValuesMatchReference>(&ValidPoolCase);
  HoldsForLibTorchLayers<ValuesMatchReference>(&EdgePoolCase);
}

TEST(LayerNumeric, LibTorchLayerGradientsMatchTheReference) {
  REQUIRE_LIBTORCH();
  HoldsForLibTorchLayers<GradientIsTranspose>(&ValidPoolCase);
  HoldsForLibTorchLayers<GradientIsTranspose>(&EdgePoolCase);
}

}  // namespace
}  // namespace convcheck
