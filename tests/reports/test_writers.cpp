// Golden tests of every writer on the fixed report, and the properties writers must keep
// (escaping, explicit NaN, JSON round trip). Regenerate goldens: CONVCHECK_UPDATE_GOLDEN=1.
#include <cmath>
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
  for (const char* external : {"src=", "href=", "@import", "url(", "<link"}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
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

TEST(ReportReader, NamesTheBadField) {
  nlohmann::json j = ReportToJson(FixedReport());
  j["failures"][1]["verdict"] = "oops";
  const ReportParseResult bad = ParseReportText(j.dump());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error, "failures[1].verdict: unknown 'oops'");
  EXPECT_FALSE(ParseReportText("{\"schema_version\": 1, \"context\"").ok());
  j["schema_version"] = kSchemaVersion + 1;
  EXPECT_NE(ParseReportText(j.dump()).error.find("not supported"), std::string::npos);
}

TEST(ReportModel, VerdictNamesRoundTrip) {
  for (VerdictKind v : kAllVerdictKinds) {
    EXPECT_EQ(ParseVerdictKindName(VerdictKindName(v)), v) << VerdictKindName(v);
  }
  EXPECT_FALSE(ParseVerdictKindName("agreed").has_value());
}

TEST(ReportModel, SummarizeCountsUnexpectedAsFailuresMinusXfail) {
  const Report r = FixedReport();
  EXPECT_EQ(r.totals.checks, 1000);
  EXPECT_EQ(r.totals.unexpected, 5 - 2 + 1);
  EXPECT_EQ(r.totals.xfail, 2);
  EXPECT_EQ(r.totals.xpass, 1);
  EXPECT_EQ(r.totals.signatures, 2);
  ASSERT_EQ(r.heatmaps.size(), 2u);
  EXPECT_EQ(r.heatmaps[0].rows, (std::vector<std::string>{"conv1d", "conv_transpose2d"}));
}

}  // namespace
}  // namespace convcheck::report
