// The documentation's worked examples (questions users actually asked), through the oracle.
#include "tests/oracles/test_support.h"

namespace convcheck {
namespace {

using testing::Case;
using testing::Repro;

void ExpectShape(const std::string& json, const Dims& expected) {
  const ConvCase c = Case(json);
  const ShapeResult r = OutputShape(c);
  ASSERT_TRUE(r.ok()) << Repro(c) << " rejected: " << r.violation().message;
  EXPECT_EQ(r.shape(), expected) << Repro(c);
}

TEST(WorkedExamples, StridedConvHalves24To12) {
  ExpectShape(R"({"op":"conv2d","input":[1,128,24,24],"out_channels":256,"kernel":3,"stride":2,"padding":1})",
              {1, 256, 12, 12});
}

TEST(WorkedExamples, TransposeWithoutOutputPaddingGives23) {
  ExpectShape(R"({"op":"conv_transpose2d","input":[1,256,12,12],"out_channels":128,"kernel":3,"stride":2,"padding":1})",
              {1, 128, 23, 23});
}

TEST(WorkedExamples, OutputPaddingOneRestores24) {
  ExpectShape(R"({"op":"conv_transpose2d","input":[1,256,12,12],"out_channels":128,"kernel":3,"stride":2,"padding":1,"output_padding":1})",
              {1, 128, 24, 24});
}

TEST(WorkedExamples, OddInput25RoundTripsWithoutOutputPadding) {
  ExpectShape(R"({"op":"conv2d","input":[1,128,25,25],"out_channels":256,"kernel":3,"stride":2,"padding":1})",
              {1, 256, 13, 13});
  ExpectShape(R"({"op":"conv_transpose2d","input":[1,256,13,13],"out_channels":128,"kernel":3,"stride":2,"padding":1})",
              {1, 128, 25, 25});
}

TEST(WorkedExamples, OneWideStride2Loses100Keeps101) {
  ExpectShape(R"({"op":"conv1d","input":[1,1,100],"out_channels":1,"kernel":1,"stride":2})", {1, 1, 50});
  ExpectShape(R"({"op":"conv_transpose1d","input":[1,1,50],"out_channels":1,"kernel":1,"stride":2})", {1, 1, 99});
  ExpectShape(R"({"op":"conv1d","input":[1,1,101],"out_channels":1,"kernel":1,"stride":2})", {1, 1, 51});
  ExpectShape(R"({"op":"conv_transpose1d","input":[1,1,51],"out_channels":1,"kernel":1,"stride":2})", {1, 1, 101});
}

TEST(WorkedExamples, FloorOf3Point5Is3) {
  ExpectShape(R"({"op":"conv2d","input":[4,3,6,6],"out_channels":6,"kernel":3,"stride":2,"padding":1,"bias":false})",
              {4, 6, 3, 3});
}

TEST(WorkedExamples, Padding2Keeps32WithoutItGives28) {
  ExpectShape(R"({"op":"conv2d","input":[1,3,32,32],"out_channels":192,"kernel":5,"stride":1,"padding":2})",
              {1, 192, 32, 32});
  ExpectShape(R"({"op":"conv2d","input":[1,3,32,32],"out_channels":192,"kernel":5})", {1, 192, 28, 28});
}

TEST(WorkedExamples, Project768To128WithKernelEqualsStride6) {
  ExpectShape(R"({"op":"conv1d","input":[197,1,768],"out_channels":1,"kernel":6,"stride":6})", {197, 1, 128});
  ExpectShape(R"({"op":"conv2d","input":[1,197,1,768],"out_channels":197,"kernel":[1,6],"stride":6})",
              {1, 197, 1, 128});
}

TEST(WorkedExamples, UnbatchedInputGivesUnbatchedOutput) {
  ExpectShape(R"({"op":"conv2d","input":[3,32,32],"out_channels":8,"kernel":3,"padding":1})", {8, 32, 32});
}

TEST(WorkedExamples, SamePaddingKeepsSizeWithEvenKernel) {
  ExpectShape(R"({"op":"conv1d","input":[1,2,10],"out_channels":2,"kernel":4,"padding":"same","dilation":3})",
              {1, 2, 10});
}

}  // namespace
}  // namespace convcheck
