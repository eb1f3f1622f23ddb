// The numeric checks run on the engine's numeric thread, ahead of the judging: where they run
// changes when their answers come, never what they are. A check depends on its case alone, so
// the engine's verdicts equal those of calling each numeric property on each sampled case in
// turn; shrinking a numeric divergence asks the same numeric backend from the judging thread.
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "generators/case_stream.h"
#include "properties/property_table.h"
#include "tests/support/reference_numeric.h"
#include "tests/support/unused_backend.h"

namespace convcheck {
namespace {

// The float64 reference with a planted fault (the first forward output value of every grouped
// case is off by 1: ValuesMatchReference and TransposeIsAdjoint see it) that notes which threads call it. Not thread-safe by design: the
// engine must never call it from two threads at once, and `overlapped` says whether it did.
class FaultyRecordingNumeric final : public NumericBackend {
 public:
  std::string Name() const override { return "faulty reference"; }
  bool DeviceAvailable(Device d) const override { return d == Device::kCpu; }
  NumericOutcome Forward(const ConvCase& c, const CaseData& data) override {
    Enter();
    NumericOutcome o = reference_.Forward(c, data);
    if (c.groups > 1 && o.kind == NumericOutcome::Kind::kValues && !o.output.data.empty()) o.output.data[0] += 1;
    Leave();
    return o;
  }
  NumericOutcome Gradients(const ConvCase& c, const CaseData& data, const DoubleTensor& grad_output) override {
    Enter();
    NumericOutcome o = reference_.Gradients(c, data, grad_output);
    Leave();
    return o;
  }

  std::set<std::thread::id> threads() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return threads_;
  }
  bool overlapped() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return overlapped_;
  }

 private:
  void Enter() {
    std::lock_guard<std::mutex> lock(mutex_);
    threads_.insert(std::this_thread::get_id());
    overlapped_ = overlapped_ || busy_;
    busy_ = true;
  }
  void Leave() {
    std::lock_guard<std::mutex> lock(mutex_);
    busy_ = false;
  }

  testing::ReferenceNumeric reference_;
  mutable std::mutex mutex_;
  std::set<std::thread::id> threads_;
  bool busy_ = false;
  bool overlapped_ = false;
};

RunConfig NumericRun(bool shrink) {
  RunConfig config;
  config.cases = 600;
  config.quiet = true;
  config.shrink = shrink;
  config.dtypes = {DType::kFloat32, DType::kFloat64};
  config.numeric_rate = 0.3;
  config.properties = {"ValuesMatchReference", "TransposeIsAdjoint", "GradientIsTranspose"};
  return config;
}

// Per numeric property, the verdicts of calling it directly on each case the engine samples.
std::map<std::string, VerdictCounts> DirectVerdicts(const RunConfig& config, const NumericSetup& numeric) {
  StreamOptions so;
  so.gen.ops = config.ops;
  so.gen.dtypes = config.dtypes;
  so.extreme = config.extreme;
  const CaseStream stream(config.seed, so);
  testing::UnusedBackend unused;
  std::map<std::string, VerdictCounts> expected;
  auto properties = MakeExtraProperties(numeric);
  for (int64_t i = 0; i < config.cases; ++i) {
    const ConvCase c = stream.At(static_cast<uint64_t>(i)).value();
    for (auto& p : properties) {
      const bool chosen = std::find(config.properties.begin(), config.properties.end(), p->Name()) != config.properties.end();
      if (!chosen || !(AlwaysValueChecked(c) || Sampled(config.seed, i, p->Name(), config.numeric_rate))) continue;
      if (const auto r = p->Check(c, unused)) ++expected[p->Name()].by_verdict[static_cast<size_t>(r->verdict)];
    }
  }
  return expected;
}

// The run of `config` with `numeric` as its numeric backend; the shape side is not under test.
RunSummary RunOn(const RunConfig& config, const std::shared_ptr<NumericBackend>& numeric) {
  testing::UnusedBackend backend;
  std::ostringstream log;
  return RunConformance(config, backend, KnownDeviations{}, log, nullptr, NumericSetupFor(numeric));
}

TEST(NumericThread, VerdictsEqualCallingEachPropertyInTurn) {
  const RunConfig config = NumericRun(/*shrink=*/false);
  auto pipelined = std::make_shared<FaultyRecordingNumeric>();
  const RunSummary s = RunOn(config, pipelined);

  const std::map<std::string, VerdictCounts> expected =
      DirectVerdicts(config, NumericSetupFor(std::make_shared<FaultyRecordingNumeric>()));
  ASSERT_EQ(expected.size(), 3u);
  for (const auto& [name, counts] : expected) {
    ASSERT_TRUE(s.per_property.count(name)) << name;
    const VerdictCounts& got = s.per_property.at(name);
    EXPECT_GT(got.executed(), 20) << name;
    for (size_t v = 0; v < counts.by_verdict.size(); ++v) {
      EXPECT_EQ(got.by_verdict[v], counts.by_verdict[v]) << name << ", verdict " << VerdictName(static_cast<Verdict>(v));
    }
  }
  EXPECT_GT(s.per_property.at("ValuesMatchReference").of(Verdict::kValueMismatch), 0)
      << "the planted fault must be found, or this test shows nothing";
  const std::set<std::thread::id> threads = pipelined->threads();
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u) << "without shrinking, no numeric call is made while judging";
  EXPECT_EQ(threads.size(), 1u) << "one numeric thread serves every batch";
  EXPECT_FALSE(pipelined->overlapped());
}

TEST(NumericThread, ShrinkingANumericDivergenceNeverOverlapsTheNumericThread) {
  auto numeric = std::make_shared<FaultyRecordingNumeric>();
  const RunSummary s = RunOn(NumericRun(/*shrink=*/true), numeric);
  ASSERT_FALSE(s.divergences.empty());
  for (const CaseResult& r : s.divergences) {
    EXPECT_TRUE(r.property == "ValuesMatchReference" || r.property == "TransposeIsAdjoint") << r.property;
    EXPECT_GT(r.c.groups, 1) << "a shrunk case still has the planted fault's groups";
  }
  const std::set<std::thread::id> threads = numeric->threads();
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 1u) << "shrinking asks from the judging thread";
  EXPECT_EQ(threads.size(), 2u) << "and the checks from the numeric thread";
  EXPECT_FALSE(numeric->overlapped()) << "the numeric backend was called from two threads at once";
}

}  // namespace
}  // namespace convcheck
