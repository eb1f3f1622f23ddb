// The float64 reference convolution against hand-computed examples, and the laws it must obey
// on its own (linearity, identity kernel, adjoint identities for every padding mode). Also
// the tolerance table and the seeded test data it is used with.
#include <cmath>
#include <sstream>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "case_io/case_json.h"
#include "oracles/case_reference.h"
#include "oracles/reference_conv.h"
#include "oracles/tensor_values.h"
#include "oracles/tolerance.h"

namespace convcheck {
namespace {

DoubleTensor T(Dims shape, std::vector<double> data) { return {std::move(shape), std::move(data)}; }

ConvParams Params1d(int64_t stride, PadPair pad, int64_t dilation = 1, int64_t groups = 1,
                    PaddingMode mode = PaddingMode::kZeros, int64_t output_padding = 0) {
  return {{stride}, {dilation}, {pad}, {output_padding}, groups, mode};
}

std::vector<double> Values(const RefResult& r) {
  EXPECT_TRUE(r.ok()) << r.error;
  return r.ok() ? r.value->data : std::vector<double>{};
}

using V = std::vector<double>;

TEST(ReferenceConv, HandComputed1d) {
  const DoubleTensor x = T({1, 1, 3}, {1, 2, 3});
  const DoubleTensor w = T({1, 1, 2}, {1, 10});
  // Cross-correlation, not flipped: y0 = 1·1 + 2·10.
  EXPECT_EQ(Values(ReferenceConv(x, w, nullptr, Params1d(1, {0, 0}))), (V{21, 32}));
  const DoubleTensor x4 = T({1, 1, 4}, {1, 2, 3, 4});
  const DoubleTensor ones = T({1, 1, 3}, {1, 1, 1});
  // Padded {0,1,2,3,4,0}, stride 2: windows at 0 and 2.
  EXPECT_EQ(Values(ReferenceConv(x4, ones, nullptr, Params1d(2, {1, 1}))), (V{3, 9}));
  // Asymmetric (left 2, right 0) pads: {0,0,1,2,3,4} -> {1, 3, 6, 9}.
  EXPECT_EQ(Values(ReferenceConv(x4, ones, nullptr, Params1d(1, {2, 0}))), (V{1, 3, 6, 9}));
  // Dilation 2: taps 0, 2, 4 of {1..5} with w {1,10,100}.
  const DoubleTensor x5 = T({1, 1, 5}, {1, 2, 3, 4, 5});
  const DoubleTensor w3 = T({1, 1, 3}, {1, 10, 100});
  EXPECT_EQ(Values(ReferenceConv(x5, w3, nullptr, Params1d(1, {0, 0}, 2))), (V{531}));
}

TEST(ReferenceConv, GroupsAndBias) {
  const DoubleTensor x = T({1, 2, 1}, {1, 2});
  const DoubleTensor w = T({2, 1, 1}, {3, 5});
  const DoubleTensor b = T({2}, {1, -1});
  EXPECT_EQ(Values(ReferenceConv(x, w, &b, Params1d(1, {0, 0}, 1, 2))), (V{4, 9}));
  // groups 1 mixes both channels: w [1, 2, 1] = {3, 5} -> 1·3 + 2·5.
  const DoubleTensor wm = T({1, 2, 1}, {3, 5});
  EXPECT_EQ(Values(ReferenceConv(x, wm, nullptr, Params1d(1, {0, 0}))), (V{13}));
}

TEST(ReferenceConv, HandComputed2d) {
  const DoubleTensor x = T({1, 1, 2, 2}, {1, 2, 3, 4});
  const DoubleTensor w = T({1, 1, 2, 2}, {1, 2, 3, 4});
  const ConvParams p{{1, 1}, {1, 1}, {{0, 0}, {0, 0}}, {0, 0}, 1, PaddingMode::kZeros};
  EXPECT_EQ(Values(ReferenceConv(x, w, nullptr, p)), (V{30}));
}

TEST(ReferenceConv, PaddingModes) {
  const DoubleTensor x = T({1, 1, 3}, {1, 2, 3});
  const std::vector<PadPair> pads = {{2, 1}};
  EXPECT_EQ(PadSpatial(x, pads, PaddingMode::kZeros).data, (V{0, 0, 1, 2, 3, 0}));
  EXPECT_EQ(PadSpatial(x, pads, PaddingMode::kReflect).data, (V{3, 2, 1, 2, 3, 2}));
  EXPECT_EQ(PadSpatial(x, pads, PaddingMode::kReplicate).data, (V{1, 1, 1, 2, 3, 3}));
  EXPECT_EQ(PadSpatial(x, pads, PaddingMode::kCircular).data, (V{2, 3, 1, 2, 3, 1}));
  // The adjoint folds each pad back onto the element it copied.
  const DoubleTensor ones = T({1, 1, 6}, {1, 1, 1, 1, 1, 1});
  EXPECT_EQ(PadSpatialAdjoint(ones, x.shape, pads, PaddingMode::kReflect).data, (V{1, 3, 2}));
  EXPECT_EQ(PadSpatialAdjoint(ones, x.shape, pads, PaddingMode::kCircular).data, (V{2, 2, 2}));
}

TEST(ReferenceConv, HandComputedTransposed) {
  const DoubleTensor x = T({1, 1, 2}, {1, 2});
  const DoubleTensor w = T({1, 1, 2}, {1, 10});
  // Each input scatters a scaled copy of the kernel, `stride` apart.
  EXPECT_EQ(Values(ReferenceConvTranspose(x, w, nullptr, Params1d(2, {0, 0}))), (V{1, 10, 2, 20}));
  EXPECT_EQ(Values(ReferenceConvTranspose(x, w, nullptr, Params1d(2, {1, 1}))), (V{10, 2}));
  EXPECT_EQ(Values(ReferenceConvTranspose(x, w, nullptr, Params1d(2, {0, 0}, 1, 1, PaddingMode::kZeros, 1))),
            (V{1, 10, 2, 20, 0}));
  // Stride 1 overlaps: {1, 10+2, 20}.
  EXPECT_EQ(Values(ReferenceConvTranspose(x, w, nullptr, Params1d(1, {0, 0}))), (V{1, 12, 20}));
}

TEST(ReferenceConv, CaseLevelUnbatchedMatchesBatched) {
  ConvCase c = DefaultCase(Op::kConv2d, {2, 5, 4}, 3);
  c.kernel = {2, 2};
  c.padding = {1, 0};
  const CaseData d = MakeCaseData(c);
  const RefResult unbatched = ReferenceForward(c, d);
  ConvCase b = c;
  b.input = {1, 2, 5, 4};
  const RefResult batched = ReferenceForward(b, CaseData{T({1, 2, 5, 4}, d.input.data), d.weight, d.bias, {}, {}});
  ASSERT_TRUE(unbatched.ok() && batched.ok()) << CaseToJsonLine(c);
  EXPECT_EQ(unbatched.value->shape, (Dims{3, 6, 3})) << CaseToJsonLine(c);
  EXPECT_EQ(unbatched.value->data, batched.value->data) << CaseToJsonLine(c);
}

TEST(ReferenceConv, RefusesMismatchedTensorsWithoutThrowing) {
  const DoubleTensor x = T({1, 3, 4}, V(12, 1.0));
  const DoubleTensor w = T({1, 2, 2}, V(4, 1.0));
  const RefResult r = ReferenceConv(x, w, nullptr, Params1d(1, {0, 0}));
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("channels"), std::string::npos) << r.error;
}

// A small convolution with explicit, possibly asymmetric pads: valid by construction.
struct Setup {
  ConvCase c;  // op, shapes, groups and symmetric part of the padding; for the reproducer
  ConvParams p;
  std::string Describe() const {
    std::ostringstream os;
    os << CaseToJsonLine(c) << " pads(left,right):";
    for (const PadPair& q : p.pads) os << " (" << q.left << "," << q.right << ")";
    os << " mode " << PaddingModeName(p.padding_mode);
    return os.str();
  }
};

rc::Gen<Setup> GenSetup(bool asymmetric, bool any_mode) {
  return rc::gen::exec([=] {
    const int rank = *rc::gen::inRange(1, 4);
    const int64_t groups = *rc::gen::inRange(1, 3);
    const int64_t cin = groups * *rc::gen::inRange(1, 3), cout = groups * *rc::gen::inRange(1, 3);
    const PaddingMode mode = any_mode ? *rc::gen::element(PaddingMode::kZeros, PaddingMode::kReflect,
                                                         PaddingMode::kReplicate, PaddingMode::kCircular)
                                      : PaddingMode::kZeros;
    Dims input = {*rc::gen::inRange<int64_t>(1, 3), cin};
    Setup s{DefaultCase(MakeOp(false, rank), {}, cout), {}};
    s.p.groups = groups;
    s.p.padding_mode = mode;
    for (int d = 0; d < rank; ++d) {
      const int64_t k = *rc::gen::inRange(1, rank == 3 ? 3 : 4), st = *rc::gen::inRange(1, 4);
      const int64_t dil = *rc::gen::inRange(1, 3), l = *rc::gen::inRange(0, 3);
      const int64_t r = asymmetric ? *rc::gen::inRange(0, 3) : l;
      const int64_t extent = dil * (k - 1) + 1;
      input.push_back(std::max<int64_t>({1, std::max(l, r) + 1, extent - l - r}) +
                      *rc::gen::inRange(0, rank == 3 ? 3 : 5));
      s.c.kernel[d] = k;
      s.c.stride[d] = st;
      s.c.dilation[d] = dil;
      s.c.padding[d] = l;
      s.p.stride.push_back(st);
      s.p.dilation.push_back(dil);
      s.p.pads.push_back({l, r});
      s.p.output_padding.push_back(0);
    }
    s.c.input = input;
    s.c.groups = groups;
    s.c.padding_mode = mode;
    s.c.bias = false;
    s.c.dtype = DType::kFloat64;
    s.c.seed = *rc::gen::inRange<uint64_t>(0, 1000);
    return s;
  });
}

DoubleTensor Draw(const Dims& shape, const Setup& s, DataStream stream) {
  return DrawTensor(shape, DType::kFloat64, *s.c.seed, stream);
}

bool Close(double a, double b, double scale) { return std::fabs(a - b) <= 1e-11 * (1 + scale); }

double AbsInner(const DoubleTensor& a, const DoubleTensor& b) {
  double s = 0;
  for (size_t i = 0; i < a.data.size(); ++i) s += std::fabs(a.data[i] * b.data[i]);
  return s;
}

RC_GTEST_PROP(ReferenceConvLaws, IsLinearInTheInput, ()) {
  const Setup s = *GenSetup(true, true);
  const DoubleTensor w = Draw(WeightShape(s.c), s, DataStream::kWeight);
  const DoubleTensor x1 = Draw(s.c.input, s, DataStream::kInput);
  const DoubleTensor x2 = Draw(s.c.input, s, DataStream::kAdjoint);
  DoubleTensor mix = x1;
  for (size_t i = 0; i < mix.data.size(); ++i) mix.data[i] = 2 * x1.data[i] - 3 * x2.data[i];
  const RefResult y1 = ReferenceConv(x1, w, nullptr, s.p), y2 = ReferenceConv(x2, w, nullptr, s.p);
  const RefResult ym = ReferenceConv(mix, w, nullptr, s.p);
  RC_LOG() << s.Describe() << "\n";
  RC_ASSERT(y1.ok() && y2.ok() && ym.ok());
  for (size_t i = 0; i < ym.value->data.size(); ++i) {
    const double want = 2 * y1.value->data[i] - 3 * y2.value->data[i];
    if (!Close(ym.value->data[i], want, std::fabs(want))) RC_FAIL("not linear at " + std::to_string(i) + ": " + s.Describe());
  }
}

RC_GTEST_PROP(ReferenceConvLaws, CenteredIdentityKernelReturnsTheInput, ()) {
  Setup s = *GenSetup(false, true);
  // Depthwise, one output per channel, a single 1 in the middle of an odd kernel, stride 1,
  // "same" pads: every mode must hand the input back, since the pads are never read.
  const int64_t channels = s.c.input[1];
  s.c.groups = s.p.groups = s.c.out_channels = channels;
  for (size_t d = 0; d < s.c.kernel.size(); ++d) {
    s.c.kernel[d] = 2 * (s.c.kernel[d] / 2) + 1;
    s.c.stride[d] = s.p.stride[d] = 1;
    const int64_t half = s.c.dilation[d] * (s.c.kernel[d] / 2);
    s.c.padding[d] = half;
    s.p.pads[d] = {half, half};
    s.c.input[d + 2] = std::max(s.c.input[d + 2], half + 1);  // reflect needs pad < size
  }
  DoubleTensor w = ZerosTensor(WeightShape(s.c));
  const int64_t volume = NumElements(Dims(w.shape.begin() + 2, w.shape.end()));
  for (int64_t ch = 0; ch < channels; ++ch) w.data[static_cast<size_t>(ch * volume + volume / 2)] = 1;
  const DoubleTensor x = Draw(s.c.input, s, DataStream::kInput);
  const RefResult y = ReferenceConv(x, w, nullptr, s.p);
  RC_LOG() << s.Describe() << "\n";
  RC_ASSERT(y.ok());
  RC_ASSERT(y.value->shape == x.shape);
  RC_ASSERT(y.value->data == x.data);
}

RC_GTEST_PROP(ReferenceConvLaws, TransposedIsTheAdjointOfConv, ()) {
  Setup s = *GenSetup(true, false);
  const Dims ws = WeightShape(s.c);
  const DoubleTensor x = Draw(s.c.input, s, DataStream::kInput), w = Draw(ws, s, DataStream::kWeight);
  const RefResult y = ReferenceConv(x, w, nullptr, s.p);
  RC_LOG() << s.Describe() << "\n";
  RC_ASSERT(y.ok());
  ConvParams t = s.p;  // output_padding restores the input length the stride's floor dropped
  for (size_t d = 0; d < t.stride.size(); ++d) {
    const int64_t padded = s.c.input[d + 2] + t.pads[d].left + t.pads[d].right;
    const int64_t reached = (y.value->shape[d + 2] - 1) * t.stride[d] + t.dilation[d] * (ws[d + 2] - 1) + 1;
    t.output_padding[d] = padded - reached;
  }
  const DoubleTensor z = Draw(y.value->shape, s, DataStream::kAdjoint);
  const RefResult back = ReferenceConvTranspose(z, w, nullptr, t);
  RC_ASSERT(back.ok());
  RC_ASSERT(back.value->shape == x.shape);
  const double lhs = InnerProduct(*y.value, z), rhs = InnerProduct(x, *back.value);
  if (!Close(lhs, rhs, AbsInner(*y.value, z))) RC_FAIL("<conv x, z> != <x, convT z>: " + s.Describe());
}

// For every padding mode: <conv(dx, w), g> == <dx, InputGrad(g)> and
// <conv(x, dw), g> == <dw, WeightGrad(x, g)> (the op is bilinear), both directions.
RC_GTEST_PROP(ReferenceConvLaws, GradientsAreAdjoints, (bool transposed)) {
  Setup s = *GenSetup(!transposed, !transposed);
  const Dims ws = WeightShape(s.c);
  const DoubleTensor x = Draw(s.c.input, s, DataStream::kInput), w = Draw(ws, s, DataStream::kWeight);
  RC_LOG() << s.Describe() << (transposed ? " (as conv_transpose input/weight)\n" : "\n");
  // As a transposed op, reuse the conv's output shape as input and the conv weight as weight.
  const RefResult conv = ReferenceConv(x, w, nullptr, s.p);
  RC_ASSERT(conv.ok());
  const DoubleTensor in = transposed ? Draw(conv.value->shape, s, DataStream::kInput) : x;
  auto op = [&](const DoubleTensor& a, const DoubleTensor& b) {
    return transposed ? ReferenceConvTranspose(a, b, nullptr, s.p) : ReferenceConv(a, b, nullptr, s.p);
  };
  const RefResult out = op(in, w);
  RC_PRE(out.ok());  // rare: the transposed output is emptied by its pads
  const DoubleTensor g = Draw(out.value->shape, s, DataStream::kGradOutput);
  const RefResult gx = ReferenceInputGrad(s.p, transposed, g, w, in.shape);
  const RefResult gw = ReferenceWeightGrad(s.p, transposed, in, g, ws);
  RC_ASSERT(gx.ok() && gw.ok());
  const DoubleTensor dx = Draw(in.shape, s, DataStream::kAdjoint), dw = Draw(ws, s, DataStream::kBias);
  const RefResult ox = op(dx, w), ow = op(in, dw);
  RC_ASSERT(ox.ok() && ow.ok());
  if (!Close(InnerProduct(*ox.value, g), InnerProduct(dx, *gx.value), AbsInner(*ox.value, g))) {
    RC_FAIL("input gradient is not the adjoint: " + s.Describe());
  }
  if (!Close(InnerProduct(*ow.value, g), InnerProduct(dw, *gw.value), AbsInner(*ow.value, g))) {
    RC_FAIL("weight gradient is not the adjoint: " + s.Describe());
  }
}

RC_GTEST_PROP(ReferenceConvLaws, PaddingAdjointFoldsBack, ()) {
  const Setup s = *GenSetup(true, true);
  const DoubleTensor x = Draw(s.c.input, s, DataStream::kInput);
  const DoubleTensor padded = PadSpatial(x, s.p.pads, s.p.padding_mode);
  const DoubleTensor z = Draw(padded.shape, s, DataStream::kAdjoint);
  const DoubleTensor folded = PadSpatialAdjoint(z, x.shape, s.p.pads, s.p.padding_mode);
  RC_LOG() << s.Describe() << "\n";
  RC_ASSERT(Close(InnerProduct(padded, z), InnerProduct(x, folded), AbsInner(padded, z)));
}

TEST(TestData, SeededReproducibleAndVisible) {
  const DoubleTensor a = DrawTensor({4, 5}, DType::kFloat32, 7, DataStream::kInput);
  EXPECT_EQ(a.data, DrawTensor({4, 5}, DType::kFloat32, 7, DataStream::kInput).data);
  EXPECT_NE(a.data, DrawTensor({4, 5}, DType::kFloat32, 8, DataStream::kInput).data);
  EXPECT_NE(a.data, DrawTensor({4, 5}, DType::kFloat32, 7, DataStream::kWeight).data);
  bool positive = false, negative = false;
  for (double v : a.data) {
    EXPECT_GE(std::fabs(v), 1.0 / 64 - 1e-9);
    EXPECT_LE(std::fabs(v), 1.0);
    positive = positive || v > 0;
    negative = negative || v < 0;
  }
  EXPECT_TRUE(positive && negative);
}

TEST(TestData, ValuesAreExactInTheirDType) {
  for (DType t : {DType::kFloat32, DType::kBFloat16, DType::kFloat16}) {
    for (double v : DrawTensor({64}, t, 3, DataStream::kWeight).data) {
      EXPECT_EQ(RoundToDType(v, t), v) << DTypeName(t) << " " << v;
    }
  }
  EXPECT_EQ(RoundToDType(1.0 + 1.0 / 512, DType::kBFloat16), 1.0);
  EXPECT_EQ(RoundToDType(1.0 + 3.0 / 512, DType::kBFloat16), 1.0 + 1.0 / 128);
  EXPECT_EQ(RoundToDType(1.0 + 1.0 / 4096, DType::kFloat16), 1.0);
  EXPECT_EQ(RoundToDType(1.0 + 1.0 / 1024, DType::kFloat16), 1.0 + 1.0 / 1024);
}

TEST(Tolerance, EveryDTypeAndDeviceHasOneRow) {
  for (DType t : {DType::kFloat32, DType::kFloat64, DType::kBFloat16, DType::kFloat16}) {
    for (Device d : {Device::kCpu, Device::kCuda}) {
      int rows = 0;
      for (const ToleranceRow& r : ToleranceTable()) rows += r.dtype == t && r.device == d;
      EXPECT_EQ(rows, 1) << DTypeName(t) << " " << DeviceName(d);
    }
  }
  // Scaled by sqrt(L): four times the products, twice the absolute tolerance.
  const Tolerance one = ToleranceFor(DType::kFloat32, Device::kCpu, 9);
  EXPECT_DOUBLE_EQ(ToleranceFor(DType::kFloat32, Device::kCpu, 36).atol, 2 * one.atol);
  EXPECT_FALSE(one.Accepts(std::nan(""), 0));
  EXPECT_TRUE(one.Accepts(1.0, 1.0));
  EXPECT_FALSE(one.Accepts(1.1, 1.0));
}

TEST(Tolerance, WorkEstimateAndComparison) {
  ConvCase c = DefaultCase(Op::kConv2d, {1, 3, 8, 8}, 6);
  c.kernel = {3, 3};
  EXPECT_EQ(MultiplyAdds(c, {1, 6, 6, 6}), 6 * 36 * 3 * 9) << CaseToJsonLine(c);
  EXPECT_EQ(ForwardAccumulation(c), 27) << CaseToJsonLine(c);
  ConvCase t = DefaultCase(Op::kConvTranspose1d, {2, 4, 5}, 6);
  t.kernel = {3};
  t.groups = 2;
  // Each of 2·5 inputs of 4 channels scatters into 3 outputs per group member (6/2).
  EXPECT_EQ(MultiplyAdds(t, {2, 6, 7}), 2 * 5 * 4 * 3 * 3) << CaseToJsonLine(t);
  EXPECT_EQ(WeightGradAccumulation(t, {2, 6, 7}), 10) << CaseToJsonLine(t);
  const ErrorStats e = CompareValues({1, 2, 3.5}, {1, 2, 3}, {0.1, 0});
  EXPECT_EQ(e.rejected, 1);
  EXPECT_EQ(e.worst, 2);
  EXPECT_DOUBLE_EQ(e.max_abs, 0.5);
  EXPECT_NE(DescribeErrors(e, {0.1, 0}).find("max abs err 0.5"), std::string::npos);
}

}  // namespace
}  // namespace convcheck
