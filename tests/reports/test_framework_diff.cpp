// `report diff` per framework: two nights of a several-backend run (one report per framework)
// are diffed framework by framework, so a new OpenCV divergence is OpenCV's alone, LibTorch's
// unchanged rows stay quiet, a framework added or dropped is said, and the CLI finds a run's
// per-backend reports from its --report path.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "fixture_report.h"
#include "reports/framework_diff.h"
#include "reports/report_json.h"
#include "reports/summarize.h"
#include "tests/support/run_cli.h"

namespace convcheck::report {
namespace {

Report Of(const std::string& framework, const std::string& version) {
  Report r = testing::FixedReport();
  r.context.framework = framework;
  r.context.framework_version = version;
  for (Failure& f : r.failures) f.backend = framework;
  return r;
}

// `r` with one more failure signature (a new divergence).
Report WithNewFailure(Report r) {
  Failure fresh = r.failures[0];
  fresh.where = "dim 3";
  fresh.property = "ValuesAgreeAcrossEngines";
  r.failures.push_back(fresh);
  Summarize(&r);
  return r;
}

TEST(FrameworkDiff, ANewDivergenceBelongsToItsFrameworkOnly) {
  const std::vector<Report> before = {Of("libtorch", "1.13.1"), Of("opencv", "4.6.0")};
  const std::vector<Report> after = {Of("libtorch", "1.13.1"), WithNewFailure(Of("opencv", "4.6.0"))};
  ReportSetDiff d;
  std::string error;
  ASSERT_TRUE(DiffReportSets(before, after, &d, &error)) << error;
  ASSERT_EQ(d.frameworks.size(), 2u);
  EXPECT_EQ(d.frameworks[0].framework, "libtorch");
  EXPECT_TRUE(d.frameworks[0].diff.new_failures.empty());
  EXPECT_TRUE(d.frameworks[0].diff.warnings.empty()) << "paired by framework: like for like";
  EXPECT_EQ(d.frameworks[1].framework, "opencv");
  ASSERT_EQ(d.frameworks[1].diff.new_failures.size(), 1u);
  EXPECT_EQ(d.frameworks[1].diff.new_failures[0].property, "ValuesAgreeAcrossEngines");
  EXPECT_EQ(DiffExitCode(d, false), 1);
  std::ostringstream md;
  WriteDiffMarkdown(d, md);
  EXPECT_NE(md.str().find("| opencv | 1 | 0 | 0 | 0 |"), std::string::npos) << md.str();
  EXPECT_NE(md.str().find("## convcheck diff, libtorch: 0 new"), std::string::npos) << md.str();
  EXPECT_NE(md.str().find("## convcheck diff, opencv: 1 new"), std::string::npos) << md.str();
}

TEST(FrameworkDiff, AFrameworkInOneSetOnlyIsSaidAndANewOneCountsAsNew) {
  const std::vector<Report> before = {Of("libtorch", "1.13.1"), Of("onnx", "1.12.0")};
  const std::vector<Report> after = {Of("libtorch", "1.13.1"), Of("opencv", "4.6.0")};
  ReportSetDiff d;
  std::string error;
  ASSERT_TRUE(DiffReportSets(before, after, &d, &error)) << error;
  EXPECT_EQ(d.warnings, (std::vector<std::string>{"onnx: no report after (not run; not diffed)",
                                                  "opencv: no report before (every failure counts as new)"}));
  ASSERT_EQ(d.frameworks.size(), 2u);
  EXPECT_EQ(d.frameworks[1].diff.new_failures.size(), after[1].failures.size());
  EXPECT_FALSE(DiffReportSets({Of("opencv", "4.6.0"), Of("opencv", "4.5.0")}, after, &d, &error));
  EXPECT_EQ(error, "two BEFORE reports of framework \"opencv\"");
}

// The night's run had a divergence of a new property; the next night an existing record of
// the framework lists that property too: now known, not fixed.
TEST(FrameworkDiff, ARecordThatNowListsTheFailingPropertyMakesItNowKnownNotFixed) {
  Report before = WithNewFailure(Of("opencv", "4.6.0"));
  before.known.push_back({"opencv-4.6-same-autopad", "ValuesMatchReference, ShapeAgrees", "", 0, 3});
  Report after = Of("opencv", "4.6.0");
  after.known.push_back({"opencv-4.6-same-autopad", "ValuesMatchReference, ValuesAgreeAcrossEngines, ShapeAgrees", "", 2, 3});
  Summarize(&before);
  Summarize(&after);
  ReportSetDiff d;
  std::string error;
  ASSERT_TRUE(DiffReportSets({before}, {after}, &d, &error)) << error;
  ASSERT_EQ(d.frameworks.size(), 1u);
  EXPECT_TRUE(d.frameworks[0].diff.fixed.empty());
  ASSERT_EQ(d.frameworks[0].diff.now_known.size(), 1u);
  EXPECT_EQ(d.frameworks[0].diff.now_known[0].known_ids, std::vector<std::string>{"opencv-4.6-same-autopad"});
  // A record that listed the property already, or explains nothing, does not count.
  for (KnownRow& k : before.known) {
    if (k.id == "opencv-4.6-same-autopad") k.property = "ValuesMatchReference, ValuesAgreeAcrossEngines, ShapeAgrees";
  }
  EXPECT_EQ(DiffReports(before, after).fixed.size(), 1u);
}

void Write(const std::filesystem::path& path, const Report& r) {
  std::ofstream out(path);
  WriteJson(r, out);
}

TEST(FrameworkDiff, TheCliDiffsASeveralBackendRunByItsReportPath) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(::testing::TempDir()) / "convcheck_framework_diff";
  fs::remove_all(dir);
  fs::create_directories(dir / "a");
  fs::create_directories(dir / "b");
  Write(dir / "a" / "r.libtorch.json", Of("libtorch", "1.13.1"));
  Write(dir / "a" / "r.opencv.json", Of("opencv", "4.6.0"));
  Write(dir / "b" / "r.libtorch.json", Of("libtorch", "1.13.1"));
  Write(dir / "b" / "r.opencv.json", WithNewFailure(Of("opencv", "4.6.0")));
  std::ofstream(dir / "b" / "r.notes.json") << "{\"not\": \"a report of framework notes\"}";
  std::string out;
  const std::string a = (dir / "a" / "r.json").string(), b = (dir / "b" / "r.json").string();
  EXPECT_EQ(convcheck::testing::RunCli("report diff " + a + " " + b, &out), 2) << out
      << "a sibling that is not a report is an error, not a silent pass";
  fs::remove(dir / "b" / "r.notes.json");
  EXPECT_EQ(convcheck::testing::RunCli("report diff " + a + " " + b, &out), 1) << out;
  EXPECT_NE(out.find("| libtorch | 0 | 0 | 0 | 0 | 0 |"), std::string::npos) << out;
  EXPECT_NE(out.find("| opencv | 1 | 0 | 0 | 0 |"), std::string::npos) << out;
  // One framework's pair alone is the plain diff, as before.
  EXPECT_EQ(convcheck::testing::RunCli("report diff " + (dir / "a" / "r.libtorch.json").string() + " " +
                                           (dir / "b" / "r.libtorch.json").string(), &out), 0) << out;
  EXPECT_NE(out.find("## convcheck diff: 0 new"), std::string::npos) << out;
  EXPECT_EQ(convcheck::testing::RunCli("report diff " + (dir / "a" / "none.json").string() + " " + b, &out), 2) << out;
  EXPECT_NE(out.find("no such report, nor per-backend reports beside it"), std::string::npos) << out;
}

}  // namespace
}  // namespace convcheck::report
