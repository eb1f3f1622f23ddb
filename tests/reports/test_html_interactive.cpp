// The HTML report's navigation: the verdict table (complete without scripts; sorted and
// filtered with them) and the links from xfail counts to the known deviations that explain them.
#include <sstream>

#include <gtest/gtest.h>

#include "fixture_report.h"
#include "reports/html_writer.h"

namespace convcheck::report {
namespace {

std::string Html(const Report& r) {
  std::ostringstream os;
  WriteHtml(r, os);
  return os.str();
}

// The text between the first `open` at or after `from` and the next `close`.
std::string Between(const std::string& s, const std::string& open, const std::string& close) {
  const size_t a = s.find(open);
  if (a == std::string::npos) return "";
  const size_t b = s.find(close, a);
  return s.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

TEST(HtmlVerdictTable, EveryRowIsInTheMarkupAndEveryHeaderSorts) {
  const Report r = testing::FixedReport();
  const std::string html = Html(r);
  const std::string table = Between(html, "<table class=\"counts\" id=\"verdicts\">", "</table>");
  ASSERT_FALSE(table.empty());
  size_t rows = 0, sortable = 0;
  for (size_t at = table.find("<tr>"); at != std::string::npos; at = table.find("<tr>", at + 1)) ++rows;
  for (size_t at = table.find("onclick=\"vSort("); at != std::string::npos; at = table.find("onclick=\"vSort(", at + 1)) ++sortable;
  EXPECT_EQ(rows, r.counts.size() + 1);  // the header, then every counts row without scripts
  EXPECT_EQ(sortable, 5 + kVerdictCount + 1);  // property..dtype, every verdict, xfail
  EXPECT_NE(table.find("<th onclick=\"vSort(0)\" title=\"sort\">property</th>"), std::string::npos);
  // The filter box is hidden until the script shows it: no dead control without scripts.
  EXPECT_NE(html.find("<input id=\"vfilter\" hidden"), std::string::npos);
  EXPECT_NE(html.find("function vSort(c)"), std::string::npos);
  EXPECT_NE(html.find("function vFilter(q)"), std::string::npos);
}

TEST(HtmlKnownLinks, XfailCountsLinkToTheKnownDeviationsOfTheirProperty) {
  const Report r = testing::FixedReport();
  const std::string html = Html(r);
  // The ShapeAgrees row has 2 xfail, explained by the one ShapeAgrees deviation with xfail 2.
  EXPECT_NE(html.find("<td class=\"n\">2 <a href=\"#known-torch-1.13-transpose-extra-row\" "
                      "title=\"https://example.org/issue/1\">torch-1.13-transpose-extra-row</a></td>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr id=\"known-torch-1.13-transpose-extra-row\">"), std::string::npos);
  EXPECT_NE(html.find("<tr id=\"known-torch-1.13-bf16-refusal\">"), std::string::npos);
  // The bf16 deviation explained nothing (xpass): no row links to it.
  EXPECT_EQ(html.find("href=\"#known-torch-1.13-bf16-refusal\""), std::string::npos);
}

TEST(HtmlKnownLinks, AnchorsOfHostileIdsNeedNoEscaping) {
  Report r = testing::FixedReport();
  for (KnownRow& k : r.known) {
    if (k.property == "ShapeAgrees") k.id = "a b\"<c>";
  }
  const std::string html = Html(r);
  EXPECT_NE(html.find("href=\"#known-a_b__c_\""), std::string::npos);
  EXPECT_NE(html.find("<tr id=\"known-a_b__c_\">"), std::string::npos);
  EXPECT_NE(html.find(">a b&quot;&lt;c&gt;</a>"), std::string::npos);
}

}  // namespace
}  // namespace convcheck::report
