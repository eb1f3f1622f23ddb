#include "reports/markdown_writer.h"

#include "case_io/case_json.h"
#include "reports/escape.h"
#include "reports/summarize.h"

namespace convcheck::report {
namespace {

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

std::string ShardText(const Context& c) {
  std::string shards;
  for (int s : c.shards) shards += (shards.empty() ? "" : ",") + std::to_string(s);
  return shards + " of " + std::to_string(c.shard_count);
}

void WriteHeader(const Report& r, std::ostream& os) {
  const Context& c = r.context;
  const Totals& t = r.totals;
  os << "## convcheck conformance: "
     << (t.unexpected == 0 ? "PASS" : "FAIL") << " — " << t.unexpected
     << " unexpected divergences (" << t.signatures << " signatures), " << t.xfail << " xfail, "
     << t.xpass << " xpass\n\n";
  if (!c.complete) os << "> **Incomplete run**: interrupted or shards missing; counts are partial.\n\n";
  os << "| | |\n|---|---|\n"
     << "| framework | " << MarkdownCell(c.framework + " " + c.framework_version) << " |\n"
     << "| devices | " << MarkdownCell(Join(c.devices)) << " |\n"
     << "| dtypes | " << MarkdownCell(Join(c.dtypes)) << " |\n"
     << "| seed | " << c.seed << " |\n"
     << "| shard | " << ShardText(c) << " |\n"
     << "| cases | " << c.cases << " in " << FormatSeconds(c.seconds) << " s (" << t.checks << " checks) |\n"
     << "| time | " << c.start_time << " → " << c.end_time << " |\n"
     << "| convcheck | " << MarkdownCell(c.tool_version) << " (" << MarkdownCell(c.git_revision) << ") |\n"
     << "| command | <code>" << MarkdownCell(c.command_line) << "</code> |\n\n";
}

void WriteCounts(const Report& r, std::ostream& os) {
  os << "### Verdicts\n\n| property | op | rank | device | dtype |";
  for (Verdict v : kAllVerdicts) os << " " << VerdictName(v) << " |";
  os << " xfail |\n|---|---|---|---|---|";
  for (size_t v = 0; v <= kVerdictCount; ++v) os << "---:|";
  os << "\n";
  for (const CountsRow& row : r.counts) {
    os << "| " << MarkdownCell(row.property) << " | " << OpName(row.op) << " | " << row.rank()
       << " | " << DeviceName(row.device) << " | " << DTypeName(row.dtype) << " |";
    for (Verdict v : kAllVerdicts) os << " " << row.of(v) << " |";
    os << " " << row.xfail << " |\n";
  }
  os << "\n";
}

// Per property: how many checks executed, how many were skipped and why (a skipped check is
// never shown as a passed one).
void WriteExecuted(const Report& r, std::ostream& os) {
  os << "### Executed and skipped checks by property\n\n";
  if (r.totals.by_property.empty()) {
    os << "None.\n\n";
    return;
  }
  os << "| property | executed | skipped | skipped (reasons) |\n|---|---:|---:|---|\n";
  for (const PropertyTotals& p : r.totals.by_property) {
    os << "| " << MarkdownCell(p.property) << " | " << p.executed << " | " << p.skipped << " | "
       << (p.skipped == 0 ? "—" : MarkdownCell(DescribeSkipReasons(p.skipped_by_reason))) << " |\n";
  }
  os << "\n";
}

void WriteFailures(const Report& r, std::ostream& os) {
  os << "### Unexpected divergences\n\n";
  if (r.failures.empty()) os << "None.\n\n";
  for (const Failure& f : r.failures) {
    // <summary> is HTML, the list items are Markdown, the repros are fenced code: each its escape.
    os << "<details><summary><code>" << XmlEscape(Signature(f)) << "</code> — " << f.occurrences
       << " cases</summary>\n\n"
       << "- oracle: " << MarkdownCell(f.expectation) << "\n- backend: " << MarkdownCell(f.outcome) << "\n"
       << (f.detail.empty() ? "" : "- detail: " + MarkdownCell(f.detail) + "\n") << "\n"
       << MarkdownFence("json", CaseToJsonLine(f.minimal_case)) << "\n" << MarkdownFence("python", f.python_repro)
       << "\n" << MarkdownFence("cpp", f.cpp_repro) << "\n</details>\n\n";
  }
}

void WriteKnown(const Report& r, std::ostream& os) {
  os << "### Known deviations\n\n";
  if (r.known.empty()) {
    os << "None loaded.\n";
    return;
  }
  os << "| id | status | xfail | family agreed | evidence |\n|---|---|---:|---:|---|\n";
  for (const KnownRow& k : r.known) {
    os << "| " << MarkdownCell(k.id) << " | "
       << (k.xpass() ? "**XPASS** (may be fixed)" : (k.xfail > 0 ? "xfail" : "not seen")) << " | "
       << k.xfail << " | " << k.family_agreed << " | " << MarkdownCell(k.evidence) << " |\n";
  }
}

}  // namespace

void WriteMarkdown(const Report& r, std::ostream& os) {
  WriteHeader(r, os);
  WriteCounts(r, os);
  WriteExecuted(r, os);
  WriteFailures(r, os);
  WriteKnown(r, os);
}

}  // namespace convcheck::report
