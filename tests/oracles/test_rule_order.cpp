// Where two rules break at once, the oracle names the one LibTorch refuses first (the words a
// user sees); RejectsForTheRightReason holds LibTorch's message to that rule.
#include "tests/oracles/test_support.h"

namespace convcheck {
namespace {

using testing::Case;

Rule RuleOf(const char* json) {
  const ShapeResult r = OutputShape(Case(json));
  EXPECT_FALSE(r.ok()) << json;
  return r.ok() ? Rule::kOverflow : r.violation().rule;
}

// nn.ConvTranspose*d checks in_channels % groups before out_channels % groups
// (torch/nn/modules/conv.h, ConvNdImpl::reset: "in_channels must be divisible by groups").
TEST(RuleOrder, TransposedModuleChecksInChannelsBeforeOutChannels) {
  EXPECT_EQ(RuleOf(R"({"op":"conv_transpose1d","input":[1,3,4],"out_channels":3,"kernel":1,"groups":2})"),
            Rule::kWeightNotDivisible);
  EXPECT_EQ(RuleOf(R"({"op":"conv_transpose1d","input":[1,1,9],"out_channels":3,"kernel":2,"groups":4294967297})"),
            Rule::kWeightBelowGroups);
  EXPECT_EQ(RuleOf(R"({"op":"conv_transpose1d","input":[1,2,4],"out_channels":3,"kernel":1,"groups":2})"),
            Rule::kOutChannelsNotDivisible);
}

// A transposed conv's output size is checked in its kernel, after _convolution refused an input
// with elements in batch and channels but a 0-sized spatial dim; a conv's kernel extent is
// checked in check_shape_forward, before it.
TEST(RuleOrder, TransposedEmptyInputComesBeforeItsOutputSize) {
  EXPECT_EQ(RuleOf(R"({"op":"conv_transpose1d","input":[1,2,0],"out_channels":1,"kernel":3,"stride":3,"padding":2,"output_padding":1})"),
            Rule::kEmptyInput);
  EXPECT_EQ(RuleOf(R"({"op":"conv1d","input":[1,2,0],"out_channels":1,"kernel":3})"),
            Rule::kKernelExceedsInput);
}

}  // namespace
}  // namespace convcheck
