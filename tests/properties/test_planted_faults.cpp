// Planted faults: the LibTorch numeric backend wrapped with deliberately wrong variants. Each
// fault must be caught by exactly the numeric properties that should catch it, and by no
// other; the table of which property catches which fault is printed. A "no fault" row proves
// the properties do not fail on a correct backend.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>

#include <gtest/gtest.h>

#include "properties/numeric_properties.h"
#include "tests/support/unused_backend.h"
#include "case_io/case_json.h"

namespace convcheck {
namespace {

enum class Fault { kNone, kWeightsFlipped, kPaddingOffByOne, kBiasDropped, kOutputShifted, kCudaDiffers };

const char* FaultName(Fault f) {
  switch (f) {
    case Fault::kNone: return "none";
    case Fault::kWeightsFlipped: return "weights flipped";
    case Fault::kPaddingOffByOne: return "padding off by one";
    case Fault::kBiasDropped: return "bias dropped";
    case Fault::kOutputShifted: return "output shifted by one";
    case Fault::kCudaDiffers: return "fake CUDA output shifted";
  }
  return "?";
}

// Reverses every spatial dim of a weight [a, b, *k]: the classic convolution-vs-correlation bug.
DoubleTensor FlipSpatial(const DoubleTensor& w) {
  const int64_t volume = NumElements(Dims(w.shape.begin() + 2, w.shape.end()));
  DoubleTensor out = w;
  for (size_t base = 0; base < w.data.size(); base += static_cast<size_t>(volume)) {
    std::reverse(out.data.begin() + static_cast<std::ptrdiff_t>(base),
                 out.data.begin() + static_cast<std::ptrdiff_t>(base + static_cast<size_t>(volume)));
  }
  return out;
}

// Moves every element one place on (the last wraps to the front); `back` undoes it, which is
// also its adjoint.
DoubleTensor Rotate(DoubleTensor t, bool back = false) {
  if (t.data.size() < 2) return t;
  if (back) std::rotate(t.data.begin(), t.data.begin() + 1, t.data.end());
  else std::rotate(t.data.rbegin(), t.data.rbegin() + 1, t.data.rend());
  return t;
}

// The leading `shape` block of `t` (same rank), or its adjoint: `t` embedded into zeros.
DoubleTensor Block(const DoubleTensor& t, const Dims& shape, bool embed) {
  const Dims& from = embed ? shape : t.shape;
  const Dims& small = embed ? t.shape : shape;
  DoubleTensor out = ZerosTensor(embed ? shape : small);
  for (int64_t i = 0; i < NumElements(small); ++i) {
    int64_t rest = i, big = 0, stride = 1;
    for (size_t d = small.size(); d-- > 0;) {
      big += (rest % small[d]) * stride;
      rest /= small[d];
      stride *= from[d];
    }
    if (embed) out.data[static_cast<size_t>(big)] = t.data[static_cast<size_t>(i)];
    else out.data[static_cast<size_t>(i)] = t.data[static_cast<size_t>(big)];
  }
  return out;
}

// A numeric backend that is wrong in one planted way, consistently in forward and autograd
// (gradients are those of the faulty forward, as a real buggy kernel's would be).
class Faulty final : public NumericBackend {
 public:
  Faulty(std::shared_ptr<NumericBackend> inner, Fault fault) : inner_(std::move(inner)), fault_(fault) {}
  std::string Name() const override { return inner_->Name() + " with " + FaultName(fault_); }
  bool DeviceAvailable(Device d) const override {
    return fault_ == Fault::kCudaDiffers || inner_->DeviceAvailable(d);
  }
  NumericOutcome Forward(const ConvCase& c, const CaseData& data) override {
    return Gradients(c, data, {});
  }
  NumericOutcome Gradients(const ConvCase& c, const CaseData& data, const DoubleTensor& grad_output) override {
    const bool grads = !grad_output.shape.empty();
    ConvCase run = c;
    CaseData d = data;
    DoubleTensor upstream = grad_output;
    const bool shifted = fault_ == Fault::kOutputShifted || (fault_ == Fault::kCudaDiffers && c.device == Device::kCuda);
    if (fault_ == Fault::kCudaDiffers) run.device = Device::kCpu;
    if (fault_ == Fault::kWeightsFlipped) d.weight = FlipSpatial(d.weight);
    if (fault_ == Fault::kBiasDropped && c.bias) std::fill(d.bias.data.begin(), d.bias.data.end(), 0.0);
    if (shifted && grads) upstream = Rotate(upstream, /*back=*/true);
    const ShapeResult expected = OutputShape(c);
    if (fault_ == Fault::kPaddingOffByOne && expected.ok()) {
      // One pad too many on each side (one too few for transposed ops), cropped back to the
      // expected shape: same shape, every window one element off.
      for (int64_t& p : run.padding) p += IsTransposed(c.op) ? -1 : 1;
      const ShapeResult big = OutputShape(run);
      if (!big.ok()) return NumericOutcome::Rejected("planted fault not applicable");
      if (grads) upstream = Block(upstream, big.shape(), /*embed=*/true);
    }
    NumericOutcome o = grads ? inner_->Gradients(run, d, upstream) : inner_->Forward(run, d);
    if (o.kind != NumericOutcome::Kind::kValues) return o;
    if (fault_ == Fault::kPaddingOffByOne && expected.ok()) o.output = Block(o.output, expected.shape(), false);
    if (shifted) o.output = Rotate(o.output);
    if (fault_ == Fault::kWeightsFlipped && grads) o.weight_grad = FlipSpatial(o.weight_grad);
    return o;
  }

