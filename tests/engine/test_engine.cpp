// The engine's accounting, without a framework: a backend that answers what the oracle says,
// and the "no silent passes" rules (skips counted by reason, exit 3 when a requested check never
// ran, unknown property names refused).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "case_io/case_json.h"
#include "engine/engine.h"
#include "engine/run_summary.h"
#include "properties/property_table.h"
#include "tests/support/reference_engine.h"

namespace convcheck {
namespace {

// Answers exactly what the oracle predicts; RunPadded pads (conv) or crops (convT) explicitly.
class OracleBackend final : public Backend {
 public:
  explicit OracleBackend(std::string skip = "") : skip_(std::move(skip)) {}
  std::string Name() const override { return "oracle"; }
  std::string Version() const override { return "1"; }
  std::vector<Device> Devices() const override { return {Device::kCpu}; }
  BackendOutcome Run(const ConvCase& c) override {
    if (!skip_.empty()) return BackendOutcome::Skipped(skip_);
    const ShapeResult r = OutputShape(c);
    return r.ok() ? BackendOutcome::Shape(r.shape()) : BackendOutcome::Rejected(r.violation().message);
  }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override {
    return RunEach(*this, cases);
  }
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override {
    ConvCase p = c;
    const int rank = SpatialRank(c.op);
    if (!IsTransposed(c.op)) {
      p.padding_kind = PaddingKind::kExplicit;
      p.padding.assign(rank, 0);
      for (int i = 0; i < rank; ++i) p.input[p.input.size() - rank + i] += pads[i].left + pads[i].right;
    }
    BackendOutcome o = Run(p);
    if (IsTransposed(c.op) && o.kind == BackendOutcome::Kind::kShape) {
      for (int i = 0; i < rank; ++i) o.shape[o.shape.size() - rank + i] -= pads[i].left + pads[i].right;
    }
    return o;
  }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override { return RunPaddedEach(*this, calls); }

