#include "reports/trend_signatures.h"

#include <algorithm>
#include <map>
#include <set>

#include "reports/escape.h"

namespace convcheck::report {

std::vector<SignatureHistory> SignatureHistories(const std::vector<TrendPoint>& points) {
  std::map<std::string, SignatureHistory> by_signature;
  std::map<std::string, size_t> first_index;
  for (size_t i = 0; i < points.size(); ++i) {
    const TrendPoint& p = points[i];
    // A report lists each signature once, but a hand-edited one might not: count reports.
    const std::set<std::string> unique(p.failure_signatures.begin(), p.failure_signatures.end());
    for (const std::string& sig : unique) {
      SignatureHistory& h = by_signature[sig];
      if (h.reports == 0) {
        h.signature = sig;
        h.first_seen = p.label;
        first_index[sig] = i;
      }
      h.last_seen = p.label;
      ++h.reports;
      h.in_latest = i + 1 == points.size();
    }
  }
  std::vector<SignatureHistory> out;
  for (auto& [sig, h] : by_signature) out.push_back(h);
  std::stable_sort(out.begin(), out.end(), [&](const SignatureHistory& a, const SignatureHistory& b) {
    return first_index[a.signature] > first_index[b.signature];  // ties stay by signature
  });
  return out;
}

void WriteSignatureHistoryHtml(const std::vector<SignatureHistory>& histories, std::ostream& os) {
  os << "<h2>Failure signatures: first seen</h2>\n";
  if (histories.empty()) {
    os << "<p>None: no report has an unexpected divergence.</p>\n";
    return;
  }
  os << "<table class=\"signatures\"><tr><th>first seen</th><th>last seen</th><th>reports</th>"
        "<th>in latest</th><th>signature</th></tr>\n";
  for (const SignatureHistory& h : histories) {
    os << "<tr><td>" << XmlEscape(h.first_seen) << "</td><td>" << XmlEscape(h.last_seen)
       << "</td><td class=\"n\">" << h.reports << "</td><td>" << (h.in_latest ? "yes" : "no")
       << "</td><td><code>" << XmlEscape(h.signature) << "</code></td></tr>\n";
  }
  os << "</table>\n";
}

}  // namespace convcheck::report
