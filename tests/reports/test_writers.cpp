// Golden tests of every writer on the fixed report, and the properties writers must keep
// (escaping, explicit NaN, JSON round trip, every skip with its reason). Regenerate goldens:
// CONVCHECK_UPDATE_GOLDEN=1.
#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fixture_report.h"
#include "reports/html_writer.h"
#include "reports/junit_writer.h"
#include "reports/markdown_writer.h"
#include "reports/report_json.h"
#include "reports/summarize.h"

namespace convcheck::report {
namespace {

using testing::CheckGolden;
using testing::FixedReport;

template <typename Writer>
std::string Render(const Report& r, Writer write) {
  std::ostringstream os;
  write(r, os);
  return os.str();
}

TEST(ReportWriters, JsonMatchesGolden) {
  const Report r = FixedReport();
  EXPECT_EQ(CheckGolden("report.json", Render(r, WriteJson), r), "");
}

TEST(ReportWriters, JUnitMatchesGolden) {
  const Report r = FixedReport();
  EXPECT_EQ(CheckGolden("report.xml", Render(r, WriteJUnit), r), "");
}

TEST(ReportWriters, MarkdownMatchesGolden) {
  const Report r = FixedReport();
  EXPECT_EQ(CheckGolden("report.md", Render(r, WriteMarkdown), r), "");
}

TEST(ReportWriters, HtmlMatchesGolden) {
  const Report r = FixedReport();
  EXPECT_EQ(CheckGolden("report.html", Render(r, WriteHtml), r), "");
}

TEST(ReportWriters, GoldenMatcherRejectsAChangedByteAndAcceptsPlaceholders) {
  EXPECT_EQ(testing::GoldenMismatch("at {{TIME}} v{{VERSION}}\n", "at 2026-01-02T03:04:05Z v0.1.0\n"), "");
  EXPECT_NE(testing::GoldenMismatch("at {{TIME}}\n", "at 2026-01-02 03:04:05\n"), "");
  EXPECT_NE(testing::GoldenMismatch("count 3\n", "count 4\n"), "");
  EXPECT_NE(testing::GoldenMismatch("count 3\n", "count 3\nextra"), "");
}

TEST(ReportWriters, JsonRoundTripsThroughTheReader) {
  const Report r = FixedReport();
  const std::string first = Render(r, WriteJson);
  const ReportParseResult parsed = ParseReportText(first);
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  EXPECT_EQ(Render(*parsed.value, WriteJson), first);
}

TEST(ReportWriters, TimingsRoundTripAndReportsWithoutThemStillRead) {
  const Report r = FixedReport();
  nlohmann::json j = ReportToJson(r);
  ASSERT_EQ(j["timings"].size(), r.timings.size());
  EXPECT_EQ(j["timings"][0]["stage"], "backend");
  EXPECT_EQ(j["timings"][0]["seconds"], 2.5);
  j.erase("timings");  // a report written before issue #11
  const ReportParseResult old = ParseReportText(j.dump());
  ASSERT_TRUE(old.ok()) << old.error;
  EXPECT_TRUE(old.value->timings.empty());
}

TEST(ReportWriters, NonFiniteNumbersAreWrittenExplicitly) {
  Report r = FixedReport();
  r.context.seconds = std::nan("");
  r.context.budget_seconds = INFINITY;
  const nlohmann::json j = ReportToJson(r);
  EXPECT_EQ(j["context"]["seconds"], "NaN");
  EXPECT_EQ(j["context"]["budget_seconds"], "Infinity");
  // The kernel × stride heatmap has empty cells: their rate is NaN, written as such.
  const std::string text = j.dump();
  EXPECT_NE(text.find("\"rate\":\"NaN\""), std::string::npos);
  const ReportParseResult back = ParseReportText(text);
  ASSERT_TRUE(back.ok()) << back.error;
  EXPECT_TRUE(std::isnan(back.value->context.seconds));
  EXPECT_TRUE(std::isinf(back.value->context.budget_seconds));
}

TEST(ReportWriters, FrameworkMessagesAreEscapedInXmlAndHtml) {
  const Report r = FixedReport();
  for (const std::string& text : {Render(r, WriteJUnit), Render(r, WriteHtml)}) {
    EXPECT_EQ(text.find("<weight>"), std::string::npos);
    EXPECT_NE(text.find("&lt;weight&gt; &amp; &quot;input&quot;"), std::string::npos);
  }
  const std::string md = Render(r, WriteMarkdown);
  EXPECT_NE(md.find("fixed upstream? \\| see PR 2"), std::string::npos)
      << "a pipe in a table cell must be escaped";
}

TEST(ReportWriters, HtmlIsSelfContained) {
  const std::string html = Render(FixedReport(), WriteHtml);
  for (const char* external : {"src=", "@import", "url(", "<link"}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
  // Links stay inside the page (from an xfail count to its known deviation).
  for (size_t at = html.find("href="); at != std::string::npos; at = html.find("href=", at + 1)) {
    EXPECT_EQ(html.compare(at, 7, "href=\"#"), 0) << html.substr(at, 40);
  }
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("by kernel × stride"), std::string::npos);
  EXPECT_NE(html.find("by op × property"), std::string::npos);
}

TEST(ReportWriters, IncompleteRunIsMarkedInEveryFormat) {
  Report r = FixedReport();
  r.context.complete = false;
  EXPECT_NE(Render(r, WriteHtml).find("Incomplete run"), std::string::npos);
  EXPECT_NE(Render(r, WriteMarkdown).find("Incomplete run"), std::string::npos);
  EXPECT_NE(Render(r, WriteJUnit).find("type=\"incomplete\""), std::string::npos);
  EXPECT_EQ(ReportToJson(r)["context"]["complete"], false);
}

std::string CountsRowHtml(const std::string& html, const std::string& property) {
  const size_t at = html.find("<tr><td>" + property + "</td><td class=\"n\">");
  return at == std::string::npos ? "" : html.substr(at, html.find("</tr>", at) - at);
}

TEST(ReportWriters, JsonCarriesSkipReasonsAndReadsThemBack) {
  const Report r = FixedReport();
  const nlohmann::json j = ReportToJson(r);
  // counts are sorted: DevicesAgree, ShapeAgrees, ValidityAgrees.
  EXPECT_EQ(j["counts"][0]["skipped_reasons"], nlohmann::json({{"no CUDA device", 40}, {"work cap", 3}}));
  EXPECT_EQ(j["counts"][1]["skipped_reasons"], nlohmann::json::object());
  // Totals account for every skip: the one without a recorded reason too.
  EXPECT_EQ(j["totals"]["skipped_reasons"],
            nlohmann::json({{"no CUDA device", 40}, {"reason not recorded", 1}, {"work cap", 3}}));
  const ReportParseResult back = ParseReportText(j.dump());
  ASSERT_TRUE(back.ok()) << back.error;
  ASSERT_EQ(back.value->counts.size(), 3u);
  for (size_t i = 0; i < r.counts.size(); ++i) {
    EXPECT_EQ(back.value->counts[i].skipped_by_reason, r.counts[i].skipped_by_reason) << i;
  }
  EXPECT_EQ(back.value->totals.skipped_by_reason, r.totals.skipped_by_reason);
}

TEST(ReportReader, ValidatesSkipReasons) {
  const nlohmann::json good = ReportToJson(FixedReport());
  nlohmann::json j = good;
  j["counts"][0].erase("skipped_reasons");  // reports written before the field: no reasons
  ReportParseResult r = ParseReportText(j.dump());
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.value->counts[0].skipped_by_reason.empty());
  EXPECT_EQ(r.value->totals.skipped_by_reason.at("reason not recorded"), 44);
  j = good;
  j["counts"][0]["skipped_reasons"] = nlohmann::json::array();
  EXPECT_EQ(ParseReportText(j.dump()).error, "counts[0].skipped_reasons: expected an object of counts (array)");
  j = good;
  j["counts"][0]["skipped_reasons"]["work cap"] = -1;
  EXPECT_EQ(ParseReportText(j.dump()).error,
            "counts[0].skipped_reasons[\"work cap\"]: expected a non-negative integer (-1)");
  j["counts"][0]["skipped_reasons"]["work cap"] = "3";
  EXPECT_EQ(ParseReportText(j.dump()).error,
            "counts[0].skipped_reasons[\"work cap\"]: expected a non-negative integer (\"3\")");
  j["counts"][0]["skipped_reasons"]["work cap"] = 1.5;
  EXPECT_FALSE(ParseReportText(j.dump()).ok());
  j["counts"][0]["skipped_reasons"]["work cap"] = 4;  // 40 + 4 > 43 skipped
  EXPECT_EQ(ParseReportText(j.dump()).error,
            "counts[0].skipped_reasons: the reasons count more skips than verdicts.skipped (43)");
  j["counts"][0]["skipped_reasons"]["work cap"] = 18446744073709551615ull;
  EXPECT_FALSE(ParseReportText(j.dump()).ok());
}

TEST(ReportWriters, JUnitSaysWhyATestcaseWasSkipped) {
  Report r = FixedReport();
  std::string xml = Render(r, WriteJUnit);
  EXPECT_NE(xml.find("<skipped message=\"40 no CUDA device; 3 work cap\"/>"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("checks skipped\""), std::string::npos) << "a bare 'all N checks skipped'";
  // Some checks ran, one was skipped: the testcase passes and its output names the reason.
  EXPECT_NE(xml.find("<system-out>400 checks (399 executed), 0 xfail, 1 skipped: 1 reason not recorded</system-out>"),
            std::string::npos) << xml;
  r.counts[0].skipped_by_reason = {{"needs <cuda> & \"sm_80\"", 43}};
  Summarize(&r);
  xml = Render(r, WriteJUnit);
  EXPECT_NE(xml.find("<skipped message=\"43 needs &lt;cuda&gt; &amp; &quot;sm_80&quot;\"/>"), std::string::npos)
      << xml;
}

// The suite's "cases" property is the number of cases run, not of checks (a case is checked by
// several properties); the checks have their own property.
TEST(ReportWriters, JUnitCountsCasesAndChecksApart) {
  Report r = FixedReport();
  r.context.cases = 7;
  Summarize(&r);
  ASSERT_NE(r.totals.checks, 7);
  const std::string xml = Render(r, WriteJUnit);
  EXPECT_NE(xml.find("<property name=\"cases\" value=\"7\"/>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<property name=\"checks\" value=\"" + std::to_string(r.totals.checks) + "\"/>"),
            std::string::npos) << xml;
}

TEST(ReportWriters, EveryFailingJUnitTestcaseCarriesAReproducer) {
  Report r = FixedReport();
  // Shrinking moved every failure into another op: the failing testcases still show one.
  for (Failure& f : r.failures) f.op = Op::kConv3d;
  const std::string xml = Render(r, WriteJUnit);
  for (size_t at = 0; (at = xml.find("<failure type=\"divergence\"", at)) != std::string::npos; ++at) {
    const size_t body = xml.find('>', at) + 1;
    EXPECT_NE(xml.compare(body, 10, "</failure>"), 0) << "empty <failure> at " << at << ":\n" << xml;
    EXPECT_NE(xml.substr(body, xml.find("</failure>", body) - body).find("case:"), std::string::npos);
  }
}

TEST(ReportWriters, MarkdownAndHtmlShowExecutedAndSkippedByProperty) {
  const Report r = FixedReport();
  const std::string md = Render(r, WriteMarkdown);
  EXPECT_NE(md.find("| DevicesAgree | 0 | 43 | 40 no CUDA device; 3 work cap |"), std::string::npos) << md;
  EXPECT_NE(md.find("| ShapeAgrees | 600 | 0 | — |"), std::string::npos) << md;
  EXPECT_NE(md.find("| ValidityAgrees | 399 | 1 | 1 reason not recorded |"), std::string::npos) << md;
  const std::string html = Render(r, WriteHtml);
  EXPECT_EQ(CountsRowHtml(html, "DevicesAgree"),
            "<tr><td>DevicesAgree</td><td class=\"n\">0</td><td class=\"n\">43</td>"
            "<td>40 no CUDA device; 3 work cap</td>");
}

TEST(ReportModel, SummarizeAccountsForEverySkip) {
  const Report r = FixedReport();
  EXPECT_EQ(r.totals.skipped_by_reason,
            (std::map<std::string, int64_t>{{"no CUDA device", 40}, {"reason not recorded", 1}, {"work cap", 3}}));
  ASSERT_EQ(r.totals.by_property.size(), 3u);
  const PropertyTotals& devices = r.totals.by_property[0];
  EXPECT_EQ(devices.property, "DevicesAgree");
  EXPECT_EQ(devices.executed, 0);
  EXPECT_EQ(devices.skipped, 43);
  EXPECT_EQ(r.totals.by_property[2].executed, 399);
  // A skipped check is not a case of the op × property heatmap: the all-skipped cell has no
  // rate (NaN), not a rate of 0.
  const Heatmap& h = r.heatmaps[0];
  const size_t conv2d = std::find(h.rows.begin(), h.rows.end(), "conv2d") - h.rows.begin();
  const size_t col = std::find(h.cols.begin(), h.cols.end(), "DevicesAgree") - h.cols.begin();
  ASSERT_LT(conv2d, h.rows.size());
  const HeatCell& cell = h.cells[conv2d * h.cols.size() + col];
  EXPECT_EQ(cell.cases, 0);
  EXPECT_TRUE(std::isnan(cell.rate));
  EXPECT_EQ(SkipReasons(r.counts[2]), (std::map<std::string, int64_t>{{"reason not recorded", 1}}));
}

TEST(ReportReader, NamesTheBadField) {
  nlohmann::json j = ReportToJson(FixedReport());
  j["failures"][1]["verdict"] = "oops";
  const ReportParseResult bad = ParseReportText(j.dump());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error, "failures[1].verdict: unknown 'oops'");
  EXPECT_FALSE(ParseReportText("{\"schema_version\": 1, \"context\"").ok());
  j["schema_version"] = kSchemaVersion + 1;
  EXPECT_NE(ParseReportText(j.dump()).error.find("report.schema_version: "), std::string::npos);
}

TEST(ReportModel, VerdictNamesRoundTrip) {
  for (Verdict v : kAllVerdicts) {
    EXPECT_EQ(ParseVerdictName(VerdictName(v)), v) << VerdictName(v);
  }
  EXPECT_FALSE(ParseVerdictName("agreed").has_value());
}

TEST(ReportModel, SummarizeCountsUnexpectedAsFailuresMinusXfail) {
  const Report r = FixedReport();
  EXPECT_EQ(r.totals.checks, 1043);
  EXPECT_EQ(r.totals.unexpected, 5 - 2 + 1);
  EXPECT_EQ(r.totals.xfail, 2);
  EXPECT_EQ(r.totals.xpass, 1);
  EXPECT_EQ(r.totals.signatures, 2);
  ASSERT_EQ(r.heatmaps.size(), 3u);  // op × property, op × dtype, kernel × stride
  EXPECT_EQ(r.heatmaps[0].rows, (std::vector<std::string>{"conv1d", "conv2d", "conv_transpose2d"}));
  EXPECT_EQ(r.heatmaps[1].col_axis, "dtype");
  EXPECT_EQ(r.heatmaps[1].rows, r.heatmaps[0].rows);
}

// A bug confined to one dtype is one hot column of the op × dtype heatmap: every failure of
// the rows below is bfloat16, none float32.
TEST(ReportModel, OpDTypeHeatmapShowsADtypeOnlyBug) {
  Report r;
  CountsRow bf = {};
  bf.property = "ShapeAgrees";
  bf.op = Op::kConvTranspose1d;
  bf.dtype = DType::kBFloat16;
  bf.by_verdict[static_cast<size_t>(Verdict::kAgree)] = 8;
  bf.by_verdict[static_cast<size_t>(Verdict::kShapeMismatch)] = 32;
  CountsRow f32 = bf;
  f32.dtype = DType::kFloat32;
  f32.by_verdict[static_cast<size_t>(Verdict::kShapeMismatch)] = 0;
  r.counts = {f32, bf};
  Summarize(&r);
  const Heatmap& h = r.heatmaps.at(1);
  ASSERT_EQ(h.cols, (std::vector<std::string>{"float32", "bfloat16"}));
  EXPECT_EQ(h.cells[0].failures, 0);
  EXPECT_EQ(h.cells[1].failures, 32);
  EXPECT_EQ(h.cells[1].cases, 40);
}

}  // namespace
}  // namespace convcheck::report
