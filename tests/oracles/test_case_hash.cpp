// CaseHash and CaseIdentical key hash maps of cases (the property prefetch's dedup): Identical
// cases must hash alike, or a repeat would be run twice; cases that differ should rarely share
// a hash, or every lookup would walk a chain.
#include <set>
#include <unordered_map>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "case_io/case_json.h"
#include "generators/conv_case_gen.h"
#include "oracles/conv_case.h"

namespace convcheck {
namespace {

// A case rebuilt from its JSON line is another object with the same fields.
RC_GTEST_PROP(CaseHash, IdenticalCasesHashAlike, ()) {
  const ConvCase c = *MixedConvCase();
  const CaseParseResult back = ParseCaseText(CaseToJsonLine(c));
  RC_ASSERT(back.ok());
  RC_ASSERT(CaseIdentical{}(c, *back.value));
  RC_ASSERT(CaseHash{}(c) == CaseHash{}(*back.value));
}

TEST(CaseHash, DistinctCasesRarelyShareAHash) {
  std::unordered_map<ConvCase, int, CaseHash, CaseIdentical> cases;
  std::set<size_t> hashes;
  for (int seed = 0; cases.size() < 2000 && seed < 100000; ++seed) {
    const ConvCase c = MixedConvCase().operator()(rc::Random(static_cast<uint64_t>(seed)), 50).value();
    if (cases.emplace(c, seed).second) hashes.insert(CaseHash{}(c));
  }
  ASSERT_EQ(cases.size(), 2000u);
  EXPECT_GT(hashes.size(), 1990u) << "distinct cases collide too often";
}

TEST(CaseHash, TheSignOfAZeroScaleFactorMakesAnotherKey) {
  std::unordered_map<ConvCase, int, CaseHash, CaseIdentical> cases;
  ConvCase a = DefaultCase(Op::kUpsample1d, {1, 1, 4}, 1);
  a.scale_factor = {0.0};
  ConvCase b = a;
  b.scale_factor = {-0.0};  // == holds it equal to a; its bytes (and CaseKey) differ
  cases.emplace(a, 1);
  EXPECT_TRUE(cases.emplace(b, 2).second) << "as under CaseKey, -0.0 is another case";
  EXPECT_FALSE(cases.emplace(a, 3).second);
}

}  // namespace
}  // namespace convcheck
