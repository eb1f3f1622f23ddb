// Sharding: four shard runs of a real RunConformance (LibTorch), merged with `report merge`'s
// MergeReports, give exactly the report of the unsharded run: same counts, same failures
// (signatures, occurrences, minimal cases), same known-deviation tallies, same kernel × stride.
#include <chrono>
#include <iostream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/run_report.h"
#include "engine/engine.h"
#include "case_io/case_json.h"
#include "reports/merge.h"
#include "reports/report_json.h"

namespace convcheck {
namespace {

constexpr uint64_t kSeed = 11;

// A planted fault, so the shrinking test has divergences to minimize whatever the state of the
// real backend: accepted conv2d/conv_transpose2d cases with stride 2 in the last dim report a
// last output dim one too large.
class PlantedFaultBackend : public Backend {
 public:
  explicit PlantedFaultBackend(Backend& inner) : inner_(inner) {}
  std::string Name() const override { return inner_.Name(); }
  std::string Version() const override { return inner_.Version(); }
  std::vector<Device> Devices() const override { return inner_.Devices(); }
  BackendOutcome Run(const ConvCase& c) override { return Plant(c, inner_.Run(c)); }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override {
    std::vector<BackendOutcome> out = inner_.RunBatch(cases);
    for (size_t i = 0; i < out.size(); ++i) out[i] = Plant(cases[i], std::move(out[i]));
    return out;
  }
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override {
    return inner_.RunPadded(c, pads);
  }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override { return RunPaddedEach(*this, calls); }

 private:
  static BackendOutcome Plant(const ConvCase& c, BackendOutcome o) {
    if (o.kind == BackendOutcome::Kind::kShape && SpatialRank(c.op) == 2 && c.stride.back() == 2) {
      o.shape.back() += 1;
    }
    return o;
  }

  Backend& inner_;
};

class ShardingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = MakeDefaultBackend();
    if (!backend_) GTEST_SKIP() << "built without LibTorch (CONVCHECK_WITH_TORCH=OFF): no backend to shard";
    const std::string dir = std::string(CONVCHECK_SOURCE_DIR) + "/corpus/known";
    const auto error = KnownDeviations::Load(dir, backend_->Name(), backend_->Version(), &known_);
    ASSERT_FALSE(error.has_value()) << *error;
  }

  report::Report Run(int index, int count, int64_t cases, bool shrink) {
    PlantedFaultBackend planted(*backend_);
    Backend& backend = shrink ? static_cast<Backend&>(planted) : *backend_;
    RunConfig config;
    config.seed = kSeed;
    config.cases = cases;
    config.quiet = true;
    config.shrink = shrink;
    config.shard_index = index;
    config.shard_count = count;
    std::ostringstream log;
    const auto start = std::chrono::system_clock::now();
    const RunSummary summary = RunConformance(config, backend, known_, log);
    return BuildRunReport(summary, config, MakeRunContext(*backend_, start), known_);
  }

  void ExpectFourShardsMergeToTheWhole(int64_t cases, bool shrink);

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

// Runs the unsharded stream and its 4 shards, merges the shards and compares every record.
void ShardingTest::ExpectFourShardsMergeToTheWhole(int64_t cases, bool shrink) {
  const report::Report whole = Run(0, 1, cases, shrink);
  std::vector<report::Report> shards;
  int64_t shard_cases = 0;
  for (int k = 0; k < 4; ++k) {
    shards.push_back(Run(k, 4, cases, shrink));
    const report::Context& c = shards.back().context;
    shard_cases += c.cases;
    EXPECT_EQ(c.cases, cases / 4) << "shard " << k;
    EXPECT_EQ(c.shards, std::vector<int>{k});
    int64_t tallied = 0;  // the kernel x stride recorder sees every drawn case exactly once
    for (const report::KernelStrideCount& ks : shards.back().kernel_stride) tallied += ks.cases;
    EXPECT_EQ(tallied, c.cases) << "shard " << k;
  }
  EXPECT_EQ(shard_cases, cases) << "the shards must partition the stream";
  const report::MergeResult merged = report::MergeReports(shards, {}, {});
  ASSERT_TRUE(merged.ok()) << merged.error;
  EXPECT_TRUE(merged.value->context.complete);
  EXPECT_EQ(merged.value->context.cases, whole.context.cases);
  const nlohmann::json a = report::ReportToJson(*merged.value), b = report::ReportToJson(whole);
  const std::string replay = "replay: convcheck run --seed " + std::to_string(kSeed) + " --cases " +
                             std::to_string(cases) + " [--shard k/4] --report r.json" +
                             (shrink ? "" : " --no-shrink") + "\n";
  for (const char* part : {"counts", "failures", "known", "kernel_stride", "totals", "heatmaps"}) {
    EXPECT_EQ(a[part], b[part]) << part << " differ\n" << replay << "merged failures:\n"
                                << Reproducers(*merged.value) << "unsharded failures:\n" << Reproducers(whole);
  }
  EXPECT_GT(whole.totals.checks, cases - 1) << "every case is checked at least once";
  if (shrink) {
    EXPECT_GT(whole.totals.signatures, 0) << "the planted fault must show up as a divergence";
  }
  std::cout << "unsharded: " << whole.totals.checks << " checks, " << whole.totals.unexpected
            << " unexpected (" << whole.totals.signatures << " signatures), " << whole.totals.xfail
            << " xfail; merged: " << merged.value->totals.checks << " checks\n";
}

TEST_F(ShardingTest, FourShardsMergeToTheUnshardedRun) { ExpectFourShardsMergeToTheWhole(400, false); }

// Minimizing divergences depends only on the drawn case, so shrunk failures (the minimal cases
// reports keep) are the same too; run against the planted fault so there are some to shrink.
// Fewer cases: shrinking costs up to 2000 backend calls each.
TEST_F(ShardingTest, FourShardsMergeToTheUnshardedRunWithShrinking) {
  ExpectFourShardsMergeToTheWhole(100, true);
}

}  // namespace
}  // namespace convcheck