 private:
  std::shared_ptr<NumericBackend> inner_;
  Fault fault_;
};

using NoShapes = testing::UnusedBackend;

// Cases every fault applies to: kernels that are not symmetric under flipping, pads >= 1,
// bias on, both directions, float64 so tolerances are tight.
std::vector<ConvCase> PlantedCases() {
  ConvCase a = DefaultCase(Op::kConv2d, {2, 4, 7, 6}, 6);
  a.kernel = {3, 2};
  a.padding = {1, 1};
  a.groups = 2;
  ConvCase b = DefaultCase(Op::kConvTranspose1d, {1, 4, 9}, 4);
  b.kernel = {3};
  b.stride = {2};
  b.padding = {1};
  b.output_padding = {1};
  ConvCase c = DefaultCase(Op::kConv3d, {1, 2, 4, 5, 3}, 3);
  c.kernel = {2, 3, 2};
  c.padding = {1, 1, 1};
  c.dilation = {1, 2, 1};
  for (ConvCase* x : {&a, &b, &c}) {
    x->dtype = DType::kFloat64;
    x->seed = 5;
  }
  return {a, b, c};
}

template <typename P>
std::unique_ptr<CaseProperty> Make(std::shared_ptr<NumericBackend> nb) {
  return std::make_unique<P>(NumericSetupFor(std::move(nb)));
}

TEST(PlantedFaults, EachFaultIsCaughtByTheRightProperties) {
  const std::shared_ptr<NumericBackend> real(MakeDefaultNumericBackend());
  if (!real) GTEST_SKIP() << "built without LibTorch: MakeDefaultNumericBackend() returned nullptr";
  const bool cuda = real->DeviceAvailable(Device::kCuda);
  // Expected catches, in property order Values, Adjoint, Gradient, Devices. A consistent
  // weight flip keeps conv and conv_transpose adjoint, so only the reference sees it; a
  // dropped bias is invisible to the linear identities and to gradients.
  const std::map<Fault, std::string> expected = {
      {Fault::kNone, "...."},           {Fault::kWeightsFlipped, "V.G."},
      {Fault::kPaddingOffByOne, "VAG."}, {Fault::kBiasDropped, "V..."},
      {Fault::kOutputShifted, "VAG."},  {Fault::kCudaDiffers, "...D"}};
  std::cout << std::left << std::setw(26) << "planted fault" << std::setw(22) << "ValuesMatchReference"
            << std::setw(20) << "TransposeIsAdjoint" << std::setw(21) << "GradientIsTranspose"
            << "DevicesAgree\n";
  for (const auto& [fault, want] : expected) {
    auto nb = std::make_shared<Faulty>(real, fault);
    std::vector<std::unique_ptr<CaseProperty>> props;
    props.push_back(Make<ValuesMatchReference>(nb));
    props.push_back(Make<TransposeIsAdjoint>(nb));
    props.push_back(Make<GradientIsTranspose>(nb));
    props.push_back(Make<DevicesAgree>(nb));
    std::string got;
    std::cout << std::setw(26) << FaultName(fault);
    const int widths[] = {22, 20, 21, 12};
    for (size_t i = 0; i < props.size(); ++i) {
      int caught = 0, ran = 0;
      NoShapes shapes;
      for (const ConvCase& c : PlantedCases()) {
        const std::optional<CaseResult> r = props[i]->Check(c, shapes);
        ASSERT_TRUE(r.has_value()) << props[i]->Name() << " does not apply to " << CaseToJsonLine(c);
        ran += r->verdict != Verdict::kSkipped;
        caught += r->verdict == Verdict::kValueMismatch;
        EXPECT_TRUE(r->verdict == Verdict::kValueMismatch || r->verdict == Verdict::kAgree ||
                    (r->verdict == Verdict::kSkipped && r->detail == "no CUDA device"))
            << FaultName(fault) << ": " << props[i]->Name() << " " << VerdictName(r->verdict)
            << " on " << CaseToJsonLine(c) << "\n  " << r->detail;
        if (r->verdict == Verdict::kValueMismatch && fault != Fault::kNone) {
          // Every failure reports its errors: element-wise ones, or the two inner products.
          EXPECT_NE(r->detail.find(i == 1 ? "|diff|" : "max abs err"), std::string::npos) << r->detail;
        }
      }
      const char letter = "VAGD"[i];
      got += caught > 0 ? letter : '.';
      std::cout << std::setw(widths[i])
                << (ran == 0 ? "skipped" : (caught > 0 ? "CAUGHT " : "passed ") + std::to_string(caught) + "/" + std::to_string(ran));
    }
    std::cout << "\n";
    // Real CUDA makes DevicesAgree run for the CPU-side faults too; they are consistent across
    // devices there, so the expectation is unchanged.
    EXPECT_EQ(got, want) << "fault '" << FaultName(fault) << "' (V=ValuesMatchReference, "
                         << "A=TransposeIsAdjoint, G=GradientIsTranspose, D=DevicesAgree)"
                         << (cuda ? " with a CUDA device" : "");
  }
}

}  // namespace
}  // namespace convcheck
