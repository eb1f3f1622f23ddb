// The ONNX-geometry oracle (oracles/onnx_shape.h): auto_pad, asymmetric pads and ConvTranspose
// output_shape as ONNX's opset-11 text and node tests define them, its rules, and its laws.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "generators/onnx_case_gen.h"
#include "oracles/onnx_shape.h"
#include "test_support.h"

namespace convcheck {
namespace {

using testing::Case;
using testing::Repro;

// conv.py test_conv_with_autopad_same: SAME_LOWER, k3 s2 on 5 → 3 with total pad 2, one each side
// (its y[0][0] = 12 sums x[0..1][0..1]); on an even input the odd pad goes where the mode says.
TEST(OnnxShape, SamePadsSplitTheOddElementAsTheModeSays) {
  const OnnxPads lower5 = OnnxConvPads(AutoPad::kSameLower, 5, 3, 2, 1, 0, 0);
  EXPECT_EQ(static_cast<int64_t>(lower5.begin), 1);
  EXPECT_EQ(static_cast<int64_t>(lower5.end), 1);
  const OnnxPads upper4 = OnnxConvPads(AutoPad::kSameUpper, 4, 3, 2, 1, 0, 0);
  EXPECT_EQ(static_cast<int64_t>(upper4.begin), 0);
  EXPECT_EQ(static_cast<int64_t>(upper4.end), 1);
  const OnnxPads lower4 = OnnxConvPads(AutoPad::kSameLower, 4, 3, 2, 1, 0, 0);
  EXPECT_EQ(static_cast<int64_t>(lower4.begin), 1);
  EXPECT_EQ(static_cast<int64_t>(lower4.end), 0);
  // k1 s3 on 7: the window already covers the input; SAME never pads negatively.
  const OnnxPads none = OnnxConvPads(AutoPad::kSameUpper, 7, 1, 3, 1, 0, 0);
  EXPECT_EQ(static_cast<int64_t>(none.begin + none.end), 0);
}

TEST(OnnxShape, NodeTestGeometriesAsCases) {
  // conv.py test_conv_with_strides_and_asymmetric_padding: pads [1, 0, 1, 0] on 7×5, k3 s2 → 4×2.
  EXPECT_EQ(OutputShape(Case(R"({"op":"conv2d","input":[1,1,7,5],"out_channels":1,"kernel":3,"stride":2,
      "auto_pad":"NOTSET","padding":[1,0],"padding_end":[1,0]})")).shape(), (Dims{1, 1, 4, 2}));
  // test_conv_with_autopad_same: SAME_LOWER k3 s2 on 5×5 → 3×3.
  EXPECT_EQ(OutputShape(Case(R"({"op":"conv2d","input":[1,1,5,5],"out_channels":1,"kernel":3,"stride":2,
      "auto_pad":"SAME_LOWER"})")).shape(), (Dims{1, 1, 3, 3}));
  // convtranspose.py test_convtranspose_output_shape: strides [3, 2], output_shape [10, 8], 2 out channels.
  EXPECT_EQ(OutputShape(Case(R"({"op":"conv_transpose2d","input":[1,1,3,3],"out_channels":2,"kernel":3,
      "stride":[3,2],"auto_pad":"NOTSET","output_shape":[10,8]})")).shape(), (Dims{1, 2, 10, 8}));
  // test_convtranspose_pads: pads [1, 2, 1, 2] → 7×3.
  EXPECT_EQ(OutputShape(Case(R"({"op":"conv_transpose2d","input":[1,1,3,3],"out_channels":2,"kernel":3,
      "stride":[3,2],"auto_pad":"NOTSET","padding":[1,2],"padding_end":[1,2]})")).shape(), (Dims{1, 2, 7, 3}));
  // test_convtranspose_autopad_same: SAME_UPPER s2 on 3×3 → 6×6; and the issue's 12 → 24 (not 23 or 25).
  EXPECT_EQ(OutputShape(Case(R"({"op":"conv_transpose2d","input":[1,1,3,3],"out_channels":2,"kernel":3,
      "stride":2,"auto_pad":"SAME_UPPER"})")).shape(), (Dims{1, 2, 6, 6}));
  EXPECT_EQ(OutputShape(Case(R"({"op":"conv_transpose2d","input":[1,256,12,12],"out_channels":128,"kernel":3,
      "stride":2,"auto_pad":"SAME_UPPER"})")).shape(), (Dims{1, 128, 24, 24}));
  // VALID convT: the full result plus output_padding.
  EXPECT_EQ(OutputShape(Case(R"({"op":"conv_transpose1d","input":[1,1,3],"out_channels":1,"kernel":3,
      "stride":3,"output_padding":1,"auto_pad":"VALID"})")).shape(), (Dims{1, 1, 10}));
}

Rule RuleOf(const std::string& json) {
  const ShapeResult r = OutputShape(Case(json));
  EXPECT_FALSE(r.ok()) << json;
  return r.ok() ? Rule::kOverflow : r.violation().rule;
}

TEST(OnnxShape, NamedRulesForOnnxGeometry) {
  EXPECT_EQ(RuleOf(R"({"op":"conv1d","input":[1,1,5],"out_channels":1,"kernel":3,"auto_pad":"SAME_UPPER","padding":1})"),
            Rule::kPadsWithAutoPad);
  EXPECT_EQ(RuleOf(R"({"op":"conv1d","input":[1,1,5],"out_channels":1,"kernel":3,"auto_pad":"VALID","padding_end":1})"),
            Rule::kPadsWithAutoPad);
  EXPECT_EQ(RuleOf(R"({"op":"conv1d","input":[1,1,5],"out_channels":1,"kernel":3,"auto_pad":"NOTSET","padding_end":-1})"),
            Rule::kNegativePadding);
  // Extent 5 against 2 + 1 + 1: the asymmetric pads count, each once.
  EXPECT_EQ(RuleOf(R"({"op":"conv1d","input":[1,1,2],"out_channels":1,"kernel":5,"auto_pad":"NOTSET","padding":1,"padding_end":1})"),
            Rule::kKernelExceedsInput);
  EXPECT_EQ(RuleOf(R"({"op":"conv1d","input":[1,1,2],"out_channels":1,"kernel":3,"auto_pad":"VALID"})"),
            Rule::kKernelExceedsInput);
  EXPECT_EQ(RuleOf(R"({"op":"conv_transpose1d","input":[1,1,3],"out_channels":1,"kernel":3,"auto_pad":"NOTSET","padding":2,"padding_end":3})"),
            Rule::kEmptyOutput);
  EXPECT_EQ(RuleOf(R"({"op":"conv_transpose1d","input":[1,1,3],"out_channels":1,"kernel":3,"auto_pad":"SAME_UPPER","output_shape":0})"),
            Rule::kEmptyOutput);
  EXPECT_EQ(RuleOf(R"({"op":"conv_transpose1d","input":[1,1,3],"out_channels":1,"kernel":3,"stride":2,"output_padding":2,"auto_pad":"SAME_LOWER"})"),
            Rule::kOutputPaddingTooLarge);
  EXPECT_EQ(RuleOf(R"({"op":"conv1d","input":[1,5],"out_channels":1,"kernel":3,"auto_pad":"SAME_UPPER"})"), Rule::kInputRank);
  // Exact arithmetic: x·s beyond int64 is overflow, never a wrapped size.
  EXPECT_EQ(RuleOf(R"({"op":"conv_transpose1d","input":[1,1,4611686018427387904],"out_channels":1,"kernel":1,"stride":2,"auto_pad":"SAME_UPPER"})"),
            Rule::kOverflow);
}

// A case without auto_pad is the PyTorch case it always was: same shape, same rule.
TEST(OnnxShape, NotSetWithSymmetricPadsAgreesWithThePyTorchOracle) {
  const ConvCase torch = Case(R"({"op":"conv2d","input":[1,3,9,9],"out_channels":4,"kernel":3,"stride":2,"padding":1})");
  ConvCase onnx = torch;
  onnx.auto_pad = AutoPad::kNotSet;
  EXPECT_EQ(OutputShape(onnx).shape(), OutputShape(torch).shape());
}

RC_GTEST_PROP(OnnxShape, SameUpperConvGivesCeilOfInputOverStride, ()) {
  const int64_t x = *rc::gen::inRange<int64_t>(1, 200), k = *rc::gen::inRange<int64_t>(1, 8);
  const int64_t s = *rc::gen::inRange<int64_t>(1, 6), d = *rc::gen::inRange<int64_t>(1, 4);
  const AutoPad mode = *rc::gen::element(AutoPad::kSameUpper, AutoPad::kSameLower);
  ConvCase c = DefaultCase(Op::kConv1d, {1, 1, x}, 1);
  c.kernel = {k};
  c.stride = {s};
  c.dilation = {d};
  c.auto_pad = mode;
  const ShapeResult r = OutputShape(c);
  RC_ASSERT(r.ok());
  RC_ASSERT(r.shape()[2] == (x + s - 1) / s);
  const OnnxPads p = OnnxConvPads(mode, x, k, s, d, 0, 0);
  RC_ASSERT(p.begin >= 0 && p.end >= 0 && (p.end - p.begin == 0 || p.end - p.begin == (mode == AutoPad::kSameUpper ? 1 : -1)));
}

RC_GTEST_PROP(OnnxShape, SameConvTransposeGivesInputTimesStride, ()) {
  const int64_t x = *rc::gen::inRange<int64_t>(1, 200), k = *rc::gen::inRange<int64_t>(1, 8);
  const int64_t s = *rc::gen::inRange<int64_t>(1, 6);
  ConvCase c = DefaultCase(Op::kConvTranspose1d, {1, 2, x}, 3);
  c.kernel = {k};
  c.stride = {s};
  c.auto_pad = *rc::gen::element(AutoPad::kSameUpper, AutoPad::kSameLower);
  const ShapeResult r = OutputShape(c);
  RC_ASSERT(r.ok());
  RC_ASSERT(r.shape() == (Dims{1, 3, x * s}));
}

RC_GTEST_PROP(OnnxShape, ValidOnnxCasesAreValid, ()) {
  GenOptions opts;
  opts.dtypes = {DType::kFloat32, DType::kFloat16};
  const ConvCase c = *rc::gen::oneOf(ValidOnnxCase(opts), EdgeOnnxCase(opts));
  const ShapeResult r = OutputShape(c);
  RC_CLASSIFY(c.auto_pad == AutoPad::kNotSet, "NOTSET");
  RC_CLASSIFY(c.output_shape.has_value(), "output_shape");
  RC_ASSERT(IsOnnxGeometry(c));
  if (!r.ok()) RC_FAIL(Repro(c) + " broke " + r.violation().message);
  for (size_t i = 2; i < r.shape().size(); ++i) RC_ASSERT(r.shape()[i] >= 1);
}

RC_GTEST_PROP(OnnxShape, InvalidOnnxCaseBreaksExactlyTheNamedRule, ()) {
  const InvalidCase ic = *InvalidOnnxCase(GenOptions{});
  const ShapeResult r = OutputShape(ic.c);
  RC_TAG(RuleName(ic.broken));
  RC_ASSERT(!r.ok());
  if (r.violation().rule != ic.broken) RC_FAIL(Repro(ic.c) + " broke " + RuleName(r.violation().rule) + ", not " + RuleName(ic.broken));
}

}  // namespace
}  // namespace convcheck
