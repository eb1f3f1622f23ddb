// Merging shard reports into one night's report. Shards of one run (same seed, same framework
// and version, same shard count) merge into exactly the report one unsharded run would give:
// counts and known-deviation tallies add, failures are deduplicated by signature keeping the
// minimal case (a total order, so the result does not depend on the order of the inputs).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/report.h"

namespace convcheck::report {

struct MergeOptions {
  // Merge reports of different seeds, framework versions or shard counts, or repeated shards
  // (each such mismatch becomes a warning instead of an error).
  bool force = false;
  // Merge even when the parts do not cover every shard 0..shard_count-1; the result is marked
  // incomplete (and a warning names the missing shards). Without it a missing shard is an error.
  bool allow_incomplete = false;
};

struct MergeResult {
  std::optional<Report> value;
  std::string error;                  // one line: which input disagrees on what
  std::vector<std::string> warnings;  // mismatches accepted under force; missing shards
  bool ok() const { return value.has_value(); }
};

// Merges `parts` (at least one). The merged context covers the union of shards; it is complete
// only when every part is complete and every shard 0..N-1 is present. A missing shard is an
// error naming the missing indices unless `options.allow_incomplete`. Counts (skip reasons
// included) add. `names` (parallel to `parts`, may be empty) label the inputs in messages.
MergeResult MergeReports(const std::vector<Report>& parts, const std::vector<std::string>& names,
                         const MergeOptions& options);

}  // namespace convcheck::report
