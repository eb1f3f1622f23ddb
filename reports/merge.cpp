#include "reports/merge.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

#include "oracles/int128.h"

#include "reports/summarize.h"

namespace convcheck::report {
namespace {

std::string NameOf(const std::vector<std::string>& names, size_t i) {
  return i < names.size() ? names[i] : "report " + std::to_string(i + 1);
}

// Returns the mismatches between the first report and part i, as messages.
std::vector<std::string> Mismatches(const Context& a, const Context& b, const std::string& name) {
  std::vector<std::string> out;
  if (a.seed != b.seed) {
    out.push_back(name + ": seed " + std::to_string(b.seed) + " differs from " + std::to_string(a.seed));
  }
  if (a.framework != b.framework || a.framework_version != b.framework_version) {
    out.push_back(name + ": framework " + b.framework + " " + b.framework_version + " differs from " +
                  a.framework + " " + a.framework_version);
  }
  if (a.shard_count != b.shard_count) {
    out.push_back(name + ": shard count " + std::to_string(b.shard_count) + " differs from " +
                  std::to_string(a.shard_count));
  }
  if (a.budget_cases != b.budget_cases || a.budget_seconds != b.budget_seconds) {
    out.push_back(name + ": budget differs");
  }
  return out;
}

void AddUnique(const std::vector<std::string>& from, std::vector<std::string>* to) {
  for (const std::string& s : from) {
    if (std::find(to->begin(), to->end(), s) == to->end()) to->push_back(s);
  }
}

void MergeContext(const Context& part, Context* into) {
  into->shards.insert(into->shards.end(), part.shards.begin(), part.shards.end());
  into->cases += part.cases;
  into->seconds += part.seconds;
  into->complete = into->complete && part.complete;
  into->start_time = std::min(into->start_time, part.start_time);
  into->end_time = std::max(into->end_time, part.end_time);
  AddUnique(part.devices, &into->devices);
  AddUnique(part.dtypes, &into->dtypes);
}

// Where each key already sits in the merged lists, so merging N failure signatures costs N map
// look-ups rather than N^2/2 signature comparisons (40k signatures took a minute).
struct MergeIndex {
  std::unordered_map<std::string, size_t> failures;
  std::map<std::tuple<std::string, Op, Device, DType>, size_t> counts;
};

void MergeRecords(const Report& part, Report* into, MergeIndex* index) {
  for (const CountsRow& row : part.counts) {
    const auto [at, added] = index->counts.try_emplace(std::tie(row.property, row.op, row.device, row.dtype), into->counts.size());
    if (added) into->counts.push_back(row);
    else CombineCounts(row, &into->counts[at->second]);
  }
  for (const Failure& f : part.failures) {
    const auto [at, added] = index->failures.try_emplace(Signature(f), into->failures.size());
    if (added) into->failures.push_back(f);
    else CombineFailure(f, &into->failures[at->second]);
  }
  // Known deviations and kernel/stride cells are bounded by the records and bins (tens).
  for (const KnownRow& k : part.known) AddKnown(k, &into->known);
  for (const KernelStrideCount& k : part.kernel_stride) AddKernelStride(k, &into->kernel_stride);
  // The same library line printed in several shards is one line with the counts summed.
  for (const LibraryLine& l : part.library_output) {
    auto it = std::find_if(into->library_output.begin(), into->library_output.end(),
                           [&](const LibraryLine& o) { return o.text == l.text; });
    if (it == into->library_output.end()) into->library_output.push_back(l);
    else it->count += l.count;
  }
  // Shards' times add up row by row (the merged seconds are the shards' sum as well).
  for (const TimeRow& t : part.timings) {
    auto same = [&](const TimeRow& o) { return o.stage == t.stage && o.name == t.name; };
    auto it = std::find_if(into->timings.begin(), into->timings.end(), same);
    if (it == into->timings.end()) {
      into->timings.push_back(t);
    } else {
      it->calls += t.calls;
      it->seconds += t.seconds;
    }
  }
}

// Every count a report holds, summed exactly. The reader caps each count at 2^40 and a report's
// values at 2^23, so one report's sums fit int64; a merge must check that its parts' do too.
i128 CountMass(const Report& r) {
  i128 mass = r.context.cases;
  for (const CountsRow& row : r.counts) {
    for (int64_t n : row.by_verdict) mass += n;
    mass += row.xfail;
  }
  for (const Failure& f : r.failures) mass += f.occurrences;
  for (const KnownRow& k : r.known) mass += k.xfail + static_cast<i128>(k.family_agreed);
  for (const KernelStrideCount& k : r.kernel_stride) mass += k.cases + static_cast<i128>(k.failures);
  for (const LibraryLine& l : r.library_output) mass += l.count;
  return mass;
}

// Sorts and deduplicates the shard list; false when a shard index appeared more than once
// (warned: its cases are counted twice).
bool DedupShards(Context* c, std::vector<std::string>* warnings) {
  std::sort(c->shards.begin(), c->shards.end());
  bool unique = std::adjacent_find(c->shards.begin(), c->shards.end()) == c->shards.end();
  if (!unique) warnings->push_back("a shard appears more than once: its cases are counted twice");
  c->shards.erase(std::unique(c->shards.begin(), c->shards.end()), c->shards.end());
  return unique;
}

// "1,3 of 4" when shards 1 and 3 of 0..3 are absent from the (sorted) list; "" when none are.
// The message stays one readable line: at most 20 indices, then how many more.
std::string MissingShards(const Context& c) {
  std::string list;
  int missing = 0;
  for (int s = 0; s < c.shard_count; ++s) {
    if (std::binary_search(c.shards.begin(), c.shards.end(), s)) continue;
    if (++missing <= 20) list += (list.empty() ? "" : ",") + std::to_string(s);
  }
  if (missing > 20) list += " and " + std::to_string(missing - 20) + " more";
  return list.empty() ? "" : list + " of " + std::to_string(c.shard_count);
}

}  // namespace

MergeResult MergeReports(const std::vector<Report>& parts, const std::vector<std::string>& names,
                         const MergeOptions& options) {
  MergeResult result;
  if (parts.empty()) {
    result.error = "nothing to merge";
    return result;
  }
  i128 mass = 0;
  for (const Report& part : parts) mass += CountMass(part);
  if (mass > (i128{1} << 62)) {
    result.error = "the reports' counts sum to more than 2^62; they cannot be merged into one report";
    return result;
  }
  Report merged;
  MergeIndex index;
  merged.context = parts[0].context;
  merged.context.shards.clear();
  merged.context.cases = 0;
  merged.context.seconds = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    for (const std::string& m : Mismatches(parts[0].context, parts[i].context, NameOf(names, i))) {
      if (!options.force) {
        result.error = m + " (use --force to merge anyway)";
        return result;
      }
      result.warnings.push_back(m);
    }
    MergeContext(parts[i].context, &merged.context);
    MergeRecords(parts[i], &merged, &index);
  }
  if (!DedupShards(&merged.context, &result.warnings) && !options.force) {
    result.error = "a shard appears more than once (use --force to merge anyway)";
    return result;
  }
  const std::string missing = MissingShards(merged.context);
  if (!missing.empty()) {
    if (!options.allow_incomplete) {
      result.error = "shards missing: " + missing + " (use --allow-incomplete to merge anyway)";
      return result;
    }
    result.warnings.push_back("shards missing: " + missing + " (report marked incomplete)");
    merged.context.complete = false;
  }
  Summarize(&merged);
  result.value = std::move(merged);
  return result;
}

}  // namespace convcheck::report
