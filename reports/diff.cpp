#include "reports/diff.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "case_io/case_json.h"
#include "reports/escape.h"

namespace convcheck::report {
namespace {

std::string RowKey(const CountsRow& r) {
  return r.property + " " + OpName(r.op) + " " + DeviceName(r.device) + " " + DTypeName(r.dtype);
}

int64_t Unexpected(const CountsRow& r) {
  int64_t n = 0;
  for (Verdict v : kAllVerdicts) {
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

std::string Budget(const Context& c) {
  if (c.budget_cases > 0) return std::to_string(c.budget_cases) + " cases";
  return FormatSeconds(c.budget_seconds) + " s";
}

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

bool HasKnown(const Report& r, const std::string& id) {
  return std::any_of(r.known.begin(), r.known.end(), [&](const KnownRow& k) { return k.id == id; });
}

// Ids in `a`'s known list that `b`'s lacks, sorted.
std::vector<std::string> KnownOnlyIn(const Report& a, const Report& b) {
  std::vector<std::string> out;
  for (const KnownRow& k : a.known) {
    if (!HasKnown(b, k.id)) out.push_back(k.id);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> ContextWarnings(const Report& before, const Report& after) {
  const Context& a = before.context;
  const Context& b = after.context;
  std::vector<std::string> out;
  if (a.seed != b.seed) {
    out.push_back("seed differs: " + std::to_string(a.seed) + " → " + std::to_string(b.seed));
  }
  const bool same_seconds = a.budget_seconds == b.budget_seconds ||
                            (std::isnan(a.budget_seconds) && std::isnan(b.budget_seconds));
  if (a.budget_cases != b.budget_cases || !same_seconds) {
    out.push_back("budget differs: " + Budget(a) + " → " + Budget(b));
  }
  if (a.framework != b.framework || a.framework_version != b.framework_version) {
    out.push_back("framework differs: " + a.framework + " " + a.framework_version + " → " +
                  b.framework + " " + b.framework_version);
  }
  const std::vector<std::string> added = KnownOnlyIn(after, before);
  const std::vector<std::string> removed = KnownOnlyIn(before, after);
  if (!added.empty() || !removed.empty()) {
    std::string line = "known deviations differ:";
    if (!added.empty()) line += " added " + JoinIds(added);
    if (!added.empty() && !removed.empty()) line += ";";
    if (!removed.empty()) line += " removed " + JoinIds(removed);
    out.push_back(line);
  }
  return out;
}

// Whether known row `k` covers `property`: its property field lists one or several, joined by
// ", " (properties/known_deviations.h).
bool Covers(const KnownRow& k, const std::string& property) {
  for (size_t at = 0; at <= k.property.size();) {
    const size_t end = std::min(k.property.find(", ", at), k.property.size());
    if (k.property.compare(at, end - at, property) == 0) return true;
    at = end + 2;
  }
  return false;
}

// The known deviations of `after` that explain failures of `property` (xfail > 0) and did not
// cover it in `before`: new records, or records that gained the property (a new engine's
// property added to an existing family), sorted.
std::vector<std::string> NewlyKnown(const Report& before, const Report& after, const std::string& property) {
  std::vector<std::string> out;
  for (const KnownRow& k : after.known) {
    if (!Covers(k, property) || k.xfail == 0) continue;
    const auto was = std::find_if(before.known.begin(), before.known.end(), [&](const KnownRow& b) { return b.id == k.id; });
    if (was == before.known.end() || !Covers(*was, property)) out.push_back(k.id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

ReportDiff DiffReports(const Report& before, const Report& after) {
  ReportDiff d;
  for (const Failure& f : after.failures) {
    if (!HasSignature(before.failures, Signature(f))) d.new_failures.push_back(f);
  }
  for (const Failure& f : before.failures) {
    if (HasSignature(after.failures, Signature(f))) continue;
    std::vector<std::string> ids = NewlyKnown(before, after, f.property);
    if (ids.empty()) {
      d.fixed.push_back(f);
    } else {
      d.now_known.push_back({f, std::move(ids)});
    }
  }
  for (const KnownRow& k : after.known) {
    const auto was = std::find_if(before.known.begin(), before.known.end(),
                                  [&](const KnownRow& b) { return b.id == k.id; });
    if (k.xpass() && (was == before.known.end() || !was->xpass())) d.new_xpass.push_back(k.id);
  }
  d.changed = CountChanges(before, after);
  d.after_incomplete = !after.context.complete;
  d.warnings = ContextWarnings(before, after);
  return d;
}

int DiffExitCode(const ReportDiff& d, bool fail_on_xpass) {
  if (!d.new_failures.empty()) return 1;
  if (fail_on_xpass && (!d.new_xpass.empty() || d.after_incomplete)) return 1;
  return 0;
}

void WriteDiffMarkdown(const ReportDiff& d, std::ostream& os, const std::string& title) {
  os << "## " << title << ": " << d.new_failures.size() << " new, " << d.fixed.size() << " fixed, "
     << d.now_known.size() << " now known, " << d.new_xpass.size() << " new xpass, "
     << d.changed.size() << " rows changed\n\n";
  for (const std::string& w : d.warnings) {
    os << "> **Warning**: the reports are not like for like: " << w << ".\n\n";
  }
  if (d.after_incomplete) os << "> The newer report is incomplete (interrupted or shards missing).\n\n";
  os << "### New divergences\n\n";
  for (const Failure& f : d.new_failures) {
    os << "- `" << Signature(f) << "` (" << f.occurrences << " cases): `"
       << CaseToJsonLine(f.minimal_case) << "`\n";
  }
  os << (d.new_failures.empty() ? "None.\n" : "") << "\n### Fixed\n\n";
  for (const Failure& f : d.fixed) os << "- `" << Signature(f) << "`\n";
  os << (d.fixed.empty() ? "None.\n" : "")
     << "\n### Now known (explained by a newly added known deviation, not fixed)\n\n";
  for (const NowKnown& k : d.now_known) {
    os << "- `" << Signature(k.failure) << "` → " << JoinIds(k.known_ids) << "\n";
  }
  os << (d.now_known.empty() ? "None.\n" : "") << "\n### New xpass (known deviation may be fixed)\n\n";
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
