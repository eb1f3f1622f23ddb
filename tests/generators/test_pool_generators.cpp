// The pooling/flatten/linear generators keep their contracts: valid and edge cases are valid,
// invalid cases break exactly the rule they name, every case survives the codec, and the
// default stream draws them.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "case_io/case_binary.h"
#include "case_io/case_json.h"
#include "generator_support.h"
#include "generators/case_stream.h"
#include "generators/pool_case_gen.h"
#include "oracles/layer_ops.h"
#include "oracles/output_shape.h"

namespace convcheck {
namespace {

GenOptions LayerOptions() {
  GenOptions opts;
  opts.ops = PoolOps();
  opts.ops.insert(opts.ops.end(), {Op::kFlatten, Op::kLinear, Op::kRelu, Op::kBatchNorm1d, Op::kBatchNorm3d});
  opts.dtypes = {DType::kFloat32, DType::kFloat64};
  return opts;
}

void AssertValid(const ConvCase& c) { testing::AssertValidCase(c); }

RC_GTEST_PROP(PoolGenerators, ValidPoolCaseIsValidAndRoundTripsTheCodec, ()) {
  const ConvCase c = *ValidPoolCase(LayerOptions());
  RC_CLASSIFY(c.ceil_mode, "ceil_mode");
  RC_CLASSIFY(IsAdaptivePool(c.op), "adaptive");
  RC_CLASSIFY(!IsConvOp(c.op) && !IsWindowPool(c.op) && !IsAdaptivePool(c.op), "flatten/linear/other");
  AssertValid(c);
}

RC_GTEST_PROP(PoolGenerators, EdgePoolCaseIsValid, ()) {
  const ConvCase c = *EdgePoolCase(LayerOptions());
  RC_CLASSIFY(c.padding_kind == PaddingKind::kSame, "TF SAME");
  AssertValid(c);
}

RC_GTEST_PROP(PoolGenerators, InvalidPoolCaseBreaksTheNamedRule, ()) {
  const InvalidCase ic = *InvalidPoolCase(LayerOptions());
  RC_TAG(RuleName(ic.broken));
  const ShapeResult r = OutputShape(ic.c);
  RC_ASSERT(!r.ok());
  if (r.violation().rule != ic.broken) RC_LOG() << CaseToJsonLine(ic.c) << " -> " << r.violation().message;
  RC_ASSERT(r.violation().rule == ic.broken);
}

RC_GTEST_PROP(PoolGenerators, EveryCaseSurvivesTheWorkerWire, ()) {
  ConvCase c = *MixedPoolCase(LayerOptions());
  Writer w;
  PutCase(w, c);
  Reader r(w.bytes());
  ConvCase back;
  RC_ASSERT(GetCase(r, &back));
  RC_ASSERT(back == c);
}

TEST(PoolGenerators, TheDefaultStreamDrawsPoolingAndConvolutions) {
  StreamOptions opts;
  opts.gen.ops = PoolOps();
  opts.gen.ops.insert(opts.gen.ops.begin(), Op::kConv2d);
  const CaseStream stream(1, opts);
  int pools = 0, convs = 0;
  for (uint64_t i = 0; i < 400; ++i) {
    const ConvCase c = stream.At(i).value();
    pools += IsWindowPool(c.op) || IsAdaptivePool(c.op);
    convs += IsConvOp(c.op);
  }
  EXPECT_GT(pools, 10);
  EXPECT_GT(convs, 300);
}

}  // namespace
}  // namespace convcheck
