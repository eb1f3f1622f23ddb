// PyTorch source text as a case: every argument form a user writes, one-line errors, and the
// round trip case -> module text -> case.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "case_io/py_call.h"
#include "case_io/pytorch_text.h"
#include "generators/conv_case_gen.h"
#include "tests/oracles/test_support.h"

namespace convcheck {
namespace {

ConvCase Parse(const std::string& text, Dims input) {
  const CaseParseResult r = ParsePyTorchCase(text, {input, std::nullopt});
  EXPECT_TRUE(r.ok()) << text << ": " << r.error;
  return r.ok() ? *r.value : ConvCase{};
}

std::string Error(const std::string& text, std::optional<Dims> input = Dims{1, 3, 8, 8}) {
  const CaseParseResult r = ParsePyTorchCase(text, {input, std::nullopt});
  EXPECT_FALSE(r.ok()) << text << " parsed as " << (r.ok() ? CaseToJsonLine(*r.value) : "");
  return r.error;
}

TEST(PyTorchText, TheIssueExampleIsTheCaseItsJsonGives) {
  const ConvCase c = Parse("nn.ConvTranspose2d(256, 128, 3, stride=2, padding=1)", {1, 256, 12, 12});
  EXPECT_EQ(c, testing::Case(R"({"op":"conv_transpose2d","input":[1,256,12,12],"out_channels":128,)"
                             R"("kernel":3,"stride":2,"padding":1})"));
}

TEST(PyTorchText, PositionalArgumentsFollowEachModulesOwnOrder) {
  // nn.Conv2d: ..., stride, padding, dilation, groups, bias; nn.ConvTranspose2d: ..., stride,
  // padding, output_padding, groups, bias, dilation.
  const ConvCase conv = Parse("torch.nn.Conv2d(4, 8, (3, 5), 2, 1, 2, 4, False, 'reflect')", {1, 4, 20, 20});
  EXPECT_EQ(conv.kernel, (Dims{3, 5}));
  EXPECT_EQ(conv.dilation, (Dims{2, 2}));
  EXPECT_EQ(conv.groups, 4);
  EXPECT_FALSE(conv.bias);
  EXPECT_EQ(conv.padding_mode, PaddingMode::kReflect);
  const ConvCase convt = Parse("ConvTranspose1d(4, 8, 3, 2, 1, 1, 2, True, 3)", {1, 4, 20});
  EXPECT_EQ(convt.output_padding, (Dims{1}));
  EXPECT_EQ(convt.groups, 2);
  EXPECT_EQ(convt.dilation, (Dims{3}));
}

TEST(PyTorchText, StringPaddingDeviceAndDtype) {
  const ConvCase c = Parse("nn.Conv3d(2, 2, kernel_size=[3, 3, 3], padding='same', device='cuda:1', "
                           "dtype=torch.bfloat16)", {2, 4, 4, 4});
  EXPECT_EQ(c.padding_kind, PaddingKind::kSame);
  EXPECT_EQ(c.device, Device::kCuda);
  EXPECT_EQ(c.dtype, DType::kBFloat16);
  EXPECT_EQ(Parse("nn.Conv1d(1, 1, 3, padding=\"valid\", dtype=torch.half)", {1, 1, 9}).dtype, DType::kFloat16);
}

TEST(PyTorchText, AssignmentsCommentsAndLineBreaksAreAccepted) {
  const ConvCase c = Parse("self.up = nn.ConvTranspose2d(\n  64, 32,  # halve the channels\n  kernel_size=2,\n"
                           "  stride=2,\n)", {1, 64, 8, 8});
  EXPECT_EQ(c.stride, (Dims{2, 2}));
}

TEST(PyTorchText, InChannelsThatDisagreeWithTheInputBecomeTheWeightShape) {
  const ConvCase c = Parse("nn.Conv2d(16, 8, 3)", {1, 3, 8, 8});
  ASSERT_TRUE(c.weight_shape.has_value());
  EXPECT_EQ(*c.weight_shape, (Dims{8, 16, 3, 3}));
  EXPECT_FALSE(OutputShape(c).ok());
}

TEST(PyTorchText, FunctionalCallsTakeTheWeightShape) {
  const ConvCase c = Parse("F.conv_transpose2d(x, torch.empty(8, 2, 3, 3), None, stride=2, groups=4)", {1, 8, 5, 5});
  EXPECT_EQ(c.op, Op::kConvTranspose2d);
  EXPECT_EQ(c.out_channels, 8);
  EXPECT_FALSE(c.bias);
  EXPECT_FALSE(c.weight_shape.has_value());
  const ConvCase d = Parse("torch.nn.functional.conv1d(torch.randn((1, 3, 10)), torch.randn(6, 3, 4), b)", {});
  EXPECT_EQ(d.input, (Dims{1, 3, 10}));
  EXPECT_EQ(d.kernel, (Dims{4}));
  EXPECT_TRUE(d.bias);
  const CaseParseResult w = ParsePyTorchCase("F.conv2d(x, w)", {Dims{1, 3, 8, 8}, Dims{4, 3, 1, 1}});
  ASSERT_TRUE(w.ok()) << w.error;
  EXPECT_EQ(w.value->out_channels, 4);
}

TEST(PyTorchText, PoolFlattenAndLinearModulesAreCasesOnTheGivenInput) {
  const ConvCase pool = Parse("nn.MaxPool2d(2, stride=2)", {1, 3, 25, 25});
  EXPECT_EQ(pool.op, Op::kMaxPool2d);
  EXPECT_EQ(pool.input, (Dims{1, 3, 25, 25}));
  EXPECT_EQ(pool.kernel, (Dims{2, 2}));
  EXPECT_EQ(pool.stride, (Dims{2, 2}));
  const ConvCase avg = Parse("torch.nn.AvgPool1d(3, padding=1, count_include_pad=False)", {2, 4, 9});
  EXPECT_EQ(avg.op, Op::kAvgPool1d);
  EXPECT_FALSE(avg.count_include_pad);
  EXPECT_EQ(Parse("nn.AdaptiveAvgPool2d((1, 1))", {1, 8, 7, 7}).output_size, (Dims{1, 1}));
  const ConvCase linear = Parse("nn.Linear(18432, 128)", {4, 18432});
  EXPECT_EQ(linear.op, Op::kLinear);
  EXPECT_EQ(linear.in_features.value_or(-1), 18432);
  EXPECT_EQ(linear.out_features, 128);
  EXPECT_EQ(Parse("nn.Flatten(2)", {1, 3, 4, 4}).start_dim, 2);
}

TEST(PyTorchText, ErrorsAreOneLineAndNameTheArgument) {
  EXPECT_EQ(Error("nn.Conv2d(3, 8)"), "nn.Conv2d: kernel_size: required");
  EXPECT_EQ(Error("nn.Conv2d(3, 8, (3, 3, 3))"), "nn.Conv2d: kernel_size: expected 1 or 2 values, got 3");
  EXPECT_EQ(Error("nn.Conv2d(3, 8, 3, strides=2)").rfind("nn.Conv2d: strides: unknown argument", 0), 0u);
  EXPECT_EQ(Error("nn.Conv2d(3, 8, k)").rfind("nn.Conv2d: kernel_size: 'k' is a Python name", 0), 0u);
  EXPECT_EQ(Error("nn.Conv2d(3, 8, 3, kernel_size=3)"), "nn.Conv2d: kernel_size: given twice (positionally and by keyword)");
  EXPECT_EQ(Error("nn.LSTM(3, 8)").rfind("nn.LSTM: not a convolution, pool, up-sampler, nn.Flatten or nn.Linear", 0), 0u);
  EXPECT_EQ(Parse("nn.Upsample(scale_factor=2)", {1, 3, 4, 4}).op, Op::kUpsample2d);
  EXPECT_EQ(Error("nn.MaxPool2d(2)", std::nullopt).rfind("nn.MaxPool2d: the input shape is not in the text", 0), 0u);
  EXPECT_EQ(Error("nn.MaxPool2d(2, strides=2)"), "nn.MaxPool2d: strides: unknown argument");
  EXPECT_EQ(Error("nn.Conv2d(3, 8, 3", Dims{1, 3, 8, 8}), "line 1, column 18: expected ')' or ',', got the end");
  EXPECT_EQ(Error("nn.Conv2d(3, 8, 3)", std::nullopt).rfind("nn.Conv2d: the input shape is not in the text", 0), 0u);
  EXPECT_EQ(Error("nn.ConvTranspose2d(3, 8, 3, padding='same')"),
            "nn.ConvTranspose2d: padding: \"same\" is only defined for convolutions, not conv_transpose2d");
  EXPECT_EQ(Error("nn.Conv2d(3, 8, 3, dtype=torch.int8)").rfind("nn.Conv2d: dtype: unknown value \"int8\"", 0), 0u);
  EXPECT_NE(Error("nn.Conv2d(3, 8, 99999999999999999999)").find("integer outside int64"), std::string::npos);
  EXPECT_NE(Error(std::string(100, '(') + "1" + std::string(100, ')')).find("nesting deeper than 32"), std::string::npos);
}

TEST(PyTorchText, StacksComeAsSequentialListsOrLines) {
  const StackParseResult seq = ParsePyTorchStack(
      "nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(), nn.BatchNorm2d(16),\n"
      "              nn.ConvTranspose2d(16, 3, 3, stride=2, padding=1, output_padding=1))");
  ASSERT_TRUE(seq.ok()) << seq.error;
  ASSERT_EQ(seq.value->size(), 2u);
  EXPECT_EQ((*seq.value)[1].layer.op, Op::kConvTranspose2d);
  const StackParseResult lines = ParsePyTorchStack(
      "self.down = nn.Conv1d(1, 4, 4, stride=2)\nself.up = nn.ConvTranspose1d(4, 1, 4, stride=2)\n");
  ASSERT_TRUE(lines.ok()) << lines.error;
  EXPECT_EQ((*lines.value)[0].name, "down");
  const StackRun run = RunStack(*lines.value, {1, 1, 16});
  EXPECT_TRUE(run.RoundTrips());
  // The second layer expects 8 channels but gets 4: the stack says so, as PyTorch would.
  const StackParseResult bad = ParsePyTorchStack("[nn.Conv1d(1, 4, 3), nn.Conv1d(8, 4, 3)]");
  ASSERT_TRUE(bad.ok()) << bad.error;
  EXPECT_EQ(RunStack(*bad.value, {1, 1, 16}).failed_layer, 1);
  // Pools, Flatten and Linear are layers of a stack; a module convcheck has no rule for is refused.
  const StackParseResult pooled = ParsePyTorchStack("[nn.Conv1d(1, 4, 3), nn.MaxPool1d(2)]");
  ASSERT_TRUE(pooled.ok()) << pooled.error;
  EXPECT_EQ(RunStack(*pooled.value, {1, 1, 16}).shapes.back(), (Dims{1, 4, 7}));
  // nn.Upsample is a layer now (it takes the stack's rank); nn.PixelShuffle has no rule.
  const StackParseResult upsampled = ParsePyTorchStack("[nn.Conv1d(1, 4, 3), nn.Upsample(scale_factor=2)]");
  ASSERT_TRUE(upsampled.ok()) << upsampled.error;
  EXPECT_EQ(RunStack(*upsampled.value, {1, 1, 16}).shapes.back(), (Dims{1, 4, 28}));
  EXPECT_EQ(ParsePyTorchStack("[nn.Conv1d(1, 4, 3), nn.PixelShuffle(2)]").error.rfind("layer 2 (line 1): nn.PixelShuffle: not a convolution", 0), 0u);
}

TEST(PyTorchText, LooksLikePyTorchTellsTextFromJsonAndPaths) {
  EXPECT_TRUE(LooksLikePyTorch("nn.Conv2d(3, 8, 3)"));
  EXPECT_TRUE(LooksLikePyTorch(" [nn.Conv2d(3, 8, 3)]"));
  EXPECT_FALSE(LooksLikePyTorch("{\"op\": \"conv2d\"}"));
  EXPECT_FALSE(LooksLikePyTorch("[{\"op\": \"conv2d\"}]"));
  EXPECT_FALSE(LooksLikePyTorch("examples/unet.json"));
}

TEST(PyTorchText, ModuleTextLeavesDefaultsOut) {
  const ConvCase c = testing::Case(R"({"op":"conv_transpose2d","input":[1,256,12,12],"out_channels":128,)"
                                   R"("kernel":3,"stride":2,"padding":1,"output_padding":[1,0]})");
  EXPECT_EQ(PyTorchModule(c), "nn.ConvTranspose2d(256, 128, kernel_size=3, stride=2, padding=1, output_padding=(1, 0))");
  EXPECT_EQ(PyTorchModule(testing::Case(R"({"op":"conv1d","input":[1,1,768],"out_channels":1,"kernel":6,"stride":6})"), "C", "C"),
            "nn.Conv1d(C, C, kernel_size=6, stride=6)");
}

rc::Gen<ConvCase> AnyDeviceAndDType(rc::Gen<ConvCase> cases) {
  return rc::gen::map(rc::gen::tuple(cases, rc::gen::element(Device::kCpu, Device::kCuda),
                                     rc::gen::element(DType::kFloat32, DType::kFloat64, DType::kBFloat16, DType::kFloat16)),
                      [](std::tuple<ConvCase, Device, DType> t) {
                        ConvCase c = std::get<0>(t);
                        c.device = std::get<1>(t);
                        c.dtype = std::get<2>(t);
                        // Neither has a constructor argument: they belong to the tensor, not the module.
                        c.layout = Layout::kContiguous;
                        c.seed.reset();
                        return c;
                      });
}

RC_GTEST_PROP(PyTorchText, ModuleTextParsesBackToTheSameCase, ()) {
  const ConvCase c = *AnyDeviceAndDType(rc::gen::oneOf(ValidConvCase(), EdgeConvCase(), ExtremeConvCase()));
  RC_PRE(!c.weight_shape.has_value());
  RC_TAG(OpName(c.op));
  const std::string text = PyTorchModule(c);
  const CaseParseResult back = ParsePyTorchCase(text, {c.input, std::nullopt});
  RC_ASSERT(back.ok());
  RC_ASSERT(*back.value == c);
}

}  // namespace
}  // namespace convcheck
