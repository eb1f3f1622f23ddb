// The case stream: the same (seed, index) gives the same case, and every stream starts with the
// documentation's worked examples, once per dtype, before the random mix.
#include <gtest/gtest.h>

#include "case_io/case_json.h"
#include "generators/case_stream.h"

namespace convcheck {
namespace {

TEST(CaseStream, StartsWithEveryWorkedExampleOncePerDType) {
  StreamOptions so;
  so.gen.dtypes = {DType::kFloat32, DType::kBFloat16};
  const CaseStream stream(3, so);
  const std::vector<ConvCase> examples = WorkedExamples();
  ASSERT_EQ(WorkedExampleCases(so.gen).size(), 2 * examples.size());
  size_t i = 0;
  for (const ConvCase& e : examples) {
    for (DType t : so.gen.dtypes) {
      ConvCase want = e;
      want.dtype = t;
      EXPECT_EQ(stream.At(i).value(), want) << "index " << i << ": " << CaseToJsonLine(stream.At(i).value());
      ++i;
    }
  }
}

TEST(CaseStream, TheRandomMixDrawsNoWorkedExampleAgain) {
  const CaseStream stream(1, StreamOptions{});
  const std::vector<ConvCase> fixed = WorkedExampleCases(GenOptions{});
  for (uint64_t i = fixed.size(); i < fixed.size() + 3000; ++i) {
    const ConvCase c = stream.At(i).value();
    for (const ConvCase& e : fixed) ASSERT_NE(c, e) << "index " << i;
  }
}

TEST(CaseStream, OnlyTheSelectedOpsExamplesAreListed) {
  StreamOptions so;
  so.gen.ops = {Op::kConv1d};
  for (const ConvCase& c : WorkedExampleCases(so.gen)) EXPECT_EQ(c.op, Op::kConv1d);
  EXPECT_FALSE(WorkedExampleCases(so.gen).empty());
  EXPECT_EQ(CaseStream(5, so).At(0).value().op, Op::kConv1d);
}

// ONNX geometry is drawn only for a backend that can run it, so a LibTorch run stays free of skips.
TEST(CaseStream, DrawsOnnxGeometryOnlyWhenAsked) {
  StreamOptions onnx;
  onnx.gen.onnx_geometry = true;
  const CaseStream plain(1, StreamOptions{}), with(1, onnx);
  int drawn = 0;
  for (uint64_t i = 0; i < 2000; ++i) {
    ASSERT_FALSE(IsOnnxGeometry(plain.At(i).value())) << CaseToJsonLine(plain.At(i).value());
    drawn += IsOnnxGeometry(with.At(i).value()) ? 1 : 0;
  }
  // Two conv cases in five, and conv cases are nine in ten of the stream: about 720.
  EXPECT_GT(drawn, 500);
  EXPECT_LT(drawn, 950);
}

TEST(CaseStream, SameSeedAndIndexGiveTheSameCase) {
  const CaseStream a(9, StreamOptions{}), b(9, StreamOptions{});
  for (uint64_t i = 0; i < 200; i += 7) EXPECT_EQ(a.At(i).value(), b.At(i).value()) << i;
}

}  // namespace
}  // namespace convcheck
