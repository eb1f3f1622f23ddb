// The up-sampler generators keep their contracts: valid and edge cases are valid (and survive
// the codec), invalid cases break exactly the rule they name, and the default stream draws
// max_unpool and upsample among the other layers.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <set>

#include "case_io/case_json.h"
#include "generator_support.h"
#include "generators/case_stream.h"
#include "generators/pool_case_gen.h"
#include "oracles/layer_ops.h"
#include "oracles/output_shape.h"

namespace convcheck {
namespace {

GenOptions UpsamplerOptions() {
  GenOptions opts;
  opts.ops = UpsamplerOps();
  opts.dtypes = {DType::kFloat32, DType::kFloat64};
  return opts;
}

void AssertValid(const ConvCase& c) { testing::AssertValidCase(c); }

RC_GTEST_PROP(UpsamplerGenerators, ValidCasesAreValid, ()) {
  const ConvCase c = *ValidPoolCase(UpsamplerOptions());
  RC_ASSERT(IsUpsampler(c.op));
  RC_CLASSIFY(!c.output_size.empty(), "output_size/size given");
  RC_CLASSIFY(c.upsample_mode != UpsampleMode::kNearest, "linear mode");
  AssertValid(c);
}

RC_GTEST_PROP(UpsamplerGenerators, EdgeCasesAreValid, ()) {
  const ConvCase c = *EdgePoolCase(UpsamplerOptions());
  RC_TAG(OpName(c.op));
  AssertValid(c);
}

RC_GTEST_PROP(UpsamplerGenerators, InvalidCasesBreakTheNamedRule, ()) {
  const InvalidCase ic = *InvalidPoolCase(UpsamplerOptions());
  RC_TAG(RuleName(ic.broken));
  const ShapeResult r = OutputShape(ic.c);
  if (r.ok()) RC_FAIL(CaseToJsonLine(ic.c) + " is valid, meant to break " + RuleName(ic.broken));
  if (r.violation().rule != ic.broken) RC_FAIL(CaseToJsonLine(ic.c) + " -> " + r.violation().message);
  const CaseParseResult back = ParseCaseText(CaseToJsonLine(ic.c));
  RC_ASSERT(back.ok());
}

RC_GTEST_PROP(UpsamplerGenerators, ExtremeCasesAreJudgedAndSurviveTheCodec, ()) {
  const ConvCase c = *ExtremePoolCase(UpsamplerOptions());
  RC_ASSERT(IsUpsampler(c.op));
  const ShapeResult r = OutputShape(c);
  RC_TAG(r.ok() ? "valid" : RuleName(r.violation().rule));
  const CaseParseResult back = ParseCaseText(CaseToJsonLine(c));
  RC_ASSERT(back.ok());
  RC_ASSERT(*back.value == c);
}

TEST(UpsamplerGenerators, TheDefaultStreamDrawsEveryUpsampler) {
  StreamOptions opts;
  opts.gen.ops.clear();
  for (int op = 0; op <= static_cast<int>(Op::kUpsample3d); ++op) opts.gen.ops.push_back(static_cast<Op>(op));
  const CaseStream stream(1, opts);
  std::set<Op> seen;
  for (uint64_t i = 0; i < 10000; ++i) {
    const Op op = stream.At(i).value().op;
    if (IsUpsampler(op)) seen.insert(op);
  }
  EXPECT_EQ(seen.size(), UpsamplerOps().size());
}

}  // namespace
}  // namespace convcheck
