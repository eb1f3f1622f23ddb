// What a run found, tallied the same way whichever command ran it: verdict counts per report
// row, executed checks and skips (by reason) per property, the unexpected divergences, the known
// deviations that explained failures, and the XPASSes. The summary the terminal prints and the
// exit code are computed from it, so every command reports and exits alike.
#pragma once

#include <array>
#include <map>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "engine/run_config.h"
#include "properties/known_deviations.h"
#include "properties/verdict.h"
#include "reports/report.h"

namespace convcheck {

struct VerdictCounts {
  std::array<int64_t, kVerdictCount> by_verdict{};        // indexed by Verdict, xfails included
  std::array<int64_t, kVerdictCount> xfail_by_verdict{};  // the part a known deviation explains
  int64_t xfail = 0;                                      // sum of xfail_by_verdict
  std::map<std::string, int64_t> skipped_by_reason;       // SkipReason(...) -> count
  int64_t total() const;
  int64_t of(Verdict v) const { return by_verdict[static_cast<size_t>(v)]; }
  // Results with verdict v that no known deviation explains.
  int64_t unexpected(Verdict v) const {
    return by_verdict[static_cast<size_t>(v)] - xfail_by_verdict[static_cast<size_t>(v)];
  }
  // Checks that ran (every result but the skipped ones).
  int64_t executed() const { return total() - of(Verdict::kSkipped); }
  void Add(const VerdictCounts& other);
};

// Report rows: one per (property, op, device, dtype); the op fixes the spatial rank.
struct TallyKey {
  std::string property;
  Op op;
  Device device;
  DType dtype;
  bool operator<(const TallyKey& o) const {
    return std::tie(property, op, device, dtype) < std::tie(o.property, o.op, o.device, o.dtype);
  }
};

// Unexpected divergences of one failure signature: how many, and whether a reproducer was printed.
struct SignatureCount {
  int64_t cases = 0;
  bool shown = false;
};

struct RunSummary {
  uint64_t seed = 0;
  int64_t cases = 0;
  std::map<Op, int64_t> cases_per_op;  // cases, not checks: one case runs several properties
  std::map<std::string, SignatureCount> signatures;  // of `divergences`
  double seconds = 0;
  std::map<Op, VerdictCounts> per_op;
  std::map<TallyKey, VerdictCounts> tallies;
  std::map<std::string, VerdictCounts> per_property;  // every property that produced a result
  std::vector<CaseResult> divergences;  // unexpected (not xfail), minimized
  std::vector<CaseResult> xfails;       // first few failures per known deviation
  std::vector<CaseResult> xpasses;      // a known deviation's exact case that now agrees
  std::vector<KnownStatus> known;       // per known deviation: hits, xpass
  std::vector<report::KernelStrideCount> kernel_stride;  // base results of the cases drawn
  std::vector<std::string> not_selected;  // properties left out, each with its reason
  // Where the wall time went (Engine::Finish): the backend, the base judging, each property
  // and shrinking (each without its backend calls), the rest of the engine.
  std::vector<report::TimeRow> timings;
  bool interrupted = false;
  int64_t unexpected() const { return static_cast<int64_t>(divergences.size()); }
};

// The key a skip is counted under: its reason up to the first ':' (so "shape property failed:
// conv rejected: <message>" counts as "shape property failed"), at most 80 characters.
std::string SkipReason(const std::string& message);

// Properties (and the backend, through the base properties) that were asked for and executed
// no check, each with a one-line reason: "DevicesAgree: 0 of 412 checks ran (412 skipped: no
// CUDA device)". An extra property the user did not name explicitly counts only when it was
// offered cases (a short run may sample none for a numeric property).
std::vector<std::string> IdleProperties(const RunSummary& s, const RunConfig& config);

// Exit codes shared by every command (cli/command.h repeats them for the CLI).
enum RunExit { kRunOk = 0, kRunFound = 1, kRunUsage = 2, kRunNothingChecked = 3 };

// kRunFound on an unexpected divergence or an XPASS; else kRunUsage when interrupted; else
// kRunNothingChecked when IdleProperties is non-empty and `config.allow_skipped` is false (each
// printed to `err` as one line); else kRunOk.
int RunExitCode(const RunSummary& s, const RunConfig& config, std::ostream& err);

// The summary: per op (cases, agree, shape, validity, xfail, other), then per property (ran,
// skipped with reasons), seed, cases/s, and the known deviations' xfail/XPASS lines.
void PrintSummary(const RunSummary& s, std::ostream& os);

}  // namespace convcheck
