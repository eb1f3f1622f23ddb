#include "engine/run_summary.h"

#include "engine/color.h"
#include "properties/property_table.h"

#include <algorithm>
#include <iomanip>
#include <numeric>

namespace convcheck {

int64_t VerdictCounts::total() const {
  return std::accumulate(by_verdict.begin(), by_verdict.end(), int64_t{0});
}

void VerdictCounts::Add(const VerdictCounts& other) {
  for (size_t v = 0; v < by_verdict.size(); ++v) {
    by_verdict[v] += other.by_verdict[v];
    xfail_by_verdict[v] += other.xfail_by_verdict[v];
  }
  xfail += other.xfail;
  for (const auto& [reason, n] : other.skipped_by_reason) skipped_by_reason[reason] += n;
}

std::string SkipReason(const std::string& message) {
  std::string reason = message.substr(0, message.find(':'));
  while (!reason.empty() && reason.back() == ' ') reason.pop_back();
  if (reason.size() > 80) reason = reason.substr(0, 77) + "...";
  return reason.empty() ? "no reason given" : reason;
}

namespace {

std::string DescribeSkips(const VerdictCounts& c) {
  std::string out;
  for (const auto& [reason, n] : c.skipped_by_reason) {
    out += (out.empty() ? "" : "; ") + std::to_string(n) + " " + reason;
  }
  return out;
}

bool Named(const RunConfig& config, const std::string& property) {
  return std::find(config.properties.begin(), config.properties.end(), property) !=
         config.properties.end();
}

}  // namespace

std::vector<std::string> IdleProperties(const RunSummary& s, const RunConfig& config) {
  std::vector<std::string> idle;
  auto check = [&](const std::string& name, const VerdictCounts* c, bool named) {
    const int64_t offered = c ? c->total() : 0;
    if ((offered == 0 && !named) || (c && c->executed() > 0)) return;
    std::string line = name + ": 0 of " + std::to_string(offered) + " checks ran";
    line += offered == 0 ? " (no case was offered to it)" : " (skipped: " + DescribeSkips(*c) + ")";
    idle.push_back(line);
  };
  // The base properties are the backend's: together they must have run something.
  VerdictCounts base;
  for (const char* name : {"ShapeAgrees", "ValidityAgrees"}) {
    const auto it = s.per_property.find(name);
    if (it != s.per_property.end()) base.Add(it->second);
  }
  if (s.cases > 0) check("backend (ShapeAgrees/ValidityAgrees)", &base, true);
  std::string error;
  for (const std::string& name : RunSelection(config, &error)) {
    const auto it = s.per_property.find(name);
    check(name, it == s.per_property.end() ? nullptr : &it->second, Named(config, name));
  }
  return idle;
}

int RunExitCode(const RunSummary& s, const RunConfig& config, std::ostream& err) {
  if (s.unexpected() > 0 || !s.xpasses.empty()) return kRunFound;
  if (s.interrupted) return kRunUsage;
  const std::vector<std::string> idle = IdleProperties(s, config);
  for (const std::string& line : idle) {
    err << (config.allow_skipped ? "note: " : "error: ") << "asked for, executed no check: " << line << "\n";
  }
  if (!idle.empty() && !config.allow_skipped) {
    err << "exit 3: a requested check never ran (--allow-skipped accepts this)\n";
    return kRunNothingChecked;
  }
  return kRunOk;
}

// "ShapeAgrees/shape_mismatch/conv_transpose1d/bfloat16 — 32 cases, 1 shown", largest groups
// first, then one "N more" line.
static void PrintSignatures(const RunSummary& s, std::ostream& os) {
  if (s.signatures.empty()) return;
  std::vector<std::pair<std::string, SignatureCount>> groups(s.signatures.begin(), s.signatures.end());
  std::stable_sort(groups.begin(), groups.end(),
                   [](const auto& a, const auto& b) { return a.second.cases > b.second.cases; });
  constexpr size_t kListed = 20;
  const bool color = ColorEnabled(os);
  os << "\n" << Paint("unexpected divergences: " + std::to_string(s.unexpected()) + " cases in " +
                           std::to_string(groups.size()) + " signatures", "1;31", color) << "\n";
  int64_t rest = 0;
  for (size_t i = 0; i < groups.size(); ++i) {
    const SignatureCount& g = groups[i].second;
    if (i >= kListed) {
      rest += g.cases;
      continue;
    }
    os << "  " << Paint(groups[i].first, "31", color) << " — " << g.cases << (g.cases == 1 ? " case, " : " cases, ") << (g.shown ? 1 : 0)
       << " shown\n";
  }
  if (groups.size() > kListed) {
    os << "  " << groups.size() - kListed << " more signatures (" << rest << " cases): see --report / --html\n";
  }
}

// One line: where the time went, largest first ("time: libtorch 1.13.1 (shapes) 4.1 s (62%), ...");
// then one for CPU time, which is not a share of the wall time.
static void PrintTimings(const RunSummary& s, std::ostream& os) {
  if (s.timings.empty() || s.seconds <= 0) return;
  std::vector<report::TimeRow> rows, cpu;
  for (const report::TimeRow& t : s.timings) (t.stage == "cpu" ? cpu : rows).push_back(t);
  std::stable_sort(rows.begin(), rows.end(), [](const report::TimeRow& a, const report::TimeRow& b) {
    return a.seconds > b.seconds;
  });
  os << "time:";
  const char* sep = " ";
  for (const report::TimeRow& t : rows) {
    os << sep << t.stage << " " << t.name << " " << std::fixed << std::setprecision(2) << t.seconds
       << " s (" << std::setprecision(0) << 100 * t.seconds / s.seconds << "%)";
    sep = ", ";
  }
  os << "\n";
  if (!cpu.empty()) {
    // "cpu: this process 1.10 s, worker processes 1.70 s (2.80 s of CPU in 1.95 s)"
    double total = 0;
    os << "cpu:";
    sep = " ";
    for (const report::TimeRow& t : cpu) {
      os << sep << t.name << " " << std::fixed << std::setprecision(2) << t.seconds << " s";
      total += t.seconds;
      sep = ", ";
    }
    os << " (" << total << " s of CPU in " << s.seconds << " s)\n";
  }
  os.unsetf(std::ios::fixed);
}

void PrintSummary(const RunSummary& s, std::ostream& os) {
  // "cases" counts cases; the verdict columns count checks (each case runs several properties).
  os << std::left << std::setw(18) << "op" << std::right << std::setw(8) << "cases" << std::setw(8) << "checks"
     << std::setw(8) << "agree" << std::setw(8) << "shape" << std::setw(10) << "validity"
     << std::setw(8) << "xfail" << std::setw(8) << "other" << "\n";
  VerdictCounts all;
  auto row = [&](const std::string& name, int64_t cases, const VerdictCounts& c) {
    // Columns partition the results: shape/validity count unexpected failures only; failures a
    // known deviation explains are in xfail; other = skipped, crash, timeout, value, harness.
    const int64_t agree = c.of(Verdict::kAgree) + c.of(Verdict::kBothRejected);
    const int64_t shape = c.unexpected(Verdict::kShapeMismatch);
    const int64_t validity = c.unexpected(Verdict::kOracleOnlyRejected) +
                             c.unexpected(Verdict::kBackendOnlyRejected);
    os << std::left << std::setw(18) << name << std::right << std::setw(8) << cases << std::setw(8) << c.total()
       << std::setw(8) << agree << std::setw(8) << shape << std::setw(10) << validity
       << std::setw(8) << c.xfail << std::setw(8)
       << c.total() - agree - shape - validity - c.xfail << "\n";
  };
  for (const auto& [op, c] : s.per_op) {
    const auto n = s.cases_per_op.find(op);
    row(OpName(op), n == s.cases_per_op.end() ? 0 : n->second, c);
    all.Add(c);
  }
  row("total", s.cases, all);
  os << "\n" << std::left << std::setw(26) << "property" << std::right << std::setw(9) << "ran"
     << std::setw(11) << "unexpected" << std::setw(8) << "xfail" << std::setw(9) << "skipped"
     << "  skip reasons\n";
  for (const auto& [name, c] : s.per_property) {
    int64_t unexpected = 0;
    for (Verdict v : kAllVerdicts) unexpected += IsFailure(v) ? c.unexpected(v) : 0;
    os << std::left << std::setw(26) << name << std::right << std::setw(9) << c.executed()
       << std::setw(11) << unexpected << std::setw(8) << c.xfail << std::setw(9)
       << c.of(Verdict::kSkipped) << "  " << DescribeSkips(c) << "\n";
  }
  for (const std::string& p : s.not_selected) os << "not run: " << p << "\n";
  os << "seed " << s.seed << ", " << s.cases << " cases in " << std::fixed << std::setprecision(2)
     << s.seconds << " s (" << std::setprecision(0) << (s.seconds > 0 ? s.cases / s.seconds : 0)
     << " cases/s), " << all.executed() << " checks ran, " << all.of(Verdict::kSkipped)
     << " skipped, "
     << Paint(std::to_string(s.unexpected()) + " unexpected divergences", s.unexpected() > 0 ? "1;31" : "32",
              ColorEnabled(os));
  if (!s.xpasses.empty()) os << ", " << s.xpasses.size() << " XPASS";
  if (s.interrupted) os << " (interrupted: partial run)";
  os << "\n";
  os.unsetf(std::ios::fixed);
  PrintTimings(s, os);
  for (const KnownStatus& k : s.known) {
    if (k.xfail > 0) os << "xfail " << k.id << ": " << k.xfail << " cases\n";
    if (k.xpass()) os << "XPASS " << k.id << ": " << k.family_agreed << " family cases agree, none failed — the known deviation may be fixed\n";
  }
  PrintSignatures(s, os);
}

}  // namespace convcheck
