// Merging shard reports and diffing nights: merge equals the whole in any order, refuses
// mismatched runs unless forced, marks missing shards incomplete; diff finds new, fixed, xpass
// and changed counts, and its exit code gates only on new divergences.
#include <algorithm>
#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <rapidcheck/gtest.h>

#include "fixture_report.h"
#include "oracles/io/case_json.h"
#include "reports/diff.h"
#include "reports/merge.h"
#include "reports/report_json.h"
#include "reports/summarize.h"

namespace convcheck::report {
namespace {

// Everything but the context (which legitimately differs: shards, times).
nlohmann::json Records(const Report& r) {
  nlohmann::json j = ReportToJson(r);
  j.erase("context");
  return j;
}

Report Shard(int index, int count) {
  Report r;
  r.context.seed = 3;
  r.context.framework = "libtorch";
  r.context.framework_version = "1.13.1";
  r.context.shard_count = count;
  r.context.shards = {index};
  return r;
}

// One checked case as the property generates it: which signature, the case's size, which
// shard drew it.
struct Drawn {
  int signature;
  int size;
  int shard;
};

void AddDrawn(const Drawn& d, Report* r) {
  static const char* kProps[] = {"ShapeAgrees", "ValidityAgrees", "RoundTripRestoresInput"};
  Failure f;
  f.property = kProps[d.signature % 3];
  f.verdict = d.signature < 3 ? VerdictKind::kShapeMismatch : VerdictKind::kCrash;
  f.op = Op::kConv1d;
  f.occurrences = 1;
  f.minimal_case = DefaultCase(Op::kConv1d, {1, 1, d.size}, 1);
  f.expectation = "valid: size " + std::to_string(d.size);
  AddFailure(f, &r->failures);
  CountsRow row{f.property, Op::kConv1d, Device::kCpu, DType::kFloat32, {}, d.signature == 5 ? 1 : 0};
  row.by_verdict[static_cast<size_t>(f.verdict)] = 1;
  AddCounts(row, &r->counts);
  AddKernelStride({std::to_string(d.size % 3 + 1), "1", 1, 1}, &r->kernel_stride);
  AddKnown({"dev-" + std::to_string(d.signature % 2), "ShapeAgrees", "", d.signature % 2, 1}, &r->known);
}

RC_GTEST_PROP(ReportMerge, ShardsMergeToTheUnshardedReportInAnyOrder, ()) {
  const int n = *rc::gen::inRange(1, 6);
  const auto drawn = *rc::gen::container<std::vector<Drawn>>(rc::gen::build<Drawn>(
      rc::gen::set(&Drawn::signature, rc::gen::inRange(0, 6)),
      rc::gen::set(&Drawn::size, rc::gen::inRange(1, 40)),
      rc::gen::set(&Drawn::shard, rc::gen::inRange(0, n))));
  Report whole = Shard(0, 1);
  std::vector<Report> shards;
  for (int k = 0; k < n; ++k) shards.push_back(Shard(k, n));
  for (const Drawn& d : drawn) {
    AddDrawn(d, &whole);
    AddDrawn(d, &shards[d.shard]);
  }
  Summarize(&whole);
  for (Report& s : shards) Summarize(&s);
  std::vector<Report> order = shards;
  std::shuffle(order.begin(), order.end(), std::mt19937(*rc::gen::arbitrary<unsigned>()));
  const MergeResult merged = MergeReports(order, {}, {});
  RC_ASSERT(merged.ok());
  RC_ASSERT(merged.value->context.complete);
  for (const Failure& f : merged.value->failures) RC_LOG() << CaseToJsonLine(f.minimal_case) << "\n";
  RC_ASSERT(Records(*merged.value) == Records(whole));
}

TEST(ReportMerge, RefusesDifferentSeedsAndVersionsUnlessForced) {
  Report a = Shard(0, 2), b = Shard(1, 2);
  b.context.seed = 4;
  MergeResult m = MergeReports({a, b}, {"a.json", "b.json"}, {});
  EXPECT_FALSE(m.ok());
  EXPECT_EQ(m.error, "b.json: seed 4 differs from 3 (use --force to merge anyway)");
  b.context.seed = 3;
  b.context.framework_version = "2.1.0";
  EXPECT_NE(MergeReports({a, b}, {"a.json", "b.json"}, {}).error.find("framework libtorch 2.1.0"),
            std::string::npos);
  m = MergeReports({a, b}, {"a.json", "b.json"}, {/*force=*/true});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m.warnings.size(), 1u);
}

TEST(ReportMerge, MissingOrRepeatedShards) {
  MergeResult m = MergeReports({Shard(0, 3), Shard(2, 3)}, {}, {});
  ASSERT_TRUE(m.ok()) << m.error;
  EXPECT_FALSE(m.value->context.complete);
  EXPECT_EQ(m.warnings, (std::vector<std::string>{"shards missing: 1 of 3 (report marked incomplete)"}));
  EXPECT_FALSE(MergeReports({Shard(0, 2), Shard(0, 2), Shard(1, 2)}, {}, {}).ok());
  Report interrupted = Shard(1, 2);
  interrupted.context.complete = false;
  m = MergeReports({Shard(0, 2), interrupted}, {}, {});
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m.value->context.complete);
}

