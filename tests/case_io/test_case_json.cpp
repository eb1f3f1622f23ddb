// The case format: broadcasting, defaults, round trips, and one clear message per bad input.
#include "tests/oracles/test_support.h"

#include <nlohmann/json.hpp>

namespace convcheck {
namespace {

TEST(CaseJson, ScalarsBroadcastToEverySpatialDim) {
  const ConvCase c = testing::Case(R"({"op":"conv3d","input":[1,1,4,4,4],"out_channels":1,"kernel":3,"stride":2})");
  EXPECT_EQ(c.kernel, (Dims{3, 3, 3}));
  EXPECT_EQ(c.stride, (Dims{2, 2, 2}));
  EXPECT_EQ(c.padding, (Dims{0, 0, 0}));
  EXPECT_EQ(c.dilation, (Dims{1, 1, 1}));
  EXPECT_EQ(c.groups, 1);
  EXPECT_TRUE(c.bias);
}

TEST(CaseJson, PrintThenParseIsIdentity) {
  const ConvCase c = testing::Case(
      R"({"op":"conv_transpose2d","input":[1,256,12,12],"out_channels":128,"kernel":[3,2],"stride":2,)"
      R"("padding":1,"output_padding":[1,0],"dilation":1,"groups":2,"bias":false,"dtype":"bfloat16",)"
      R"("device":"cuda","layout":"channels_last","weight_shape":[256,64,3,2],"seed":42})");
  const CaseParseResult again = ParseCaseText(CaseToJsonLine(c));
  ASSERT_TRUE(again.ok()) << again.error;
  EXPECT_EQ(*again.value, c) << CaseToJsonLine(c);
}

TEST(CaseJson, SameAndValidPaddingStrings) {
  EXPECT_EQ(testing::Case(R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":3,"padding":"same"})").padding_kind,
            PaddingKind::kSame);
  EXPECT_EQ(testing::Case(R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":3,"padding":"valid"})").padding_kind,
            PaddingKind::kValid);
}

TEST(CaseJson, Int64MaxIsLegalInput) {
  const ConvCase c = testing::Case(R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":1,"stride":9223372036854775807})");
  EXPECT_EQ(c.stride[0], INT64_MAX);
}

// ONNX geometry is three optional keys: present only in a case that gives auto_pad, so every
// existing case keeps its line and its hash (case_io/case_hash.h).
TEST(CaseJson, OnnxGeometryRoundTripsAndLeavesOtherCasesAlone) {
  const ConvCase onnx = testing::Case(
      R"({"op":"conv_transpose2d","input":[1,1,3,3],"out_channels":2,"kernel":3,"stride":[3,2],)"
      R"("auto_pad":"SAME_LOWER","padding_end":[0,1],"output_shape":[10,8]})");
  ASSERT_TRUE(onnx.auto_pad.has_value());
  EXPECT_EQ(*onnx.auto_pad, AutoPad::kSameLower);
  EXPECT_EQ(onnx.padding_end, (Dims{0, 1}));
  EXPECT_EQ(onnx.output_shape, (Dims{10, 8}));
  const CaseParseResult again = ParseCaseText(CaseToJsonLine(onnx));
  ASSERT_TRUE(again.ok()) << again.error;
  EXPECT_EQ(*again.value, onnx);
  const std::string plain = R"({"op": "conv2d", "input": [1,3,8,8], "out_channels": 4, "kernel": 3, "stride": 1, )"
                            R"("padding": 1, "dilation": 1, "groups": 1, "bias": true, "padding_mode": "zeros", )"
                            R"("dtype": "float32", "device": "cpu"})";
  EXPECT_EQ(CaseToJsonLine(testing::Case(plain)), plain);
}

struct BadInput {
  const char* json;
  const char* message;  // the whole error line
};

class CaseJsonErrors : public ::testing::TestWithParam<BadInput> {};

TEST_P(CaseJsonErrors, NameTheKeyAndNeverThrow) {
  const CaseParseResult r = ParseCaseText(GetParam().json);
  ASSERT_FALSE(r.ok()) << GetParam().json << " was accepted";
  EXPECT_EQ(r.error, GetParam().message) << GetParam().json;
}

INSTANTIATE_TEST_SUITE_P(
    Examples, CaseJsonErrors,
    ::testing::Values(
        BadInput{R"({"op":"conv2d","input":[1,1,4,4],"out_channels":1,"kernel":3,"strid":2})", "strid: unknown key"},
        BadInput{R"({"op":"conv4d","input":[1,1,4],"out_channels":1,"kernel":1})",
                 "op: unknown value \"conv4d\", expected one of conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d"},
        BadInput{R"({"op":"conv2d","input":[1,1,4,4],"out_channels":1,"kernel":[3,3,3]})", "kernel: expected 1 or 2 values, got 3"},
        BadInput{R"({"op":"conv2d","input":[1,1,4,4],"out_channels":-2,"kernel":3})", "out_channels: must not be negative, got -2"},
        BadInput{R"({"op":"conv2d","input":[1,-1,4,4],"out_channels":1,"kernel":3})", "input: must not be negative, got -1"},
        BadInput{R"({"op":"conv2d","input":[1,1,4,4],"out_channels":1,"kernel":2.5})", "kernel: expected an integer, got 2.5"},
        BadInput{R"({"op":"conv2d","input":[1,1,4,4],"out_channels":1,"kernel":"3"})", "kernel: expected an integer, got string"},
        BadInput{R"({"op":"conv2d","input":[1,1,4,4],"out_channels":1,"kernel":3,"stride":9223372036854775808})",
                 "stride: value 9223372036854775808 is outside int64"},
        BadInput{R"({"op":"conv2d","input":[1,1,4,4],"out_channels":1})", "kernel: required key is missing"},
        BadInput{R"({"op":"conv_transpose2d","input":[1,1,4,4],"out_channels":1,"kernel":3,"padding":"same"})",
                 "padding: \"same\" is only defined for convolutions, not conv_transpose2d"},
        BadInput{R"({"op":"conv2d","input":[1,1,4,4],"out_channels":1,"kernel":3,"output_padding":1})",
                 "output_padding: only transposed ops take output_padding, not conv2d"},
        BadInput{R"({"op":"conv2d","input":[1,1,4,4],"out_channels":1,"kernel":3,"padding_mode":"mirror"})",
                 "padding_mode: unknown value \"mirror\", expected one of zeros, reflect, replicate, circular"},
        BadInput{R"({"op":"conv2d","input":[],"out_channels":1,"kernel":3})", "input: expected 1 to 8 entries, got 0"},
        BadInput{R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":3,"padding_end":1})",
                 "padding_end: is ONNX geometry: give auto_pad too (\"NOTSET\" for explicit pads)"},
        BadInput{R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":3,"auto_pad":"SAME"})",
                 "auto_pad: unknown value \"SAME\", expected one of NOTSET, SAME_UPPER, SAME_LOWER, VALID"},
        BadInput{R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":3,"auto_pad":"VALID","padding":"same"})",
                 "padding: PyTorch's \"same\"/\"valid\" do not mix with auto_pad; give pads as integers"},
        BadInput{R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":3,"auto_pad":"NOTSET","output_shape":4})",
                 "output_shape: only transposed ops take output_shape, not conv1d"},
        BadInput{R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":3,"auto_pad":"NOTSET","padding_mode":"reflect"})",
                 "padding_mode: ONNX Conv pads with zeros only"},
        BadInput{R"([1,2,3])", "case: expected a JSON object, got array"},
        BadInput{R"({"op":"conv2d",)", "case: not valid JSON at byte 16"}));

}  // namespace
}  // namespace convcheck
