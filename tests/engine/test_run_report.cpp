// Converting runner results into the report model, --shard parsing and the progress display.
#include <sstream>

#include <gtest/gtest.h>

#include "engine/progress.h"
#include "engine/run_report.h"
#include "case_io/case_json.h"
#include "reports/report.h"

namespace convcheck {
namespace {

TEST(RunReport, VerdictMirrorsVerdictByName) {
  for (size_t v = 0; v < kVerdictCount; ++v) {
    EXPECT_STREQ(VerdictName(static_cast<Verdict>(v)),
                 VerdictName(static_cast<Verdict>(v)));
    EXPECT_EQ(!IsAgreement(static_cast<Verdict>(v)) && static_cast<Verdict>(v) != Verdict::kSkipped,
              IsFailure(static_cast<Verdict>(v)));
  }
}

TEST(RunReport, FailureWhereNamesTheRuleOrTheFirstDifferingDim) {
  ConvCase c = DefaultCase(Op::kConv2d, {1, 3, 8, 8}, 4);
  c.kernel = {3, 3};
  CaseResult shape = Judge(c, OutputShape(c), BackendOutcome::Shape({1, 4, 6, 7}), 1 << 30);
  EXPECT_EQ(FailureWhere(shape), "dim 3") << CaseToJsonLine(c);
  c.kernel = {9, 9};
  CaseResult rule = Judge(c, OutputShape(c), BackendOutcome::Shape({1, 4, 1, 1}), 1 << 30);
  EXPECT_EQ(FailureWhere(rule), "kernel_exceeds_input") << CaseToJsonLine(c);
  c.kernel = {3, 3};
  CaseResult refused = Judge(c, OutputShape(c), BackendOutcome::Rejected("no"), 1 << 30);
  EXPECT_EQ(FailureWhere(refused), "") << CaseToJsonLine(c);
}

TEST(RunReport, BuildsCountsFailuresAndContextFromASummary) {
  ConvCase c = DefaultCase(Op::kConv1d, {1, 2, 5}, 3);
  RunSummary s;
  s.seed = 9;
  s.cases = 2;
  s.interrupted = true;
  s.tallies[{"ShapeAgrees", Op::kConv1d, Device::kCpu, DType::kFloat32}].by_verdict[1] = 2;
  CaseResult r = Judge(c, OutputShape(c), BackendOutcome::Shape({1, 3, 6}), 1 << 30);
  r.property = "ShapeAgrees";
  s.divergences = {r, r};
  RunConfig config;
  config.shard_index = 2;
  config.shard_count = 3;
  const report::Report rep = BuildRunReport(s, config, RunContext{"libtorch", "1.13.1", {"cpu"}, "x", {}, {}},
                                            KnownDeviations{});
  ASSERT_EQ(rep.failures.size(), 1u);
  EXPECT_EQ(rep.failures[0].occurrences, 2);
  EXPECT_EQ(report::Signature(rep.failures[0]), "ShapeAgrees/shape_mismatch/conv1d/float32/cpu/dim 2")
      << CaseToJsonLine(c);
  EXPECT_EQ(rep.totals.unexpected, 2);
  EXPECT_FALSE(rep.context.complete) << "an interrupted run is an incomplete report";
  EXPECT_EQ(rep.context.shards, std::vector<int>{2});
  EXPECT_EQ(rep.context.seed, 9u);
}

TEST(ShardSpec, CountsFromOneOnTheCommandLineAndFromZeroInJobCompletionIndex) {
  int i = -1, n = -1;
  std::string error;
  EXPECT_TRUE(ParseShardSpec("1/4", nullptr, &i, &n, &error)) << error;
  EXPECT_EQ(i, 0);
  EXPECT_EQ(n, 4);
  EXPECT_TRUE(ParseShardSpec("4/4", nullptr, &i, &n, &error)) << error;
  EXPECT_EQ(i, 3);
  EXPECT_TRUE(ParseShardSpec("8", "5", &i, &n, &error));
  EXPECT_EQ(i, 5);
  EXPECT_EQ(n, 8);
  EXPECT_TRUE(ParseShardSpec("8", "0", &i, &n, &error));
  EXPECT_EQ(i, 0);
  EXPECT_TRUE(ParseShardSpec("2/8", "5", &i, &n, &error)) << "an explicit index wins";
  EXPECT_EQ(i, 1);
  for (const char* bad : {"0/4", "5/4", "-1/4", "1/0", "a/4", "1/4x", "8"}) {
    EXPECT_FALSE(ParseShardSpec(bad, nullptr, &i, &n, &error)) << bad;
  }
  EXPECT_FALSE(ParseShardSpec("0/4", nullptr, &i, &n, &error));
  EXPECT_NE(error.find("1 <= i <= N"), std::string::npos) << error;
  EXPECT_FALSE(ParseShardSpec("4", "4", &i, &n, &error));
  EXPECT_NE(error.find("JOB_COMPLETION_INDEX must be 0 <= i < N"), std::string::npos) << error;
}

TEST(Progress, FormatsRateEtaAndDivergences) {
  EXPECT_EQ(FormatProgress({1000, 20000, 2.0, 3}),
            "1000/20000 cases (5.0%), 500 cases/s, 3 divergences, ETA 0:00:38");
  EXPECT_EQ(FormatProgress({1000, -1, 3725.0, 0}), "1000 cases, 0 cases/s, 0 divergences, 1:02:05 elapsed");
}

TEST(Progress, LinesModePrintsAtMostOneLinePerInterval) {
  std::ostringstream os;
  ProgressPrinter p(os, ProgressMode::kLines, 10);
  for (double t : {1.0, 9.0, 10.5, 12.0, 20.4, 20.6}) p.Update({1, 10, t, 0});
  p.Finish();
  const std::string out = os.str();
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos) << "no carriage returns in CI logs";
}

TEST(Progress, LiveModeRedrawsOneLineAndEndsIt) {
  std::ostringstream os;
  ProgressPrinter p(os, ProgressMode::kLive, 10);
  p.Update({1, 10, 1, 0});
  p.Update({2, 10, 2, 1});
  p.Finish();
  const std::string out = os.str();
  EXPECT_EQ(std::count(out.begin(), out.end(), '\r'), 2);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
  EXPECT_EQ(ChooseProgressMode("auto", /*quiet=*/true), ProgressMode::kOff);
  EXPECT_EQ(ChooseProgressMode("lines", true), ProgressMode::kLines);
}

}  // namespace
}  // namespace convcheck
