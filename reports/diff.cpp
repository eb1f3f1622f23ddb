#include "reports/diff.h"

#include <algorithm>
#include <map>

#include "oracles/io/case_json.h"

namespace convcheck::report {
namespace {

std::string RowKey(const CountsRow& r) {
  return r.property + " " + OpName(r.op) + " " + DeviceName(r.device) + " " + DTypeName(r.dtype);
}

int64_t Unexpected(const CountsRow& r) {
  int64_t n = 0;
  for (VerdictKind v : kAllVerdictKinds) {
    if (IsFailure(v)) n += r.of(v);
  }
  return n - r.xfail;
}

bool HasSignature(const std::vector<Failure>& list, const std::string& sig) {
  return std::any_of(list.begin(), list.end(), [&](const Failure& f) { return Signature(f) == sig; });
}

std::vector<CountChange> CountChanges(const Report& before, const Report& after) {
  std::map<std::string, CountChange> rows;
  for (const CountsRow& r : before.counts) {
    CountChange& c = rows[RowKey(r)];
    c.unexpected_before = Unexpected(r);
    c.xfail_before = r.xfail;
  }
  for (const CountsRow& r : after.counts) {
    CountChange& c = rows[RowKey(r)];
    c.unexpected_after = Unexpected(r);
    c.xfail_after = r.xfail;
  }
  std::vector<CountChange> out;
  for (auto& [key, c] : rows) {
    c.row = key;
    if (c.unexpected_before != c.unexpected_after || c.xfail_before != c.xfail_after) out.push_back(c);
  }
  return out;
}

}  // namespace

ReportDiff DiffReports(const Report& before, const Report& after) {
  ReportDiff d;
  for (const Failure& f : after.failures) {
    if (!HasSignature(before.failures, Signature(f))) d.new_failures.push_back(f);
  }
  for (const Failure& f : before.failures) {
    if (!HasSignature(after.failures, Signature(f))) d.fixed.push_back(f);
  }
  for (const KnownRow& k : after.known) {
    const auto was = std::find_if(before.known.begin(), before.known.end(),
                                  [&](const KnownRow& b) { return b.id == k.id; });
    if (k.xpass() && (was == before.known.end() || !was->xpass())) d.new_xpass.push_back(k.id);
  }
  d.changed = CountChanges(before, after);
  d.after_incomplete = !after.context.complete;
  return d;
}

int DiffExitCode(const ReportDiff& d, bool fail_on_xpass) {
  if (!d.new_failures.empty()) return 1;
  if (fail_on_xpass && (!d.new_xpass.empty() || d.after_incomplete)) return 1;
  return 0;
}

void WriteDiffMarkdown(const ReportDiff& d, std::ostream& os) {
  os << "## convcheck diff: " << d.new_failures.size() << " new, " << d.fixed.size() << " fixed, "
     << d.new_xpass.size() << " new xpass, " << d.changed.size() << " rows changed\n\n";
  if (d.after_incomplete) os << "> The newer report is incomplete (interrupted or shards missing).\n\n";
  os << "### New divergences\n\n";
  for (const Failure& f : d.new_failures) {
    os << "- `" << Signature(f) << "` (" << f.occurrences << " cases): `"
       << CaseToJsonLine(f.minimal_case) << "`\n";
  }
  os << (d.new_failures.empty() ? "None.\n" : "") << "\n### Fixed\n\n";
  for (const Failure& f : d.fixed) os << "- `" << Signature(f) << "`\n";
  os << (d.fixed.empty() ? "None.\n" : "") << "\n### New xpass (known deviation may be fixed)\n\n";
  for (const std::string& id : d.new_xpass) os << "- " << id << "\n";
  os << (d.new_xpass.empty() ? "None.\n" : "") << "\n### Counts changed\n\n";
  if (d.changed.empty()) {
    os << "None.\n";
    return;
  }
  os << "| row | unexpected | xfail |\n|---|---|---|\n";
  for (const CountChange& c : d.changed) {
    os << "| " << c.row << " | " << c.unexpected_before << " → " << c.unexpected_after << " | "
       << c.xfail_before << " → " << c.xfail_after << " |\n";
  }
}

}  // namespace convcheck::report
