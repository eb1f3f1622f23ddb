// The conformance run: draws cases from the deterministic stream, judges each against the
// oracle, matches failures with known deviations, shrinks new divergences, and tallies.
#pragma once

#include <array>
#include <map>
#include <ostream>
#include <vector>

#include "harness/backends/backend.h"
#include "harness/known_deviations.h"
#include "harness/run_config.h"
#include "harness/verdict.h"

namespace convcheck {

struct VerdictCounts {
  std::array<int64_t, 10> by_verdict{};  // indexed by Verdict
  int64_t xfail = 0;                     // failures matched by a known deviation
  int64_t total() const;
  int64_t of(Verdict v) const { return by_verdict[static_cast<size_t>(v)]; }
};

struct RunSummary {
  uint64_t seed = 0;
  int64_t cases = 0;
  double seconds = 0;
  std::map<Op, VerdictCounts> per_op;
  std::vector<CaseResult> divergences;  // unexpected (not xfail), minimized
  std::vector<KnownStatus> known;       // per known deviation: hits, xpass
  bool interrupted = false;
  int64_t unexpected() const;
};

// Oracle + backend + verdict for one case (no known-deviation matching).
CaseResult CheckCase(const ConvCase& c, Backend& backend, uint64_t memory_limit_bytes);

// Runs the configured budget; `log` receives reproducer blocks as divergences are found.
RunSummary RunConformance(const RunConfig& config, Backend& backend,
                          const KnownDeviations& known, std::ostream& log);

// The summary table (rows: op; columns: cases, agree, shape mismatch, validity mismatch,
// xfail, other), seed and cases/s.
void PrintSummary(const RunSummary& s, std::ostream& os);

}  // namespace convcheck
