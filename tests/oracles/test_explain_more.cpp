// ExplainRoundTrip: the floor is visible and the numbers are the user's.
#include <gtest/gtest.h>

#include <string>
#include <vector>

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
            "H: conv (24 + 2·1 − 1·(3−1) − 1)/2 + 1 = 23/2 + 1 = 12.5 → floor → 12; convT (12−1)·2 − 2·1 + "
            "1·(3−1) + 0 + 1 = 23; output_padding = 24 − 23 = 1 (the floor dropped 23 mod 2 = 1)");
}

TEST(ExplainRoundTrip, NamesTheRuleForAnInvalidConv) {
  ConvCase c = DefaultCase(Op::kConv1d, {1, 1, 2}, 1);
  c.kernel = {5};
  const std::vector<std::string> lines = ExplainRoundTrip(c);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("no round trip: invalid_conv: dim 0: kernel extent 5 exceeds padded input 2", 0), 0u) << lines[0];
}

TEST(ExplainShape, LabelsSpatialDimsByLetterAndSaysWhyASizeIsKept) {
  ConvCase c = DefaultCase(Op::kConv3d, {1, 2, 8, 9, 10}, 4);
  c.kernel = {3, 3, 3};
  c.padding = {1, 1, 1};
  const std::vector<std::string> lines = ExplainShape(c);
  ASSERT_GE(lines.size(), 5u);
  EXPECT_EQ(lines[2].rfind("D: ", 0), 0u) << lines[2];
  EXPECT_EQ(lines[3].rfind("H: ", 0), 0u) << lines[3];
  EXPECT_NE(lines[4].find("W: "), std::string::npos) << lines[4];
  EXPECT_NE(lines[2].find("(padding (k−1)/2 = 1 with stride 1 keeps the size)"), std::string::npos) << lines[2];
  ConvCase down = DefaultCase(Op::kConv1d, {1, 1, 768}, 1);
  down.kernel = {6};
  down.stride = {6};
  const std::vector<std::string> l = ExplainShape(down);
  EXPECT_NE(l[2].find("L: "), std::string::npos) << l[2];
  EXPECT_NE(l[2].find("(stride 6 divides the size by 6)"), std::string::npos) << l[2];
}

}  // namespace
}  // namespace convcheck
