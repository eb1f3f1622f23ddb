// Sharding: four shard runs of a real RunConformance (LibTorch), merged with `report merge`'s
// MergeReports, give exactly the report of the unsharded run: same counts, same failures
// (signatures, occurrences, minimal cases), same known-deviation tallies, same kernel × stride.
#include <chrono>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/run_report.h"
#include "harness/runner.h"
#include "oracles/io/case_json.h"
#include "reports/merge.h"
#include "reports/report_json.h"

namespace convcheck {
namespace {

constexpr uint64_t kSeed = 11;
constexpr int64_t kCases = 400;

class ShardingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = MakeDefaultBackend();
    if (!backend_) GTEST_SKIP() << "built without LibTorch (CONVCHECK_WITH_TORCH=OFF): no backend to shard";
    const std::string dir = std::string(CONVCHECK_SOURCE_DIR) + "/corpus/known";
    const auto error = KnownDeviations::Load(dir, backend_->Name(), backend_->Version(), &known_);
    ASSERT_FALSE(error.has_value()) << *error;
  }

  report::Report Run(int index, int count) {
    RunConfig config;
    config.seed = kSeed;
    config.cases = kCases;
    config.quiet = true;
    config.shard_index = index;
    config.shard_count = count;
    KernelStrideRecorder recorder(*backend_, known_, config.memory_limit_bytes);
    std::ostringstream log;
    const auto start = std::chrono::system_clock::now();
    const RunSummary summary = RunConformance(config, recorder, known_, log);
    return BuildRunReport(summary, config, MakeRunContext(*backend_, start), known_, recorder.counts());
  }

  std::unique_ptr<Backend> backend_;
  KnownDeviations known_;
};

// The failures with their case JSON and reproducers: what a failing comparison must print.
std::string Reproducers(const report::Report& r) {
  std::string out;
  for (const report::Failure& f : r.failures) {
    out += "  " + report::Signature(f) + " x" + std::to_string(f.occurrences) + ": " +
           CaseToJsonLine(f.minimal_case) + "\n    " + f.python_repro + "\n";
  }
  return out;
}

TEST_F(ShardingTest, FourShardsMergeToTheUnshardedRun) {
  const report::Report whole = Run(0, 1);
  std::vector<report::Report> shards;
  int64_t shard_cases = 0;
  for (int k = 0; k < 4; ++k) {
    shards.push_back(Run(k, 4));
    shard_cases += shards.back().context.cases;
  }
  EXPECT_EQ(shard_cases, kCases) << "the shards must partition the stream";
  const report::MergeResult merged = report::MergeReports(shards, {}, {});
  ASSERT_TRUE(merged.ok()) << merged.error;
  EXPECT_TRUE(merged.value->context.complete);
  EXPECT_EQ(merged.value->context.cases, whole.context.cases);
  const nlohmann::json a = report::ReportToJson(*merged.value), b = report::ReportToJson(whole);
  const std::string replay = "replay: convcheck run --seed " + std::to_string(kSeed) + " --cases " +
                             std::to_string(kCases) + " [--shard k/4] --report r.json\n";
  for (const char* part : {"counts", "failures", "known", "kernel_stride", "totals", "heatmaps"}) {
    EXPECT_EQ(a[part], b[part]) << part << " differ\n" << replay << "merged failures:\n"
                                << Reproducers(*merged.value) << "unsharded failures:\n" << Reproducers(whole);
  }
  EXPECT_GT(whole.totals.checks, kCases - 1) << "every case is checked at least once";
}

TEST_F(ShardingTest, KernelStrideRecorderCountsEveryDrawnCaseOnce) {
  const report::Report r = Run(1, 2);
  int64_t tallied = 0;
  for (const report::KernelStrideCount& k : r.kernel_stride) tallied += k.cases;
  EXPECT_EQ(tallied, r.context.cases);
  EXPECT_EQ(r.context.cases, kCases / 2);
  EXPECT_EQ(r.context.shards, std::vector<int>{1});
  EXPECT_EQ(r.context.shard_count, 2);
}

}  // namespace
}  // namespace convcheck
