// Laws of the shape oracle, checked with RapidCheck over generated valid cases.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "generators/conv_case_gen.h"
#include "tests/oracles/test_support.h"

namespace convcheck {
namespace {

GenOptions ConvOnly() {
  GenOptions o;
  o.ops = {Op::kConv1d, Op::kConv2d, Op::kConv3d};
  return o;
}

RC_GTEST_PROP(OracleLaws, ValidCasesHaveAShapeOfTheInputsRank, ()) {
  const ConvCase c = *ValidConvCase();
  const ShapeResult r = OutputShape(c);
  RC_ASSERT(r.ok());
  RC_ASSERT(r.shape().size() == c.input.size());
  for (int64_t d : r.shape()) RC_ASSERT(d >= 0);
}

RC_GTEST_PROP(OracleLaws, ConvOutputIsNonDecreasingInInputSize, ()) {
  const ConvCase c = *ValidConvCase(ConvOnly());
  const auto dim = *rc::gen::inRange<size_t>(0, static_cast<size_t>(SpatialRank(c.op)));
  const auto grow = *rc::gen::inRange<int64_t>(1, 20);
  ConvCase bigger = c;
  bigger.input[c.input.size() - SpatialRank(c.op) + dim] += grow;
  RC_CLASSIFY(c.stride[dim] > 1, "strided");
  const ShapeResult a = OutputShape(c), b = OutputShape(bigger);
  RC_ASSERT(a.ok());
  RC_ASSERT(b.ok());
  const size_t at = a.shape().size() - SpatialRank(c.op) + dim;
  RC_ASSERT(b.shape()[at] >= a.shape()[at]);
}

// For stride s and output_padding 0, convT(conv(x)) lands within s-1 below x.
RC_GTEST_PROP(OracleLaws, ConvTransposeOfConvIsWithinStrideMinusOneBelowInput, ()) {
  ConvCase c = *ValidConvCase(ConvOnly());
  c.padding_mode = PaddingMode::kZeros;
  c.padding_kind = PaddingKind::kExplicit;
  c.padding = Dims(c.padding.size(), 0);
  c.groups = 1;
  c.input[IsBatched(c) ? 1 : 0] = 1;
  c.out_channels = 1;
  const ShapeResult down = OutputShape(c);
  RC_PRE(down.ok());
  ConvCase back = DefaultCase(Transposed(c.op), down.shape(), 1);
  back.kernel = c.kernel;
  back.stride = c.stride;
  back.dilation = c.dilation;
  const ShapeResult up = OutputShape(back);
  RC_ASSERT(up.ok());
  const Dims x = SpatialInput(c);
  for (size_t i = 0; i < x.size(); ++i) {
    const int64_t y = up.shape()[up.shape().size() - x.size() + i];
    RC_CLASSIFY(y == x[i], "restored exactly");
    RC_ASSERT(y <= x[i]);
    RC_ASSERT(y >= x[i] - (c.stride[i] - 1));
  }
}

RC_GTEST_PROP(OracleLaws, CaseJsonRoundTripsEveryGeneratedCase, ()) {
  const ConvCase c = *MixedConvCase();
  const CaseParseResult again = ParseCaseText(CaseToJsonLine(c));
  RC_ASSERT(again.ok());
  RC_ASSERT(*again.value == c);
}

}  // namespace
}  // namespace convcheck
