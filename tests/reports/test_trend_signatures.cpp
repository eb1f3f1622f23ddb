// First-seen dates of failure signatures across a trend of reports.
#include <sstream>

#include <gtest/gtest.h>

#include "fixture_report.h"
#include "reports/trend.h"
#include "reports/trend_signatures.h"

namespace convcheck::report {
namespace {

TrendPoint Night(const std::string& label, std::vector<std::string> signatures) {
  TrendPoint p;
  p.label = label;
  p.failure_signatures = std::move(signatures);
  return p;
}

TEST(TrendSignatures, EachSignatureKeepsItsFirstAndLastReportNewestFirst) {
  const std::vector<TrendPoint> points = {Night("2026-11-20T02:00:00Z", {"A"}),
                                          Night("2026-11-21T02:00:00Z", {"A", "B"}),
                                          Night("2026-11-22T02:00:00Z", {"B", "C", "C"})};
  const std::vector<SignatureHistory> h = SignatureHistories(points);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].signature, "C");
  EXPECT_EQ(h[0].first_seen, "2026-11-22T02:00:00Z");
  EXPECT_EQ(h[0].reports, 1);  // listed twice in one report: one report
  EXPECT_EQ(h[1].signature, "B");
  EXPECT_EQ(h[1].first_seen, "2026-11-21T02:00:00Z");
  EXPECT_TRUE(h[1].in_latest);
  EXPECT_EQ(h[2].signature, "A");
  EXPECT_EQ(h[2].first_seen, "2026-11-20T02:00:00Z");
  EXPECT_EQ(h[2].last_seen, "2026-11-21T02:00:00Z");
  EXPECT_EQ(h[2].reports, 2);
  EXPECT_FALSE(h[2].in_latest);
}

TEST(TrendSignatures, TrendPageShowsFirstSeenOfTheReportsSignatures) {
  const Report r = testing::FixedReport();
  const TrendPoint p = TrendPointOf("night.json", r);
  ASSERT_EQ(p.failure_signatures.size(), r.failures.size());
  std::ostringstream os;
  WriteTrendHtml({p}, os);
  const std::string html = os.str();
  EXPECT_NE(html.find("<h2>Failure signatures: first seen</h2>"), std::string::npos);
  EXPECT_NE(html.find("<tr><td>" + p.label + "</td><td>" + p.label + "</td><td class=\"n\">1</td><td>yes</td>"
                      "<td><code>" + Signature(r.failures[0]) + "</code></td></tr>"),
            std::string::npos)
      << html;
}

TEST(TrendSignatures, NoFailuresSaysSo) {
  std::ostringstream os;
  WriteSignatureHistoryHtml(SignatureHistories({Night("n1", {})}), os);
  EXPECT_NE(os.str().find("None: no report"), std::string::npos);
}

}  // namespace
}  // namespace convcheck::report