 private:
  std::string skip_;
};

RunConfig SmallRun(std::vector<std::string> properties) {
  RunConfig config;
  config.cases = 300;
  config.quiet = true;
  config.properties = std::move(properties);
  config.dtypes = {DType::kFloat32};
  return config;
}

TEST(Engine, NonNumericPropertiesExecuteChecksOnAConformingBackend) {
  OracleBackend backend;
  std::ostringstream log;
  const RunConfig config = SmallRun({});
  const RunSummary s = RunConformance(config, backend, KnownDeviations{}, log);
  for (const char* name : {"ShapeAgrees", "ValidityAgrees", "RoundTripRestoresInput",
                           "StackAnalysisAgrees", "SolverSolutionsHold", "ConventionRecipeMatches"}) {
    ASSERT_TRUE(s.per_property.count(name)) << name << " produced no result";
    EXPECT_GT(s.per_property.at(name).executed(), 0) << name;
  }
  EXPECT_EQ(s.unexpected(), 0) << log.str();
}

TEST(Engine, TimingsOfTheJudgingThreadSumToTheRunsSeconds) {
  OracleBackend backend;
  std::ostringstream log;
  const RunSummary s = RunConformance(SmallRun({}), backend, KnownDeviations{}, log);
  ASSERT_GE(s.timings.size(), 3u);
  EXPECT_EQ(s.timings[0].stage, "backend");
  EXPECT_EQ(s.timings[0].name, "oracle 1 (shapes): batches of base cases and prefetched property calls");
  EXPECT_EQ(s.timings[0].calls, 2) << "300 cases are two batches, each one RunBatch with its property calls";
  EXPECT_GT(s.timings[0].seconds, 0);
  EXPECT_EQ(s.timings[1].name, "oracle 1 (shapes): recipe calls, prefetched in batches");
  EXPECT_GT(s.timings[1].calls, 0) << "the convention's recipe calls are batched";
  EXPECT_EQ(s.timings[2].name, "oracle 1 (shapes): single property and shrink calls");
  EXPECT_EQ(s.timings[2].calls, 0) << "every property call is prefetched; single calls are left for shrinking, "
                                      "and nothing diverges here";
  // The batches run on the backend thread and the numeric checks on the numeric thread,
  // alongside the judging thread; the judging thread's rows (its own work, its single backend
  // calls, its waits for the batches and for the numeric checks) add up to the wall time,
  // rounding aside.
  double judging = 0;
  bool round_trip = false, waited = false, numeric = false, waited_numeric = false;
  for (const report::TimeRow& t : s.timings) {
    EXPECT_GE(t.seconds, 0) << t.name;
    if (t.stage == "cpu") continue;  // CPU, not a share of the wall time
    if (t.stage != "numeric" && (t.stage != "backend" || t.name == s.timings[2].name)) judging += t.seconds;
    round_trip = round_trip || (t.stage == "property" && t.name == "RoundTripRestoresInput" && t.calls > 0);
    numeric = numeric || (t.stage == "numeric" && t.name == "ValuesMatchReference" && t.calls > 0);
    waited = waited || (t.stage == "engine" && t.name == "waiting for the backend" && t.calls == 2);
    waited_numeric = waited_numeric || (t.stage == "engine" && t.name == "waiting for the numeric checks" && t.calls == 2);
  }
  EXPECT_TRUE(round_trip) << "every property that ran has a row";
  EXPECT_TRUE(numeric) << "a numeric property's row is its checks' time on the numeric thread";
  EXPECT_TRUE(waited) << "one wait per batch";
  EXPECT_TRUE(waited_numeric) << "one wait per batch with a numeric check";
  EXPECT_NEAR(judging, s.seconds, 1e-6 + 1e-3 * s.seconds);
}

// CPU apart from wall time: this process, and its workers (none for an in-process backend).
// The summary prints them on a line of their own, not as shares of the wall time.
TEST(Engine, CpuOfThisProcessAndOfItsWorkersIsReportedApart) {
  OracleBackend backend;
  std::ostringstream log;
  const RunSummary s = RunConformance(SmallRun({}), backend, KnownDeviations{}, log);
  std::vector<report::TimeRow> cpu;
  for (const report::TimeRow& t : s.timings) {
    if (t.stage == "cpu") cpu.push_back(t);
  }
  ASSERT_EQ(cpu.size(), 2u);
  EXPECT_EQ(cpu[0].name, "this process");
  EXPECT_GT(cpu[0].seconds, 0) << "300 cases drawn, judged and checked here";
  EXPECT_EQ(cpu[1].name, "worker processes");
  EXPECT_EQ(cpu[1].seconds, 0) << "an in-process backend starts no worker";
  std::ostringstream printed;
  PrintSummary(s, printed);
  const std::string text = printed.str();
  const size_t time_line = text.find("\ntime:"), cpu_line = text.find("\ncpu: this process ");
  ASSERT_NE(time_line, std::string::npos) << text;
  ASSERT_NE(cpu_line, std::string::npos) << text;
  EXPECT_EQ(text.substr(time_line, text.find('\n', time_line + 1) - time_line).find("this process"), std::string::npos)
      << "the CPU rows are not shares of the wall time";
  EXPECT_NE(text.find(" s of CPU in ", cpu_line), std::string::npos) << text;
}

// The backend runs batch k+1 while the engine judges batch k. Batch 0's progress report (made
// once it is judged) waits for batch 1's RunBatch to start, and that RunBatch waits for the
// report: both happen only if the two overlap; run one after the other, each waits its 10 s
// out and the test fails.
class Rendezvous {
 public:
  // Marks `mine` and waits up to 10 s for `other`; true when it came.
  bool Meet(bool* mine, const bool* other) {
    std::unique_lock<std::mutex> lock(mutex_);
    *mine = true;
    changed_.notify_all();
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return *other; });
  }
  bool batch_started = false, judged = false;

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
};

