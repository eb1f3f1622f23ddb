#include "reports/scoreboard.h"

#include <algorithm>
#include <map>

#include "reports/escape.h"

namespace convcheck::report {
namespace {

size_t IndexOf(std::vector<std::string>& v, const std::string& s) {
  auto it = std::find(v.begin(), v.end(), s);
  if (it != v.end()) return static_cast<size_t>(it - v.begin());
  v.push_back(s);
  return v.size() - 1;
}

}  // namespace

Scoreboard BuildScoreboard(const std::vector<Report>& reports) {
  Scoreboard s;
  std::vector<Op> ops;
  for (const Report& r : reports) {
    s.frameworks.push_back(r.context.framework + " " + r.context.framework_version);
    for (const CountsRow& row : r.counts) {
      if (std::find(ops.begin(), ops.end(), row.op) == ops.end()) ops.push_back(row.op);
      if (std::find(s.properties.begin(), s.properties.end(), row.property) == s.properties.end()) s.properties.push_back(row.property);
    }
  }
  std::sort(ops.begin(), ops.end());
  std::sort(s.properties.begin(), s.properties.end());
  for (Op op : ops) s.ops.push_back(OpName(op));
  s.cells.assign(reports.size(), std::vector<std::vector<ScoreCell>>(s.ops.size(), std::vector<ScoreCell>(s.properties.size())));
  for (size_t f = 0; f < reports.size(); ++f) {
    for (const CountsRow& row : reports[f].counts) {
      const size_t o = IndexOf(s.ops, OpName(row.op));
      const size_t p = IndexOf(s.properties, row.property);
      ScoreCell& c = s.cells[f][o][p];
      for (Verdict v : kAllVerdicts) {
        const int64_t n = row.of(v);
        if (v == Verdict::kSkipped) {
          c.skipped += n;
          continue;
        }
        c.executed += n;
        if (IsAgreement(v)) c.agreed += n;
        if (IsFailure(v)) c.unexpected += n;
      }
      c.xfail += row.xfail;
      c.unexpected -= row.xfail;  // by_verdict counts xfail among the failures
    }
  }
  return s;
}

std::string CellText(const ScoreCell& c) {
  if (c.executed == 0) return c.skipped ? "skipped " + std::to_string(c.skipped) : "";
  const std::string xfail = c.xfail ? " (+" + std::to_string(c.xfail) + " xfail)" : "";
  if (c.unexpected > 0) return "✗ " + std::to_string(c.unexpected) + " of " + std::to_string(c.executed) + xfail;
  if (c.xfail > 0 && c.agreed == 0) return "xfail " + std::to_string(c.xfail) + " of " + std::to_string(c.executed);
  return "✓ " + std::to_string(c.executed) + xfail;
}

void WriteScoreboardMarkdown(const Scoreboard& s, std::ostream& os) {
  os << "## convcheck conformance scoreboard\n\n"
     << "Per framework and op, each property: ✓ checks executed, all agreeing or known (xfail); ✗ unexpected "
        "divergences of the executed checks; skipped: executed nothing (the reasons are in that framework's report).\n\n";
  os << "| framework | op |";
  for (const std::string& p : s.properties) os << " " << MarkdownCell(p) << " |";
  os << "\n|---|---|";
  for (size_t i = 0; i < s.properties.size(); ++i) os << "---|";
  os << "\n";
  for (size_t f = 0; f < s.frameworks.size(); ++f) {
    for (size_t o = 0; o < s.ops.size(); ++o) {
      os << "| " << MarkdownCell(s.frameworks[f]) << " | " << s.ops[o] << " |";
      for (size_t p = 0; p < s.properties.size(); ++p) os << " " << MarkdownCell(CellText(s.cells[f][o][p])) << " |";
      os << "\n";
    }
  }
}

void WriteScoreboardHtml(const Scoreboard& s, std::ostream& os) {
  os << "<!doctype html><html><head><meta charset=\"utf-8\"><title>convcheck scoreboard</title><style>"
        "body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px}"
        ".ok{background:#dfd}.bad{background:#fdd}.known{background:#ffd}.skip{background:#eee}</style></head><body>"
        "<h2>convcheck conformance scoreboard</h2><table><tr><th>framework</th><th>op</th>";
  for (const std::string& p : s.properties) os << "<th>" << XmlEscape(p) << "</th>";
  os << "</tr>\n";
  for (size_t f = 0; f < s.frameworks.size(); ++f) {
    for (size_t o = 0; o < s.ops.size(); ++o) {
      os << "<tr><td>" << XmlEscape(s.frameworks[f]) << "</td><td>" << s.ops[o] << "</td>";
      for (size_t p = 0; p < s.properties.size(); ++p) {
        const ScoreCell& c = s.cells[f][o][p];
        const char* cls = c.executed == 0 ? "skip" : c.unexpected > 0 ? "bad" : c.xfail > 0 ? "known" : "ok";
        os << "<td class=\"" << cls << "\">" << XmlEscape(CellText(c)) << "</td>";
      }
      os << "</tr>\n";
    }
  }
  os << "</table></body></html>\n";
}

}  // namespace convcheck::report
