// LastCase: a repeat of the last case is answered without computing; any other case, including
// one that differs only in the sign of a zero scale factor, is computed; a computation that asks
// the same memo about another case leaves the outer case's answer stored.
#include <gtest/gtest.h>

#include "oracles/last_case.h"

namespace convcheck {
namespace {

TEST(LastCase, ARepeatIsAnsweredAndAnyOtherCaseIsComputed) {
  LastCase<int> memo;
  int computed = 0;
  ConvCase a = DefaultCase(Op::kUpsample1d, {1, 1, 4}, 1);
  a.scale_factor = {0.0};
  ConvCase b = a;
  b.scale_factor = {-0.0};  // == holds it equal to a; its bytes differ
  EXPECT_EQ(memo.Get(a, [&] { return ++computed; }), 1);
  EXPECT_EQ(memo.Get(a, [&] { return ++computed; }), 1) << "a repeat is not computed again";
  EXPECT_EQ(memo.Get(b, [&] { return ++computed; }), 2) << "-0.0 is another case";
  EXPECT_EQ(memo.Get(a, [&] { return ++computed; }), 3);
}

TEST(LastCase, ANestedQueryDoesNotReplaceTheOuterAnswer) {
  LastCase<int> memo;
  const ConvCase outer = DefaultCase(Op::kConv2d, {1, 1, 8, 8}, 1);
  const ConvCase inner = DefaultCase(Op::kConv1d, {1, 1, 8}, 1);
  EXPECT_EQ(memo.Get(outer, [&] { return memo.Get(inner, [] { return 7; }) + 1; }), 8);
  EXPECT_EQ(memo.Get(outer, [] { return -1; }), 8) << "the outer case is the one remembered";
}

}  // namespace
}  // namespace convcheck
