// Merging shard reports and diffing nights: merge equals the whole in any order (skip reasons
// included), refuses mismatched runs unless forced and missing shards unless allowed (then marks
// the report incomplete); diff finds new, fixed, now-known, xpass and changed counts, warns when
// the runs are not like for like, and its exit code gates only on new divergences.
#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <sys/wait.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <rapidcheck/gtest.h>

#include "fixture_report.h"
#include "case_io/case_json.h"
#include "reports/diff.h"
#include "reports/merge.h"
#include "reports/report_json.h"
#include "reports/summarize.h"
#include "tests/support/run_cli.h"

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
  f.verdict = d.signature < 3 ? Verdict::kShapeMismatch : Verdict::kCrash;
  f.op = Op::kConv1d;
  f.occurrences = 1;
  f.minimal_case = DefaultCase(Op::kConv1d, {1, 1, d.size}, 1);
  f.expectation = "valid: size " + std::to_string(d.size);
  AddFailure(f, &r->failures);
  CountsRow row{f.property, Op::kConv1d, Device::kCpu, DType::kFloat32, {}, d.signature == 5 ? 1 : 0, {}};
  row.by_verdict[static_cast<size_t>(f.verdict)] = 1;
  if (d.size % 4 == 0) {  // a skipped check too, for one of two reasons
    row.by_verdict[static_cast<size_t>(Verdict::kSkipped)] = 1;
    row.skipped_by_reason = {{d.size % 8 == 0 ? "no CUDA device" : "work cap", 1}};
  }
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
  EXPECT_FALSE(m.ok());
  EXPECT_EQ(m.error, "shards missing: 1 of 3 (use --allow-incomplete to merge anyway)");
  EXPECT_EQ(MergeReports({Shard(2, 4), Shard(1, 4)}, {}, {}).error,
            "shards missing: 0,3 of 4 (use --allow-incomplete to merge anyway)");
  MergeOptions allow;
  allow.allow_incomplete = true;
  m = MergeReports({Shard(0, 3), Shard(2, 3)}, {}, allow);
  ASSERT_TRUE(m.ok()) << m.error;
  EXPECT_FALSE(m.value->context.complete);
  EXPECT_EQ(m.value->context.shards, (std::vector<int>{0, 2}));
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

TEST(ReportMerge, SumsSkipReasons) {
  Report a = testing::FixedReport(), b = testing::FixedReport();
  a.context.shard_count = b.context.shard_count = 2;
  b.context.shards = {1};
  b.counts[0].skipped_by_reason = {{"no CUDA device", 42}, {"out of memory", 1}};
  Summarize(&b);
  const MergeResult m = MergeReports({a, b}, {}, {});
  ASSERT_TRUE(m.ok()) << m.error;
  const CountsRow& devices = m.value->counts[0];
  ASSERT_EQ(devices.property, "DevicesAgree");
  EXPECT_EQ(devices.of(Verdict::kSkipped), 86);
  EXPECT_EQ(devices.skipped_by_reason,
            (std::map<std::string, int64_t>{{"no CUDA device", 82}, {"out of memory", 1}, {"work cap", 3}}));
  EXPECT_EQ(m.value->totals.skipped_by_reason.at("reason not recorded"), 2);
}

int Cli(const std::string& args, std::string* out) { return convcheck::testing::RunCli(args, out); }

std::string WriteTemp(const std::string& name, const Report& r) {
  const std::string path = ::testing::TempDir() + "convcheck_report_test_" + name;
  std::ofstream(path) << ReportToJson(r).dump(2);
  return path;
}

TEST(ReportCli, MergeRefusesMissingShardsUnlessAllowed) {
  Report s0 = testing::FixedReport(), s2 = testing::FixedReport();
  s0.context.shard_count = s2.context.shard_count = 4;
  s2.context.shards = {2};
  const std::string a = WriteTemp("s0.json", s0), b = WriteTemp("s2.json", s2);
  const std::string merged = ::testing::TempDir() + "convcheck_report_test_merged.json";
  std::remove(merged.c_str());
  std::string out;
  EXPECT_EQ(Cli("report merge " + a + " " + b + " -o " + merged, &out), 2) << out;
  EXPECT_EQ(out, "convcheck report merge: shards missing: 1,3 of 4 (use --allow-incomplete to merge anyway)\n");
  EXPECT_FALSE(std::ifstream(merged).good()) << "nothing written";
  EXPECT_EQ(Cli("report merge " + a + " " + b + " -o " + merged + " --allow-incomplete", &out), 0) << out;
  EXPECT_NE(out.find("warning: shards missing: 1,3 of 4 (report marked incomplete)"), std::string::npos) << out;
  EXPECT_NE(out.find("(incomplete)"), std::string::npos) << out;
  std::stringstream text;
  text << std::ifstream(merged).rdbuf();
  const ReportParseResult back = ParseReportText(text.str());
  ASSERT_TRUE(back.ok()) << back.error;
  EXPECT_FALSE(back.value->context.complete);
  EXPECT_EQ(back.value->counts[0].skipped_by_reason.at("no CUDA device"), 80);
}

