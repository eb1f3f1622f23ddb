#include "reports/html_writer.h"

#include <cctype>

#include "case_io/case_json.h"
#include "reports/escape.h"
#include "reports/failure_messages.h"
#include "reports/summarize.h"
#include "reports/svg.h"

namespace convcheck::report {
namespace {

constexpr const char* kStyle = R"(<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#111}
h1{font-size:22px} h2{font-size:18px;margin-top:28px}
.pass{color:#166534} .fail{color:#b91c1c}
.banner{background:#fef3c7;border:1px solid #f59e0b;padding:8px 12px}
table{border-collapse:collapse;font-size:13px} td,th{border:1px solid #d1d5db;padding:3px 8px}
th{background:#f3f4f6} td.n{text-align:right}
.failure{border:1px solid #fca5a5;border-radius:6px;padding:8px 12px;margin:12px 0}
pre{background:#f8fafc;border:1px solid #e5e7eb;padding:6px;white-space:pre-wrap;word-break:break-all;user-select:all}
button{font-size:12px} #verdicts th{cursor:pointer}
</style>
)";

// The only script: copying a reproducer, and filtering and sorting the verdict table. Inline,
// no network, harmless when scripts are off: the <pre> blocks are select-all on click anyway,
// and the verdict table is complete HTML (the filter box only appears when scripts run).
constexpr const char* kScript = R"(<script>
function copyRepro(id){navigator.clipboard.writeText(document.getElementById(id).textContent);}
function vRows(){return Array.from(document.querySelectorAll('#verdicts tr')).slice(1);}
function vFilter(q){q=q.toLowerCase();vRows().forEach(function(r){r.style.display=r.textContent.toLowerCase().indexOf(q)<0?'none':'';});}
function vSort(c){var t=document.getElementById('verdicts'),rs=vRows(),d=t.dataset.col==c&&t.dataset.dir!='d'?'d':'a';
t.dataset.col=c;t.dataset.dir=d;rs.sort(function(a,b){var x=a.cells[c].textContent,y=b.cells[c].textContent,
n=a.cells[c].className=='n',k=n?parseFloat(x)-parseFloat(y):x.localeCompare(y);return d=='a'?k:-k;});
rs.forEach(function(r){t.tBodies[0].appendChild(r);});}
document.addEventListener('DOMContentLoaded',function(){var f=document.getElementById('vfilter');if(f)f.hidden=false;});
</script>
)";

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

void WriteContext(const Report& r, std::ostream& os) {
  const Context& c = r.context;
  std::vector<std::string> shards;
  for (int s : c.shards) shards.push_back(std::to_string(s));
  const std::pair<const char*, std::string> rows[] = {
      {"framework", c.framework + " " + c.framework_version},
      {"devices", Join(c.devices, ", ")},
      {"CUDA / cuDNN", c.cuda_version.empty() ? "n/a" : c.cuda_version + " / " + c.cudnn_version},
      {"dtypes", Join(c.dtypes, ", ")},
      {"seed", std::to_string(c.seed)},
      {"shard", Join(shards, ",") + " of " + std::to_string(c.shard_count)},
      {"budget", c.budget_cases > 0 ? std::to_string(c.budget_cases) + " cases"
                                    : FormatSeconds(c.budget_seconds) + " s"},
      {"cases", std::to_string(c.cases) + " in " + FormatSeconds(c.seconds) + " s"},
      {"time", c.start_time + " → " + c.end_time},
      {"host CPUs", std::to_string(c.host_cpus)},
      {"convcheck", c.tool_version + " (" + c.git_revision + ")"},
      {"command", c.command_line}};
  os << "<table class=\"context\">\n";
  for (const auto& [k, v] : rows) os << "<tr><th>" << k << "</th><td>" << XmlEscape(v) << "</td></tr>\n";
  os << "</table>\n";
}

// The anchor of a known deviation's row: its id with anything but [A-Za-z0-9._-] as '_', so
// the fragment needs no escaping.
std::string KnownAnchor(const std::string& id) {
  std::string a = "known-";
  for (char c : id) a += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-') ? c : '_';
  return a;
}

// A row's xfail count, linked to the known deviations that can have explained it. The report
// keeps xfail per known deviation and per counts row but not which deviation matched which
// row, so the links go to every known deviation of the row's property that explained a failure.
void WriteXfailCell(const Report& r, const CountsRow& row, std::ostream& os) {
  os << "<td class=\"n\">" << row.xfail;
  if (row.xfail > 0) {
    for (const KnownRow& k : r.known) {
      if (k.property != row.property || k.xfail == 0) continue;
      os << " <a href=\"#" << KnownAnchor(k.id) << "\" title=\"" << XmlEscape(k.evidence) << "\">"
         << XmlEscape(k.id) << "</a>";
    }
  }
  os << "</td>";
}

// Header cells that sort the verdict table by their column when clicked (scripts on).
void SortableHeader(int column, const std::string& name, std::ostream& os) {
  os << "<th onclick=\"vSort(" << column << ")\" title=\"sort\">" << name << "</th>";
}

void WriteCounts(const Report& r, std::ostream& os) {
  os << "<h2>Verdicts</h2>\n<input id=\"vfilter\" hidden placeholder=\"filter rows\" "
        "oninput=\"vFilter(this.value)\">\n<table class=\"counts\" id=\"verdicts\"><tr>";
  int column = 0;
  for (const char* name : {"property", "op", "rank", "device", "dtype"}) SortableHeader(column++, name, os);
  for (Verdict v : kAllVerdicts) SortableHeader(column++, VerdictName(v), os);
  SortableHeader(column, "xfail", os);
  os << "</tr>\n";
  for (const CountsRow& row : r.counts) {
    os << "<tr><td>" << XmlEscape(row.property) << "</td><td>" << OpName(row.op) << "</td><td>"
       << row.rank() << "</td><td>" << DeviceName(row.device) << "</td><td>" << DTypeName(row.dtype) << "</td>";
    for (Verdict v : kAllVerdicts) os << "<td class=\"n\">" << row.of(v) << "</td>";
    WriteXfailCell(r, row, os);
    os << "</tr>\n";
  }
  os << "</table>\n";
}

// Per property: how many checks executed, how many were skipped and why (a skipped check is
// never shown as a passed one).
void WriteExecuted(const Report& r, std::ostream& os) {
  os << "<h2>Executed and skipped checks by property</h2>\n";
  if (r.totals.by_property.empty()) {
    os << "<p>None.</p>\n";
    return;
  }
  os << "<table class=\"executed\"><tr><th>property</th><th>executed</th><th>skipped</th>"
        "<th>skipped (reasons)</th></tr>\n";
  for (const PropertyTotals& p : r.totals.by_property) {
    os << "<tr><td>" << XmlEscape(p.property) << "</td><td class=\"n\">" << p.executed
       << "</td><td class=\"n\">" << p.skipped << "</td><td>"
       << (p.skipped == 0 ? "—" : XmlEscape(DescribeSkipReasons(p.skipped_by_reason))) << "</td></tr>\n";
  }
  os << "</table>\n";
}

void WriteRepro(const std::string& id, const char* label, const std::string& text, std::ostream& os) {
  os << "<div>" << label << " <button onclick=\"copyRepro('" << id << "')\">copy</button></div>"
     << "<pre id=\"" << id << "\">" << XmlEscape(text) << "</pre>\n";
}

// The distinct backend messages within a signature with their counts, when there is more than
// the one the block already shows; occurrences no listed message accounts for are said so.
void WriteMessages(const Failure& f, std::ostream& os) {
  if (f.messages.empty()) {  // a report older than the list: only the representative is known
    if (f.occurrences > 1) os << "<p>distinct backend messages: not recorded in this report</p>\n";
    return;
  }
  const int64_t unlisted = UnlistedOccurrences(f);
  if (f.messages.size() == 1 && unlisted == 0) return;
  os << "<details class=\"messages\" open><summary>" << f.messages.size()
     << " distinct backend messages</summary><ul>\n";
  for (const MessageCount& m : f.messages) {
    os << "<li>" << m.count << " × <code>" << XmlEscape(m.text) << "</code></li>\n";
  }
  if (unlisted > 0) {
    os << "<li>" << unlisted << " × other messages (past the first " << kMaxFailureMessages
       << ", or merged from a report that did not record them)</li>\n";
  }
  os << "</ul></details>\n";
}

void WriteFailures(const Report& r, std::ostream& os) {
  os << "<h2>Unexpected divergences (" << r.failures.size() << " signatures)</h2>\n";
  if (r.failures.empty()) os << "<p class=\"pass\">None.</p>\n";
  for (size_t i = 0; i < r.failures.size(); ++i) {
    const Failure& f = r.failures[i];
    const std::string id = "f" + std::to_string(i);
    os << "<div class=\"failure\"><h3><code>" << XmlEscape(Signature(f)) << "</code> — "
       << f.occurrences << " cases</h3>\n<p>oracle: " << XmlEscape(f.expectation)
       << "<br>backend: " << XmlEscape(f.outcome)
       << (f.detail.empty() ? "" : "<br>detail: " + XmlEscape(f.detail)) << "</p>\n";
    WriteMessages(f, os);
    WriteRepro(id + "j", "case JSON", CaseToJsonLine(f.minimal_case), os);
    WriteRepro(id + "p", "Python", f.python_repro, os);
    WriteRepro(id + "c", "C++", f.cpp_repro, os);
    os << "</div>\n";
  }
}

void WriteKnown(const Report& r, std::ostream& os) {
  os << "<h2>Known deviations</h2>\n";
  if (r.known.empty()) {
    os << "<p>None loaded.</p>\n";
    return;
  }
  os << "<table class=\"known\"><tr><th>id</th><th>status</th><th>xfail</th><th>family agreed</th>"
        "<th>evidence</th></tr>\n";
  for (const KnownRow& k : r.known) {
    os << "<tr id=\"" << KnownAnchor(k.id) << "\"><td>" << XmlEscape(k.id) << "</td><td>"
       << (k.xpass() ? "<b class=\"fail\">XPASS</b> (may be fixed)" : (k.xfail > 0 ? "xfail" : "not seen"))
       << "</td><td class=\"n\">" << k.xfail << "</td><td class=\"n\">" << k.family_agreed
       << "</td><td>" << XmlEscape(k.evidence) << "</td></tr>\n";
  }
  os << "</table>\n";
}

}  // namespace

void WriteHtml(const Report& r, std::ostream& os) {
  const Totals& t = r.totals;
  os << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>convcheck: "
     << XmlEscape(r.context.framework + " " + r.context.framework_version) << "</title>\n"
     << kStyle << kScript << "</head><body>\n<h1 class=\"" << (t.unexpected == 0 ? "pass" : "fail")
     << "\">convcheck conformance: " << (t.unexpected == 0 ? "PASS" : "FAIL") << " — "
     << t.unexpected << " unexpected divergences (" << t.signatures << " signatures), " << t.xfail
     << " xfail, " << t.xpass << " xpass, " << t.checks << " checks</h1>\n";
  if (!r.context.complete) {
    os << "<p class=\"banner\"><b>Incomplete run</b>: interrupted or shards missing; counts are partial.</p>\n";
  }
  WriteContext(r, os);
  for (const Heatmap& h : r.heatmaps) os << "<h2>" << XmlEscape(h.title) << "</h2>\n" << HeatmapSvg(h);
  WriteCounts(r, os);
  WriteExecuted(r, os);
  WriteFailures(r, os);
  WriteKnown(r, os);
  os << "</body></html>\n";
}

}  // namespace convcheck::report
