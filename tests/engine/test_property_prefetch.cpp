// The property prefetch (engine/property_prefetch.h) changes where the backend's answers come
// from, never what they are: a cached answer is the backend's own answer to the same case, and
// a case the speculative pass did not foresee reaches the backend directly.
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "engine/engine.h"
#include "engine/property_prefetch.h"
#include "generators/case_stream.h"
#include "generators/conv_case_gen.h"
#include "properties/property_table.h"

namespace convcheck {
namespace {

// Counts calls, and gets transposed convolutions wrong on purpose: one more element in the
// last dim when output_padding is non-zero, so round trips and stacks disagree with the oracle
// and the speculative pass (which guesses the oracle's answer) guesses wrong.
class CountingFaultyBackend final : public Backend {
 public:
  std::string Name() const override { return "faulty"; }
  std::string Version() const override { return "1"; }
  std::vector<Device> Devices() const override { return {Device::kCpu}; }
  BackendOutcome Run(const ConvCase& c) override {
    ++runs;
    const ShapeResult r = OutputShape(c);
    if (!r.ok()) return BackendOutcome::Rejected(r.violation().message);
    Dims shape = r.shape();
    bool padded = false;
    for (int64_t p : c.output_padding) padded = padded || p != 0;
    if (IsTransposed(c.op) && padded) ++shape.back();
    return BackendOutcome::Shape(shape);
  }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override {
    ++batches;
    runs -= static_cast<int64_t>(cases.size());  // counted as batched, not single
    return RunEach(*this, cases);
  }
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& /*pads*/) override {
    return Run(c);  // counted there
  }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override {
    ++batches;
    runs -= static_cast<int64_t>(calls.size());  // counted as batched, not single
    return RunPaddedEach(*this, calls);
  }
  int64_t runs = 0;     // single calls (Run and RunPadded outside a batch)
  int64_t batches = 0;
};

// Answers every case as the oracle predicts, as a worker would: with its memory measured
// (peak_bytes, which a guess never carries) and the framework's error type on a refusal.
class ExactBackend final : public Backend {
 public:
  std::string Name() const override { return "exact"; }
  std::string Version() const override { return "1"; }
  std::vector<Device> Devices() const override { return {Device::kCpu}; }
  BackendOutcome Run(const ConvCase& c) override {
    BackendOutcome o = GuessedAnswer(c);
    o.peak_bytes = 4096;
    return o;
  }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override { return RunEach(*this, cases); }
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override {
    BackendOutcome o = GuessedPaddedAnswer(c, pads);
    o.peak_bytes = 4096;
    return o;
  }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override {
    return RunPaddedEach(*this, calls);
  }
};

// The timing row of the checks that ran a second time because a guess missed (0 when none).
int64_t ChecksRunAgain(const RunSummary& s) {
  for (const report::TimeRow& t : s.timings) {
    if (t.name == "property checks run again (a guess missed)") return t.calls;
  }
  return 0;
}

// Per property, the verdicts of calling each non-numeric property on each of the run's cases
// directly, one backend call at a time.
std::map<std::string, VerdictCounts> DirectVerdicts(const RunConfig& config, Backend& direct) {
  StreamOptions so;
  so.gen.ops = config.ops;
  so.gen.dtypes = config.dtypes;
  so.extreme = config.extreme;
  const CaseStream stream(config.seed, so);
  std::map<std::string, VerdictCounts> expected;
  auto properties = MakeExtraProperties({});
  for (int64_t i = 0; i < config.cases; ++i) {
    const ConvCase c = stream.At(static_cast<uint64_t>(i)).value();
    for (auto& p : properties) {
      if (p->Numeric()) continue;
      if (const auto r = p->Check(c, direct)) ++expected[p->Name()].by_verdict[static_cast<size_t>(r->verdict)];
    }
  }
  return expected;
}

TEST(CachedBackend, AnswersFilledCasesFromMemoryAndForwardsTheRest) {
  CountingFaultyBackend inner;
  CachedBackend cache(inner);
  const ConvCase a = DefaultCase(Op::kConv2d, {1, 2, 5, 5}, 4);
  const ConvCase b = DefaultCase(Op::kConv2d, {1, 2, 6, 6}, 4);
  cache.Fill({a});
  EXPECT_EQ(inner.batches, 1);
  EXPECT_EQ(cache.Run(a).shape, (Dims{1, 4, 5, 5}));
  EXPECT_EQ(inner.runs, 0) << "a filled case must not reach the backend again";
  EXPECT_EQ(cache.Run(b).shape, (Dims{1, 4, 6, 6}));
  EXPECT_EQ(inner.runs, 1) << "a case not filled must reach the backend";
  const std::vector<BackendOutcome> mixed = cache.RunBatch({b, a});
  EXPECT_EQ(mixed[0].shape, (Dims{1, 4, 6, 6}));
  EXPECT_EQ(mixed[1].shape, (Dims{1, 4, 5, 5}));
  EXPECT_EQ(cache.hits(), 2);
  EXPECT_EQ(cache.misses(), 2);
  cache.Clear();
  cache.Run(a);
  EXPECT_EQ(cache.misses(), 3) << "Clear forgets every answer";
}

TEST(CachedBackend, AnswersFilledRecipeCallsByCaseAndPads) {
  CountingFaultyBackend inner;
  CachedBackend cache(inner);
  const ConvCase a = DefaultCase(Op::kConv2d, {1, 2, 5, 5}, 4);
  const std::vector<PadPair> pads = {{1, 0}, {0, 1}}, other = {{0, 1}, {1, 0}};
  cache.FillPadded({{a, pads}});
  EXPECT_EQ(inner.batches, 1);
  EXPECT_EQ(cache.RunPadded(a, pads).kind, BackendOutcome::Kind::kShape);
  EXPECT_EQ(inner.runs, 0) << "a filled recipe call must not reach the backend again";
  cache.RunPadded(a, other);
  EXPECT_EQ(inner.runs, 1) << "the same case with other pads is another call";
  cache.Run(a);
  EXPECT_EQ(inner.runs, 2) << "a recipe answer is never the plain case's answer";
  EXPECT_EQ(cache.hits(), 1);
  EXPECT_EQ(cache.misses(), 2);
}

// Every property's verdicts through the engine (prefetched) equal those of calling each
// property on each case directly, one backend call at a time, on a backend the guesses miss:
// the checks whose guesses held keep their speculative result, the others run again.
TEST(PropertyPrefetch, VerdictsEqualTheOneAtATimePath) {
  RunConfig config;
  config.cases = 400;
  config.quiet = true;
  config.shrink = false;
  config.dtypes = {DType::kFloat32};
  CountingFaultyBackend prefetched;
  std::ostringstream log;
  const RunSummary s = RunConformance(config, prefetched, KnownDeviations{}, log);

  CountingFaultyBackend direct;
  const std::map<std::string, VerdictCounts> expected = DirectVerdicts(config, direct);
  int64_t disagreements = 0, speculated = 0;
  for (const auto& [name, counts] : expected) {
    ASSERT_TRUE(s.per_property.count(name)) << name;
    EXPECT_EQ(s.per_property.at(name).by_verdict, counts.by_verdict) << name;
    disagreements += counts.by_verdict[static_cast<size_t>(Verdict::kShapeMismatch)];
    speculated += counts.total();
  }
  EXPECT_GT(disagreements, 0) << "the planted fault must make some property disagree";
  EXPECT_GT(prefetched.batches, 2) << "property calls must go out in batches";
  EXPECT_LT(prefetched.runs, direct.runs / 4) << "most single calls must have become batched";
  const int64_t again = ChecksRunAgain(s);
  EXPECT_GT(again, 0) << "a missed guess must make its check run again on the real answers";
  EXPECT_LT(again, speculated) << "checks whose guesses held must not run twice";
}

// With every guess right, no check runs twice, and the verdicts are still the direct path's.
TEST(PropertyPrefetch, ChecksWhoseGuessesHeldRunOnce) {
  RunConfig config;
  config.cases = 300;
  config.quiet = true;
  config.shrink = false;
  config.numeric_rate = 0;
  ExactBackend prefetched;
  std::ostringstream log;
  const RunSummary s = RunConformance(config, prefetched, KnownDeviations{}, log);
  ExactBackend direct;
  const std::map<std::string, VerdictCounts> expected = DirectVerdicts(config, direct);
  int64_t executed = 0;
  for (const auto& [name, counts] : expected) {
    ASSERT_TRUE(s.per_property.count(name)) << name;
    EXPECT_EQ(s.per_property.at(name).by_verdict, counts.by_verdict) << name;
    executed += counts.executed();
  }
  EXPECT_EQ(expected.size(), 4u) << "every non-numeric property must have judged cases";
  EXPECT_GT(executed, 100) << "the properties must have checked cases";
  EXPECT_EQ(ChecksRunAgain(s), 0);
}

// The contract the engine relies on to keep a speculative result (properties/property.h): a
// property's result depends only on its case and what it sees of the answers. Given the
// guesses, or a backend whose answers differ from them only in peak_bytes, every non-numeric
// property gives the same result.
RC_GTEST_PROP(PropertyPrefetch, ResultDependsOnlyOnWhatAnswersShow, ()) {
  const ConvCase c = *MixedConvCase();
  ExactBackend exact;
  for (auto& p : MakeExtraProperties({})) {
    if (p->Numeric()) continue;
    SpeculativeBackend speculative(exact);
    const std::optional<CaseResult> guessed = p->Check(c, speculative);
    const std::optional<CaseResult> real = p->Check(c, exact);
    RC_ASSERT(guessed.has_value() == real.has_value());
    if (!real) continue;
    RC_ASSERT(guessed->verdict == real->verdict);
    RC_ASSERT(guessed->property == real->property);
    RC_ASSERT(guessed->detail == real->detail);
    RC_ASSERT(guessed->c == real->c);
    RC_ASSERT(SameAnswer(guessed->outcome, real->outcome));
  }
}

}  // namespace
}  // namespace convcheck