class SecondBatchMeetsTheJudging final : public Backend {
 public:
  explicit SecondBatchMeetsTheJudging(Rendezvous& r) : r_(r) {}
  std::string Name() const override { return inner_.Name(); }
  std::string Version() const override { return inner_.Version(); }
  std::vector<Device> Devices() const override { return inner_.Devices(); }
  BackendOutcome Run(const ConvCase& c) override { return inner_.Run(c); }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override {
    if (++batches_ == 2) met_ = r_.Meet(&r_.batch_started, &r_.judged);
    return inner_.RunBatch(cases);
  }
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override { return inner_.RunPadded(c, pads); }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override {
    return inner_.RunPaddedBatch(calls);
  }
  bool met() const { return met_; }

 private:
  OracleBackend inner_;
  Rendezvous& r_;
  int batches_ = 0;
  bool met_ = false;
};

TEST(Engine, TheBackendRunsTheNextBatchWhileTheEngineJudgesThisOne) {
  Rendezvous r;
  SecondBatchMeetsTheJudging backend(r);
  std::ostringstream log;
  bool judging_met = false;
  int reports = 0;
  const RunSummary s = RunConformance(SmallRun({}), backend, KnownDeviations{}, log, [&](const Progress&) {
    if (++reports == 1) judging_met = r.Meet(&r.judged, &r.batch_started);
  });
  EXPECT_EQ(reports, 2);
  EXPECT_TRUE(judging_met) << "batch 1's RunBatch did not start before batch 0 was judged";
  EXPECT_TRUE(backend.met()) << "batch 0 was not judged while batch 1's RunBatch ran";
  EXPECT_EQ(s.cases, 300);
  EXPECT_EQ(s.unexpected(), 0) << log.str();
}

TEST(Engine, DevicesAgreeIsLeftOutByDefaultWithoutCudaAndSaysSo) {
  OracleBackend backend;
  std::ostringstream log;
  const RunSummary s = RunConformance(SmallRun({}), backend, KnownDeviations{}, log);
  EXPECT_EQ(s.per_property.count("DevicesAgree"), 0u);
  ASSERT_EQ(s.not_selected.size(), 2u);  // and ValuesAgreeAcrossEngines: no peer engine
  EXPECT_EQ(s.not_selected[0].rfind("DevicesAgree (no CUDA device", 0), 0u) << s.not_selected[0];
}

TEST(Engine, ValuesAgreeAcrossEnginesIsLeftOutWithoutAPeerAndRunsWithOne) {
  OracleBackend backend;
  std::ostringstream log, err;
  RunConfig config = SmallRun({});
  config.numeric_rate = 0.5;
  NumericSetup numeric;
  numeric.backend = std::make_shared<testing::ReferenceEngine>("one");
  numeric.peer_missing = "no peer engine: none in this test";
  const RunSummary alone = RunConformance(config, backend, KnownDeviations{}, log, nullptr, numeric);
  EXPECT_EQ(alone.per_property.count("ValuesAgreeAcrossEngines"), 0u);
  ASSERT_EQ(alone.not_selected.size(), 2u);
  EXPECT_EQ(alone.not_selected[1], "ValuesAgreeAcrossEngines (no peer engine: none in this test; name it in --properties to require it)");
  numeric.peer = std::make_shared<testing::ReferenceEngine>("other");
  config.properties = {"ValuesAgreeAcrossEngines"};  // the test engines have no gradients
  const RunSummary paired = RunConformance(config, backend, KnownDeviations{}, log, nullptr, numeric);
  ASSERT_EQ(paired.per_property.count("ValuesAgreeAcrossEngines"), 1u);
  EXPECT_GT(paired.per_property.at("ValuesAgreeAcrossEngines").executed(), 20);
  EXPECT_EQ(paired.unexpected(), 0) << log.str();
  EXPECT_EQ(RunExitCode(paired, config, err), kRunOk) << err.str();
}

