// The conformance run: draws cases from the deterministic stream in batches, hands each batch
// to the backend (which may isolate or parallelize it), judges every case against the oracle,
// matches failures with known deviations, shrinks new divergences, and tallies.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "harness/backends/backend.h"
#include "harness/known_deviations.h"
#include "harness/run_config.h"
#include "harness/verdict.h"

namespace convcheck {

struct VerdictCounts {
  std::array<int64_t, 10> by_verdict{};  // indexed by Verdict, xfails included
  std::array<int64_t, 10> xfail_by_verdict{};  // the part of by_verdict a known deviation explains
  int64_t xfail = 0;                     // failures matched by a known deviation (sum of above)
  int64_t total() const;
  int64_t of(Verdict v) const { return by_verdict[static_cast<size_t>(v)]; }
  // Cases with verdict v that no known deviation explains.
  int64_t unexpected(Verdict v) const {
    return by_verdict[static_cast<size_t>(v)] - xfail_by_verdict[static_cast<size_t>(v)];
  }
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

struct RunSummary {
  uint64_t seed = 0;
  int64_t cases = 0;
  double seconds = 0;
  std::map<Op, VerdictCounts> per_op;
  std::map<TallyKey, VerdictCounts> tallies;
  std::vector<CaseResult> divergences;  // unexpected (not xfail), minimized
  std::vector<CaseResult> xfails;       // first few failures per known deviation
  std::vector<KnownStatus> known;       // per known deviation: hits, xpass
  bool interrupted = false;
  int64_t unexpected() const;
};

// Oracle + backend + verdict for one case (no known-deviation matching).
CaseResult CheckCase(const ConvCase& c, Backend& backend, uint64_t memory_limit_bytes);

struct Progress {
  int64_t done = 0;
  int64_t budget = -1;  // cases this shard will run; -1 for a time budget
  double elapsed_seconds = 0;
  int64_t divergences = 0;
};
using ProgressFn = std::function<void(const Progress&)>;

// Runs the configured budget (this shard's part of it); `log` receives reproducer blocks as
// divergences are found; `progress` is called after every batch.
RunSummary RunConformance(const RunConfig& config, Backend& backend,
                          const KnownDeviations& known, std::ostream& log,
                          const ProgressFn& progress = {});

// The summary table (rows: op; columns: cases, agree, shape mismatch, validity mismatch,
// xfail, other), seed and cases/s.
void PrintSummary(const RunSummary& s, std::ostream& os);

}  // namespace convcheck
