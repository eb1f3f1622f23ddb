// The generators keep their contracts: valid cases are valid, invalid cases break exactly the
// rule they name, and coverage reaches the edges (RC_CLASSIFY shows the mix in the output).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "generators/conv_case_gen.h"
#include "case_io/case_json.h"
#include "oracles/output_shape.h"

namespace convcheck {
namespace {

RC_GTEST_PROP(Generators, ValidConvCaseIsValid, ()) {
  GenOptions opts;
  opts.dtypes = {DType::kFloat32, DType::kBFloat16};
  opts.layouts = true;
  const ConvCase c = *ValidConvCase(opts);
  RC_CLASSIFY(c.groups > 1, "groups>1");
  RC_CLASSIFY(c.dilation[0] > 1, "dilation>1");
  RC_CLASSIFY(IsTransposed(c.op), "transposed");
  RC_CLASSIFY(!IsBatched(c), "unbatched");
  RC_CLASSIFY(SpatialInput(c)[0] % 2 == 0, "even input");
  RC_CLASSIFY(c.padding_mode != PaddingMode::kZeros, "padding mode");
  const ShapeResult r = OutputShape(c);
  if (!r.ok()) RC_LOG() << CaseToJsonLine(c) << " -> " << r.violation().message;
  RC_ASSERT(r.ok());
}

RC_GTEST_PROP(Generators, EdgeConvCaseIsValid, ()) {
  const ConvCase c = *EdgeConvCase();
  const ShapeResult r = OutputShape(c);
  RC_LOG() << CaseToJsonLine(c);
  RC_ASSERT(r.ok());
}

RC_GTEST_PROP(Generators, InvalidConvCaseBreaksExactlyTheNamedRule, ()) {
  const InvalidCase ic = *InvalidConvCase();
  RC_TAG(RuleName(ic.broken));
  const ShapeResult r = OutputShape(ic.c);
  RC_LOG() << CaseToJsonLine(ic.c) << " should break " << RuleName(ic.broken);
  RC_ASSERT(!r.ok());
  RC_LOG() << " oracle said " << RuleName(r.violation().rule) << ": " << r.violation().message;
  RC_ASSERT(r.violation().rule == ic.broken);
}

RC_GTEST_PROP(Generators, ExtremeCasesNeverCrashTheOracleOrTheCodec, ()) {
  const ConvCase c = *ExtremeConvCase();
  const ShapeResult r = OutputShape(c);
  RC_CLASSIFY(r.ok(), "oracle accepts");
  RC_CLASSIFY(!r.ok() && r.violation().rule == Rule::kOverflow, "overflow");
  const CaseParseResult again = ParseCaseText(CaseToJsonLine(c));
  RC_ASSERT(again.ok());
  RC_ASSERT(*again.value == c);
}

TEST(Generators, WorkedExamplesAreAllValid) {
  for (const ConvCase& c : WorkedExamples()) {
    EXPECT_TRUE(OutputShape(c).ok()) << CaseToJsonLine(c);
  }
}

}  // namespace
}  // namespace convcheck
