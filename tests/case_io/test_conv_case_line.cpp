// A convolution's JSON line is written directly (case_io/conv_case_line.h); its bytes must stay
// those of the tree's form, because StableCaseHash hashes them: properties sample cases by that
// hash and the corpus names regression files by it.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "case_io/case_json.h"
#include "case_io/conv_case_line.h"
#include "generators/conv_case_gen.h"
#include "oracles/layer_ops.h"

namespace convcheck {
namespace {

RC_GTEST_PROP(ConvCaseLine, HasTheTreesBytesForEveryGeneratedConvolution, ()) {
  GenOptions onnx;
  onnx.onnx_geometry = true;
  ConvCase c = *rc::gen::oneOf(MixedConvCase(), ExtremeConvCase(), MixedConvCase(onnx));
  // Fields no generator sets: a fixed seed and an explicit weight shape.
  if (*rc::gen::arbitrary<bool>()) c.seed = *rc::gen::arbitrary<uint64_t>();
  if (*rc::gen::arbitrary<bool>()) c.weight_shape = *rc::gen::container<Dims>(rc::gen::arbitrary<int64_t>());
  RC_CLASSIFY(IsOnnxGeometry(c), "onnx geometry");
  RC_CLASSIFY(IsTransposed(c.op), "transposed");
  RC_PRE(IsConvOp(c.op));
  RC_ASSERT(ConvCaseJsonLine(c) == CaseJsonLineFromTree(c));
  RC_ASSERT(CaseToJsonLine(c) == CaseJsonLineFromTree(c));
}

// Two lines pinned byte for byte, so the tree's form cannot drift with the direct one.
TEST(ConvCaseLine, PinnedLines) {
  ConvCase c = DefaultCase(Op::kConvTranspose2d, {1, 3, 24, 24}, 8);
  c.kernel = {3, 5};
  c.stride = {2, 2};
  c.padding = {1, 1};
  c.output_padding = {1, 0};
  c.seed = 18446744073709551615ULL;
  const char* want =
      R"({"op": "conv_transpose2d", "input": [1,3,24,24], "out_channels": 8, "kernel": [3,5], "stride": 2, )"
      R"("padding": 1, "output_padding": [1,0], "dilation": 1, "groups": 1, "bias": true, "padding_mode": "zeros", )"
      R"("dtype": "float32", "device": "cpu", "seed": 18446744073709551615})";
  EXPECT_EQ(ConvCaseJsonLine(c), want);
  EXPECT_EQ(CaseJsonLineFromTree(c), want);
}

}  // namespace
}  // namespace convcheck