TEST(Engine, SkipsAreCountedByReasonAndANamedIdlePropertyExitsThree) {
  OracleBackend backend;
  std::ostringstream log, err;
  RunConfig config = SmallRun({"ValuesMatchReference"});
  config.numeric_rate = 1;
  const RunSummary s = RunConformance(config, backend, KnownDeviations{}, log);  // no numeric backend
  const VerdictCounts& values = s.per_property.at("ValuesMatchReference");
  EXPECT_EQ(values.executed(), 0);
  ASSERT_EQ(values.skipped_by_reason.size(), 1u);
  EXPECT_EQ(values.skipped_by_reason.begin()->first, "no numeric backend (built without LibTorch)");
  EXPECT_EQ(values.skipped_by_reason.begin()->second, values.of(Verdict::kSkipped));
  EXPECT_EQ(RunExitCode(s, config, err), kRunNothingChecked);
  EXPECT_NE(err.str().find("ValuesMatchReference: 0 of"), std::string::npos) << err.str();
  config.allow_skipped = true;
  EXPECT_EQ(RunExitCode(s, config, err), kRunOk);
}

TEST(Engine, ABackendThatSkipsEveryCaseExitsThree) {
  OracleBackend backend("no CUDA device");
  std::ostringstream log, err;
  const RunConfig config = SmallRun({"none"});
  const RunSummary s = RunConformance(config, backend, KnownDeviations{}, log);
  EXPECT_EQ(RunExitCode(s, config, err), kRunNothingChecked);
  EXPECT_NE(err.str().find("no CUDA device"), std::string::npos) << err.str();
}

TEST(Engine, UnknownPropertyNamesAreRefusedWithTheKnownOnes) {
  std::string error;
  EXPECT_FALSE(SelectProperties({"Foo"}, &error).has_value());
  EXPECT_NE(error.find("\"Foo\""), std::string::npos) << error;
  for (const std::string& name : AllPropertyNames()) EXPECT_NE(error.find(name), std::string::npos) << name;
  EXPECT_EQ(SelectProperties({"none"}, &error)->size(), 0u);
  EXPECT_EQ(SelectProperties({}, &error)->size(), ExtraPropertyNames().size());
}

}  // namespace
}  // namespace convcheck

namespace convcheck {
namespace {

// A shape bug: the last output dim comes out one too long for the cases `wrong` picks.
class OneTooLongBackend final : public Backend {
 public:
  OneTooLongBackend(std::string name, std::function<bool(const ConvCase&)> wrong)
      : name_(std::move(name)), wrong_(std::move(wrong)) {}
  std::string Name() const override { return name_; }
  std::string Version() const override { return "1"; }
  std::vector<Device> Devices() const override { return {Device::kCpu}; }
  BackendOutcome Run(const ConvCase& c) override {
    const ShapeResult r = OutputShape(c);
    if (!r.ok()) return BackendOutcome::Rejected(r.violation().message);
    Dims shape = r.shape();
    if (wrong_(c)) ++shape.back();
    return BackendOutcome::Shape(shape);
  }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override { return RunEach(*this, cases); }
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>&) override { return Run(c); }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override { return RunPaddedEach(*this, calls); }

