// Known deviations are data (ARCHITECTURE.md): a framework's accepted divergence from the
// documented rule, scoped by case family, property, verdict, version range and message. A
// matching failure is reported as xfail; a family whose cases all agree again is xpass.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "properties/verdict.h"

namespace convcheck {

// Which cases a deviation concerns. Empty lists match everything.
struct CaseFamily {
  std::vector<Op> ops;
  std::vector<DType> dtypes;
  std::vector<Device> devices;
  std::vector<PaddingMode> padding_modes;
  std::vector<std::string> when;  // named predicates, all must hold (see CaseHas)
};

struct KnownDeviation {
  std::string id;
  std::string property;      // "ValidityAgrees", ... (several joined by ", " for display)
  Verdict verdict;           // the failing verdict it explains (the first of `verdicts`)
  // One defect often fails several properties the same way (a kernel that computes the wrong
  // thing breaks shapes, values and round trips): a record may name several of each.
  std::vector<std::string> properties;
  std::vector<Verdict> verdicts;
  std::string framework;     // "libtorch"
  std::string min_version;   // inclusive, "" = unbounded
  std::string max_version;   // exclusive, "" = unbounded
  CaseFamily family;
  std::string message;       // substring the backend's message must contain ("" = any)
  std::string evidence;      // link or reason
  // The defect hits only some cases of its family (e.g. only where a wrong kernel happens to
  // give the right shape), so family cases that agree say nothing: only replaying the record's
  // exact example (convcheck replay) can show it fixed.
  bool partial = false;
  // A family that hangs (verdict timeout) may state how long its cases get instead of the
  // run's per-case limit, in the workers that answer the record's properties (TimeLimitFor:
  // each case in a shape worker for a base or shape property, each call in the numeric worker
  // for a numeric one). Waiting longer for a known hang teaches nothing, and a fixed framework
  // answers well within it (then the case is judged, and xpass can show).
  std::optional<double> time_limit_s;
  // CPU flags the defect needs (/proc/cpuinfo names): on a CPU without them the framework
  // takes another path and the record does not load (e.g. LibTorch's oneDNN bfloat16 path
  // needs avx512bw, avx512vl and avx512dq). Empty: every CPU.
  std::vector<std::string> cpu_flags;
  std::string source;        // file it came from
};

// Per-deviation result of a run: how many failures it explained, and how many cases of its
// family agreed. xpass: family cases were seen and none failed (the bug looks fixed).
struct KnownStatus {
  std::string id;
  int64_t xfail = 0;
  int64_t family_agreed = 0;
  bool partial = false;
  bool xpass() const { return !partial && xfail == 0 && family_agreed > 0; }
};

class KnownDeviations {
 public:
  // Loads every *.json file in `dir` (one record or a list of records each). Returns an error
  // line naming the file and key on malformed input; an absent dir loads nothing.
  static std::optional<std::string> Load(const std::string& dir, const std::string& framework,
                                         const std::string& version, KnownDeviations* out);
  // Index of the deviation explaining a failing result, if any.
  std::optional<size_t> Match(const CaseResult& r) const;
  // Index of each deviation whose family contains `c` (for xpass accounting).
  std::vector<size_t> FamiliesOf(const CaseResult& r) const;
  // The shortest time_limit_s of the records whose family contains `c` and that name a
  // property `served` accepts (a worker's limit comes from the hangs of the properties it
  // answers: a hang in the backward pass is no reason to cut the forward short); nullopt when
  // none of them states one. Without `served`, every record counts.
  std::optional<double> TimeLimitFor(const ConvCase& c,
                                     const std::function<bool(const std::string&)>& served = {}) const;
  const std::vector<KnownDeviation>& records() const { return records_; }

 private:
  std::vector<KnownDeviation> records_;
};

// Named case predicates usable in a family's "when": zero_batch, zero_channels, zero_spatial,
// unbatched, batched, groups_gt_1, dilation_gt_1, non_positive_dilation, non_positive_stride, strided, same_padding, channels_last,
// weight_override, transposed, output_padding_gt_0, huge_parameter (any parameter >= 2^31 - 1),
// huge_kernel (a kernel or adaptive output_size >= 2^31 - 1), oracle_valid, oracle_invalid; and
// rule:<name> (the oracle refuses the case by that rule, oracles/rule.h).
bool CaseHas(const std::string& predicate, const CaseResult& r);
bool IsKnownPredicate(const std::string& predicate);

// Dotted version comparison ("1.13.1" < "2.0"): negative, zero or positive.
int CompareVersions(const std::string& a, const std::string& b);

}  // namespace convcheck
