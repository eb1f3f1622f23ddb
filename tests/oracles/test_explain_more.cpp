// ExplainRoundTrip: the floor is visible and the numbers are the user's.
#include <gtest/gtest.h>

#include "oracles/explain.h"

namespace convcheck {
namespace {

TEST(ExplainRoundTrip, ShowsConvTransposeAndTheDroppedRemainder) {
  ConvCase c = DefaultCase(Op::kConv2d, {1, 128, 24, 24}, 256);
  c.kernel = {3, 3};
  c.stride = {2, 2};
  c.padding = {1, 1};
  const std::vector<std::string> lines = ExplainRoundTrip(c);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "dim 0 (H): conv (24 + 2·1 − 1·(3−1) − 1)/2 + 1 = 23/2 + 1 = 12.5 → floor → 12; convT (12−1)·2 − 2·1 + "
            "1·(3−1) + 0 + 1 = 23; output_padding = 24 − 23 = 1 (the floor dropped 23 mod 2 = 1)");
}

TEST(ExplainRoundTrip, NamesTheRuleForAnInvalidConv) {
  ConvCase c = DefaultCase(Op::kConv1d, {1, 1, 2}, 1);
  c.kernel = {5};
  const std::vector<std::string> lines = ExplainRoundTrip(c);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("no round trip: invalid_conv: dim 0: kernel extent 5 exceeds padded input 2", 0), 0u) << lines[0];
}

}  // namespace
}  // namespace convcheck