TEST(ReportMerge, KeepsTheMinimalCaseAndSumsOccurrences) {
  Report a = testing::FixedReport(), b = testing::FixedReport();
  a.context.shard_count = b.context.shard_count = 2;
  b.context.shards = {1};
  b.failures[0].minimal_case.input = {1, 2, 3, 3};  // same JSON length: lexicographic order decides
  b.failures[0].minimal_case.stride = {1, 1};
  const MergeResult m = MergeReports({a, b}, {}, {});
  ASSERT_TRUE(m.ok());
  const Failure& f = m.value->failures[0];
  EXPECT_EQ(f.occurrences, 2 * a.failures[0].occurrences);
  const bool b_first = MinimalFirst(b.failures[0].minimal_case, a.failures[0].minimal_case);
  EXPECT_EQ(f.minimal_case, b_first ? b.failures[0].minimal_case : a.failures[0].minimal_case)
      << CaseToJsonLine(f.minimal_case);
  EXPECT_EQ(m.value->totals.checks, 2 * a.totals.checks);
  EXPECT_EQ(m.value->known[0].xfail + m.value->known[1].xfail, 4);
}

TEST(ReportDiff, FindsNewFixedXpassAndChangedCounts) {
  const Report before = testing::FixedReport();
  Report after = before;
  after.failures.erase(after.failures.begin());  // one signature fixed
  Failure fresh = before.failures[0];
  fresh.where = "dim 3";                         // a new signature
  after.failures.push_back(fresh);
  after.known[1].xfail = 0;                      // the xfail deviation now passes: new xpass
  after.known[1].family_agreed = 5;
  after.counts[0].by_verdict[static_cast<size_t>(VerdictKind::kShapeMismatch)] += 4;
  Summarize(&after);
  const ReportDiff d = DiffReports(before, after);
  ASSERT_EQ(d.new_failures.size(), 1u);
  EXPECT_EQ(Signature(d.new_failures[0]), Signature(fresh));
  ASSERT_EQ(d.fixed.size(), 1u);
  EXPECT_EQ(Signature(d.fixed[0]), Signature(before.failures[0]));
  EXPECT_EQ(d.new_xpass, (std::vector<std::string>{"torch-1.13-transpose-extra-row"}));
  ASSERT_EQ(d.changed.size(), 1u);
  EXPECT_EQ(d.changed[0].unexpected_after - d.changed[0].unexpected_before, 4);
  EXPECT_EQ(DiffExitCode(d, false), 1);
}

TEST(ReportDiff, ExitCodeIsZeroWithoutNewDivergences) {
  const Report before = testing::FixedReport();
  Report after = before;
  after.failures.pop_back();
  Summarize(&after);
  const ReportDiff d = DiffReports(before, after);
  EXPECT_TRUE(d.new_failures.empty());
  EXPECT_EQ(DiffExitCode(d, false), 0);
  EXPECT_EQ(DiffExitCode(DiffReports(before, before), true), 0);
  after.context.complete = false;
  EXPECT_EQ(DiffExitCode(DiffReports(before, after), true), 1);
}

}  // namespace
}  // namespace convcheck::report
