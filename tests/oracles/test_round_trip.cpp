// RoundTripPadding: examples, the blocked cases, and the law that the oracle's output_padding
// is the unique one in PyTorch's range that restores the input.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "case_io/case_json.h"
#include "oracles/output_shape.h"
#include "oracles/round_trip.h"

namespace convcheck {
namespace {

ConvCase Autoencoder(int64_t h, int64_t w) {
  ConvCase c = DefaultCase(Op::kConv2d, {1, 128, h, w}, 256);
  c.kernel = {3, 3};
  c.stride = {2, 2};
  c.padding = {1, 1};
  return c;
}

TEST(RoundTripPadding, DocumentationAutoencoderNeedsOneForEvenInputs) {
  const RoundTripResult r = RoundTripPadding(Autoencoder(24, 23));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.dims[0].conv_output, 12);
  EXPECT_EQ(r.dims[0].transpose_output, 23);
  EXPECT_EQ(r.OutputPadding(), (Dims{1, 0}));
  EXPECT_EQ(RoundTripFixSentence(Autoencoder(24, 24), 0), "output_padding 1 when H is even, 0 when H is odd");
}

TEST(RoundTripPadding, InverseCaseRestoresTheInputShape) {
  const ConvCase c = Autoencoder(24, 24);
  const RoundTripResult r = RoundTripPadding(c);
  const ShapeResult back = OutputShape(InverseCase(c, {1, 256, 12, 12}, r.OutputPadding()));
  ASSERT_TRUE(back.ok()) << back.violation().message;
  EXPECT_EQ(back.shape(), c.input);
}

TEST(RoundTripPadding, NamesWhyNoneExists) {
  ConvCase t = Autoencoder(24, 24);
  t.op = Op::kConvTranspose2d;
  EXPECT_EQ(RoundTripPadding(t).block, RoundTripBlock::kNotAConvolution);
  ConvCase big = Autoencoder(2, 2);
  big.kernel = {7, 7};
  const RoundTripResult r = RoundTripPadding(big);
  EXPECT_EQ(r.block, RoundTripBlock::kInvalidConv);
  EXPECT_EQ(r.violation->rule, Rule::kKernelExceedsInput);
  // "same" with an odd total d(k−1) = 1 and stride 1: the missing element needs
  // output_padding 1, which stride 1 and dilation 1 forbid.
  ConvCase same = DefaultCase(Op::kConv1d, {1, 2, 10}, 2);
  same.kernel = {2};
  same.padding_kind = PaddingKind::kSame;
  EXPECT_EQ(RoundTripPadding(same).block, RoundTripBlock::kOutputPaddingTooLarge);
  same.dilation = {3};  // total 3, odd, but dilation 3 allows output_padding 1
  EXPECT_TRUE(RoundTripPadding(same).ok());
}

struct Dim1 {
  int64_t x, k, s, p, d;
};

ConvCase Conv1d(const Dim1& v) {
  ConvCase c = DefaultCase(Op::kConv1d, {1, 2, v.x}, 3);
  c.kernel = {v.k};
  c.stride = {v.s};
  c.padding = {v.p};
  c.dilation = {v.d};
  return c;
}

RC_GTEST_PROP(RoundTripPadding, OracleOutputPaddingIsTheUniqueRestoringOne, ()) {
  const Dim1 v{*rc::gen::inRange<int64_t>(1, 80), *rc::gen::inRange<int64_t>(1, 8), *rc::gen::inRange<int64_t>(1, 6),
               *rc::gen::inRange<int64_t>(0, 4), *rc::gen::inRange<int64_t>(1, 4)};
  const ConvCase c = Conv1d(v);
  const ShapeResult y = OutputShape(c);
  RC_PRE(y.ok());
  const RoundTripResult r = RoundTripPadding(c);
  RC_ASSERT(r.ok());
  std::vector<int64_t> restoring;
  for (int64_t op = 0; op < std::max(v.s, v.d); ++op) {
    const ShapeResult back = OutputShape(InverseCase(c, y.shape(), {op}));
    if (back.ok() && back.shape() == c.input) restoring.push_back(op);
    if (op == 0 && back.ok()) {
      RC_ASSERT(back.shape().back() == r.dims[0].transpose_output);
    }
  }
  if (restoring != std::vector<int64_t>{r.dims[0].output_padding}) {
    RC_FAIL("case " + CaseToJsonLine(c) + ": oracle output_padding " + std::to_string(r.dims[0].output_padding) +
            ", brute force found " + std::to_string(restoring.size()) + " restoring values");
  }
}

RC_GTEST_PROP(RoundTripPadding, FixSentenceMatchesEveryInputSize, ()) {
  const Dim1 v{1, *rc::gen::inRange<int64_t>(1, 6), *rc::gen::inRange<int64_t>(2, 4), *rc::gen::inRange<int64_t>(0, 3), 1};
  Dim1 w = v;
  std::string sentence;
  for (int64_t x = 1; x <= 40; ++x) {
    w.x = x;
    const RoundTripResult r = RoundTripPadding(Conv1d(w));
    if (!r.ok()) continue;
    if (sentence.empty()) sentence = RoundTripFixSentence(Conv1d(w), 0);
    RC_ASSERT(RoundTripFixSentence(Conv1d(w), 0) == sentence);  // depends on the parameters only
    const std::string parity = x % 2 == 0 ? "even" : "odd";
    if (v.s == 2 && sentence.find(" when L is ") != std::string::npos) {
      const std::string expect = std::to_string(r.dims[0].output_padding) + " when L is " + parity;
      RC_ASSERT(sentence.find(expect) != std::string::npos);
    }
  }
}

}  // namespace
}  // namespace convcheck