TEST(ReportCli, DiffWarnsWhenRunsAreNotLikeForLike) {
  const Report before = testing::FixedReport();
  Report after = before;
  after.context.seed = 8;
  const std::string a = WriteTemp("before.json", before), b = WriteTemp("after.json", after);
  std::string out;
  EXPECT_EQ(Cli("report diff " + a + " " + b, &out), 0) << out;
  EXPECT_NE(out.find("convcheck report diff: warning: seed differs: 7 → 8\n"), std::string::npos) << out;
  EXPECT_NE(out.find("> **Warning**: the reports are not like for like: seed differs: 7 → 8.\n"),
            std::string::npos) << out;
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
  after.counts[0].by_verdict[static_cast<size_t>(Verdict::kShapeMismatch)] += 4;
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

TEST(ReportDiff, WarnsWhenTheRunsDifferInSeedBudgetFrameworkOrKnownDeviations) {
  const Report before = testing::FixedReport();
  EXPECT_TRUE(DiffReports(before, before).warnings.empty());
  Report after = before;
  after.context.start_time = "2000-01-01T00:00:00Z";  // times, shards, cases: not warned about
  after.context.cases = 5;
  EXPECT_TRUE(DiffReports(before, after).warnings.empty());
  after.context.seed = 8;
  after.context.budget_cases = 0;
  after.context.budget_seconds = 60;
  after.context.framework_version = "2.1.0";
  after.known.erase(after.known.begin());               // torch-1.13-bf16-refusal (sorted first)
  after.known.push_back({"zz-new", "ShapeAgrees", "", 0, 0});
  after.known.push_back({"aa-new", "ShapeAgrees", "", 0, 0});
  Summarize(&after);
  const ReportDiff d = DiffReports(before, after);
  EXPECT_EQ(d.warnings, (std::vector<std::string>{
                            "seed differs: 7 → 8",
                            "budget differs: 1000 cases → 60.00 s",
                            "framework differs: libtorch 1.13.1 → libtorch 2.1.0",
                            "known deviations differ: added aa-new, zz-new; removed torch-1.13-bf16-refusal"}));
  EXPECT_EQ(DiffExitCode(d, true), 0) << "warnings do not change the exit code";
  std::ostringstream md;
  WriteDiffMarkdown(d, md);
  EXPECT_NE(md.str().find("> **Warning**: the reports are not like for like: seed differs: 7 → 8.\n"),
            std::string::npos) << md.str();
}

TEST(ReportDiff, ASignatureExplainedByANewlyAddedKnownDeviationIsNowKnownNotFixed) {
  const Report before = testing::FixedReport();
  const Failure& shape = before.failures[0];  // ShapeAgrees/shape_mismatch/conv_transpose2d/float32/dim 2
  ASSERT_EQ(shape.property, "ShapeAgrees");
  Report after = before;
  after.failures.erase(after.failures.begin());
  after.known.push_back({"torch-1.13-transpose-dim2", "ShapeAgrees", "", 3, 0});
  Summarize(&after);
  ReportDiff d = DiffReports(before, after);
  EXPECT_TRUE(d.fixed.empty());
  ASSERT_EQ(d.now_known.size(), 1u);
  EXPECT_EQ(Signature(d.now_known[0].failure), Signature(shape));
  EXPECT_EQ(d.now_known[0].known_ids, (std::vector<std::string>{"torch-1.13-transpose-dim2"}));
  std::ostringstream md;
  WriteDiffMarkdown(d, md);
  EXPECT_NE(md.str().find("0 fixed, 1 now known"), std::string::npos) << md.str();
  EXPECT_NE(md.str().find("- `" + Signature(shape) + "` → torch-1.13-transpose-dim2\n"), std::string::npos)
      << md.str();
  EXPECT_EQ(DiffExitCode(d, false), 0);

  // Not explained by it: the new deviation explains nothing (xfail 0), is of another property,
  // or was already known before. Then the signature is fixed.
  for (const KnownRow& k : {KnownRow{"new-unseen", "ShapeAgrees", "", 0, 0},
                            KnownRow{"new-other", "ValidityAgrees", "", 3, 0}}) {
    Report a = before;
    a.failures.erase(a.failures.begin());
    a.known.push_back(k);
    Summarize(&a);
    d = DiffReports(before, a);
    EXPECT_TRUE(d.now_known.empty()) << k.id;
    EXPECT_EQ(d.fixed.size(), 1u) << k.id;
  }
  Report a = before;
  a.failures.erase(a.failures.begin());
  ASSERT_EQ(a.known[1].property, "ShapeAgrees");
  a.known[1].xfail += 3;  // an old deviation: the signature disappeared for another reason
  Summarize(&a);
  d = DiffReports(before, a);
  EXPECT_TRUE(d.now_known.empty());
  EXPECT_EQ(d.fixed.size(), 1u);
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
