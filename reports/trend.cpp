#include "reports/trend.h"

#include <algorithm>
#include <filesystem>

#include "case_io/text_file.h"
#include "reports/atomic_file.h"
#include "reports/escape.h"
#include "reports/report_json.h"
#include "reports/svg.h"
#include "reports/trend_signatures.h"

namespace convcheck::report {

TrendPoint TrendPointOf(const std::string& file, const Report& r) {
  TrendPoint p;
  p.label = r.context.start_time.empty() ? file : r.context.start_time;
  p.file = file;
  p.checks = r.totals.checks;
  p.unexpected = r.totals.unexpected;
  p.signatures = r.totals.signatures;
  p.xfail = r.totals.xfail;
  p.xpass = r.totals.xpass;
  p.complete = r.context.complete;
  for (const Failure& f : r.failures) p.failure_signatures.push_back(Signature(f));
  return p;
}

bool LoadTrend(const std::string& dir, std::vector<TrendPoint>* points,
               std::vector<std::string>* skipped, std::string* error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    *error = dir + ": cannot read folder (" + ec.message() + ")";
    return false;
  }
  for (const fs::directory_entry& e : it) {
    if (e.path().extension() != ".json") continue;
    const std::string name = e.path().filename().string();
    std::string text, why;
    if (!ReadTextFile(e.path().string(), &text, &why)) {
      skipped->push_back(why);
      continue;
    }
    const ReportParseResult parsed = ParseReportText(text);
    if (!parsed.ok()) {
      skipped->push_back(name + ": " + parsed.error);
      continue;
    }
    points->push_back(TrendPointOf(name, *parsed.value));
  }
  std::sort(points->begin(), points->end(), [](const TrendPoint& a, const TrendPoint& b) {
    return std::tie(a.label, a.file) < std::tie(b.label, b.file);
  });
  return true;
}

void WriteTrendHtml(const std::vector<TrendPoint>& points, std::ostream& os) {
  LineChart chart{"Divergences over time", {}, {}};
  Series unexpected{"unexpected", "#b91c1c", {}}, signatures{"signatures", "#7c3aed", {}},
      xfail{"xfail", "#d97706", {}}, xpass{"xpass", "#059669", {}};
  for (const TrendPoint& p : points) {
    std::string label = p.label.substr(0, 16);  // "2026-11-24T02:17": nights can share a date
    std::replace(label.begin(), label.end(), 'T', ' ');
    chart.x_labels.push_back(label + (p.complete ? "" : "*"));
    unexpected.values.push_back(static_cast<double>(p.unexpected));
    signatures.values.push_back(static_cast<double>(p.signatures));
    xfail.values.push_back(static_cast<double>(p.xfail));
    xpass.values.push_back(static_cast<double>(p.xpass));
  }
  chart.series = {unexpected, signatures, xfail, xpass};
  os << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>convcheck trend</title>\n"
     << "<style>body{font-family:system-ui,sans-serif;margin:24px}table{border-collapse:collapse;"
        "font-size:13px}td,th{border:1px solid #d1d5db;padding:3px 8px}td.n{text-align:right}</style>\n"
     << "</head><body>\n<h1>convcheck: divergences over " << points.size() << " nightly reports</h1>\n"
     << LineChartSvg(chart) << "<p>* incomplete run (interrupted or shards missing)</p>\n"
     << "<table><tr><th>start</th><th>file</th><th>checks</th><th>unexpected</th><th>signatures</th>"
        "<th>xfail</th><th>xpass</th><th>complete</th></tr>\n";
  for (const TrendPoint& p : points) {
    os << "<tr><td>" << XmlEscape(p.label) << "</td><td>" << XmlEscape(p.file) << "</td><td class=\"n\">"
       << p.checks << "</td><td class=\"n\">" << p.unexpected << "</td><td class=\"n\">" << p.signatures
       << "</td><td class=\"n\">" << p.xfail << "</td><td class=\"n\">" << p.xpass << "</td><td>"
       << (p.complete ? "yes" : "no") << "</td></tr>\n";
  }
  os << "</table>\n";
  WriteSignatureHistoryHtml(SignatureHistories(points), os);
  os << "</body></html>\n";
}

}  // namespace convcheck::report