 private:
  std::string name_;
  std::function<bool(const ConvCase&)> wrong_;
};

TEST(Engine, DivergencesAreGroupedBySignatureWithOneReproducerEach) {
  OneTooLongBackend backend("bf16bug", [](const ConvCase& c) { return c.dtype == DType::kBFloat16; });
  std::ostringstream log;
  RunConfig config = SmallRun({"none"});
  config.quiet = false;
  const KnownDeviations known;  // the engine keeps references: these outlive it
  const NumericSetup numeric;
  Engine engine(config, backend, known, numeric, log);
  std::vector<CaseItem> items;
  for (int64_t width = 8; width < 13; ++width) {
    ConvCase c = DefaultCase(Op::kConv1d, {1, 1, width}, 1);
    c.kernel = {3};
    c.dtype = DType::kBFloat16;
    items.push_back({c, std::nullopt, width, "test:" + std::to_string(width), {}, "", ""});
  }
  engine.JudgeBatch(items);
  const RunSummary s = engine.Finish(false);
  EXPECT_EQ(s.unexpected(), 5);
  ASSERT_EQ(s.signatures.size(), 1u);
  EXPECT_EQ(s.signatures.begin()->first, "ShapeAgrees/shape_mismatch/conv1d/bfloat16/cpu/bf16bug/dim 2");
  size_t blocks = 0;
  for (size_t at = 0; (at = log.str().find("rerun: ", at)) != std::string::npos; ++at) ++blocks;
  EXPECT_EQ(blocks, 1u) << log.str();
  std::ostringstream summary;
  PrintSummary(s, summary);
  EXPECT_NE(summary.str().find("ShapeAgrees/shape_mismatch/conv1d/bfloat16/cpu/bf16bug/dim 2 — 5 cases, 1 shown"), std::string::npos)
      << summary.str();
  EXPECT_NE(summary.str().find("conv1d                   5       5"), std::string::npos)
      << "the cases column counts cases, the checks column checks:\n" << summary.str();
}

// Shrinking re-asks cases, so a minimized case of a flaky bug may agree when asked once more.
// The divergence reported is the last failure shrinking saw, never an agreeing re-run of it.
TEST(Engine, AShrunkDivergenceKeepsTheFailureShrinkingSaw) {
  // A flaky bug: each conv2d case is one element too long the first time it is asked only.
  std::set<std::string> asked;
  OneTooLongBackend backend("flaky", [&asked](const ConvCase& c) {
    return c.op == Op::kConv2d && asked.insert(CaseToJsonLine(c)).second;
  });
  std::ostringstream log;
  RunConfig config = SmallRun({"none"});
  config.ops = {Op::kConv2d};
  const RunSummary s = RunConformance(config, backend, KnownDeviations{}, log);
  ASSERT_GT(s.unexpected(), 0) << "the first asks diverge";
  int64_t shrunk = 0;
  for (const CaseResult& r : s.divergences) {
    EXPECT_EQ(VerdictName(r.verdict), VerdictName(Verdict::kShapeMismatch)) << CaseToJsonLine(r.c) << ": " << r.detail;
    ASSERT_TRUE(r.outcome.kind == BackendOutcome::Kind::kShape) << CaseToJsonLine(r.c);
    EXPECT_NE(r.outcome.shape, r.expected.shape()) << CaseToJsonLine(r.c);
    shrunk += r.c.input.back() < 8;  // generated widths are mostly larger; shrinking moves toward 1
  }
  EXPECT_GT(shrunk, 0) << "shrinking must have run for this test to mean anything";
}

}  // namespace
}  // namespace convcheck

namespace convcheck {
namespace {

// Only a 'same' convolution with an odd total padding is value-checked in every run: the side
// that takes the odd element changes no shape.
TEST(AlwaysValueChecked, OnlySamePaddingWithAnOddTotal) {
  ConvCase c = DefaultCase(Op::kConv1d, {1, 2, 9}, 3);
  c.padding_kind = PaddingKind::kSame;
  c.kernel = {4};  // total 3: (1, 2)
  EXPECT_TRUE(AlwaysValueChecked(c));
  c.kernel = {3};  // total 2: (1, 1)
  EXPECT_FALSE(AlwaysValueChecked(c));
  c.kernel = {4};
  c.dilation = {2};  // total 6: (3, 3)
  EXPECT_FALSE(AlwaysValueChecked(c));
  c.dilation = {1};
  c.stride = {2};  // refused: 'same' with a stride
  EXPECT_FALSE(AlwaysValueChecked(c));
  ConvCase explicit_pad = DefaultCase(Op::kConv1d, {1, 2, 9}, 3);
  explicit_pad.kernel = {4};
  EXPECT_FALSE(AlwaysValueChecked(explicit_pad));
}

}  // namespace
}  // namespace convcheck
