#include "reports/summarize.h"

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>

#include "case_io/case_json.h"
#include "reports/failure_messages.h"

namespace convcheck::report {
namespace {

auto CountsKey(const CountsRow& r) { return std::tie(r.property, r.op, r.device, r.dtype); }

int64_t Failing(const CountsRow& r) {
  int64_t n = 0;
  for (Verdict v : kAllVerdicts) {
    if (IsFailure(v)) n += r.of(v);
  }
  return n;
}

int64_t Checks(const CountsRow& r) {
  int64_t n = 0;
  for (int64_t c : r.by_verdict) n += c;
  return n;
}

HeatCell Cell(int64_t cases, int64_t failures) {
  const double rate = cases > 0 ? static_cast<double>(failures) / static_cast<double>(cases)
                                : std::numeric_limits<double>::quiet_NaN();
  return {cases, failures, rate};
}

std::string Bin(const Dims& d, int64_t top) {
  int64_t m = d.empty() ? 0 : *std::max_element(d.begin(), d.end());
  if (m >= top) return std::to_string(top) + "+";
  return std::to_string(std::max<int64_t>(m, 0));
}

// Divergence rate by op (rows) and property (columns) over the executed checks of the counts
// rows: a skipped check is not a case (an all-skipped cell has no rate, not a rate of 0).
Heatmap OpPropertyHeatmap(const std::vector<CountsRow>& counts) {
  Heatmap h{"Unexpected divergence rate by op × property", "op", "property", {}, {}, {}};
  std::map<std::pair<Op, std::string>, std::pair<int64_t, int64_t>> sums;
  std::vector<Op> ops;
  for (const CountsRow& r : counts) {
    auto& s = sums[{r.op, r.property}];
    s.first += Checks(r) - r.of(Verdict::kSkipped);  // a skipped check is no case that agreed
    s.second += Failing(r) - r.xfail;
    if (std::find(ops.begin(), ops.end(), r.op) == ops.end()) ops.push_back(r.op);
    if (std::find(h.cols.begin(), h.cols.end(), r.property) == h.cols.end()) h.cols.push_back(r.property);
  }
  std::sort(ops.begin(), ops.end());
  std::sort(h.cols.begin(), h.cols.end());
  for (Op op : ops) {
    h.rows.push_back(OpName(op));
    for (const std::string& p : h.cols) {
      const auto it = sums.find({op, p});
      h.cells.push_back(it == sums.end() ? Cell(0, 0) : Cell(it->second.first, it->second.second));
    }
  }
  return h;
}

// Divergence rate by op (rows) and dtype (columns), every property summed: a bug confined to one
// dtype (all of a run's failures bfloat16) shows as one hot column.
Heatmap OpDTypeHeatmap(const std::vector<CountsRow>& counts) {
  Heatmap h{"Unexpected divergence rate by op × dtype", "op", "dtype", {}, {}, {}};
  std::map<std::pair<Op, DType>, std::pair<int64_t, int64_t>> sums;
  std::vector<Op> ops;
  std::vector<DType> dtypes;
  for (const CountsRow& r : counts) {
    auto& s = sums[{r.op, r.dtype}];
    s.first += Checks(r) - r.of(Verdict::kSkipped);
    s.second += Failing(r) - r.xfail;
    if (std::find(ops.begin(), ops.end(), r.op) == ops.end()) ops.push_back(r.op);
    if (std::find(dtypes.begin(), dtypes.end(), r.dtype) == dtypes.end()) dtypes.push_back(r.dtype);
  }
  std::sort(ops.begin(), ops.end());
  std::sort(dtypes.begin(), dtypes.end());
  for (DType d : dtypes) h.cols.push_back(DTypeName(d));
  for (Op op : ops) {
    h.rows.push_back(OpName(op));
    for (DType d : dtypes) {
      const auto it = sums.find({op, d});
      h.cells.push_back(it == sums.end() ? Cell(0, 0) : Cell(it->second.first, it->second.second));
    }
  }
  return h;
}

Heatmap KernelStrideHeatmap(const std::vector<KernelStrideCount>& cells) {
  Heatmap h{"Unexpected divergence rate by kernel × stride (largest entry; base properties)",
            "kernel", "stride", {"1", "2", "3", "4", "5", "6", "7", "8+"},
            {"1", "2", "3", "4", "5+"}, {}};
  for (const std::string& k : h.rows) {
    for (const std::string& s : h.cols) {
      const auto it = std::find_if(cells.begin(), cells.end(), [&](const KernelStrideCount& c) {
        return c.kernel == k && c.stride == s;
      });
      h.cells.push_back(it == cells.end() ? Cell(0, 0) : Cell(it->cases, it->failures));
    }
  }
  return h;
}

}  // namespace

bool MinimalFirst(const ConvCase& a, const ConvCase& b) {
  const std::string ja = CaseToJsonLine(a), jb = CaseToJsonLine(b);
  return ja.size() != jb.size() ? ja.size() < jb.size() : ja < jb;
}

void CombineFailure(const Failure& f, Failure* g) {
  const int64_t total = g->occurrences + f.occurrences;
  std::vector<MessageCount> messages = MergeMessages(g->messages, f.messages);
  // Equal minimal cases can come from different originals (a round trip derives the same
  // float32 case from a float32 and a float64 example); the other fields break the tie, so a
  // merge of shards keeps the same representative as the unsharded run, whatever the order.
  const bool same_case = !MinimalFirst(f.minimal_case, g->minimal_case) && !MinimalFirst(g->minimal_case, f.minimal_case);
  if (MinimalFirst(f.minimal_case, g->minimal_case) ||
      (same_case && std::tie(f.detail, f.outcome, f.expectation) < std::tie(g->detail, g->outcome, g->expectation))) {
    *g = f;
  }
  g->occurrences = total;
  g->messages = std::move(messages);
}

void AddFailure(const Failure& f, std::vector<Failure>* failures) {
  const std::string sig = Signature(f);
  for (Failure& g : *failures) {
    if (Signature(g) != sig) continue;
    CombineFailure(f, &g);
    return;
  }
  failures->push_back(f);
}

void CombineCounts(const CountsRow& row, CountsRow* r) {
  for (size_t v = 0; v < kVerdictCount; ++v) r->by_verdict[v] += row.by_verdict[v];
  r->xfail += row.xfail;
  for (const auto& [reason, n] : row.skipped_by_reason) r->skipped_by_reason[reason] += n;
}

void AddCounts(const CountsRow& row, std::vector<CountsRow>* rows) {
  for (CountsRow& r : *rows) {
    if (CountsKey(r) != CountsKey(row)) continue;
    CombineCounts(row, &r);
    return;
  }
  rows->push_back(row);
}

std::map<std::string, int64_t> SkipReasons(const CountsRow& row) {
  std::map<std::string, int64_t> out;
  int64_t explained = 0;
  for (const auto& [reason, n] : row.skipped_by_reason) {
    if (n <= 0) continue;
    out[reason] += n;
    explained += n;
  }
  const int64_t rest = row.of(Verdict::kSkipped) - explained;
  if (rest > 0) out[kUnrecordedSkipReason] += rest;
  return out;
}

std::string DescribeSkipReasons(const std::map<std::string, int64_t>& reasons) {
  std::string out;
  for (const auto& [reason, n] : reasons) {
    out += (out.empty() ? "" : "; ") + std::to_string(n) + " " + reason;
  }
  return out;
}

void AddKnown(const KnownRow& row, std::vector<KnownRow>* rows) {
  for (KnownRow& r : *rows) {
    if (r.id != row.id) continue;
    r.xfail += row.xfail;
    r.family_agreed += row.family_agreed;
    return;
  }
  rows->push_back(row);
}

void AddKernelStride(const KernelStrideCount& c, std::vector<KernelStrideCount>* cells) {
  for (KernelStrideCount& k : *cells) {
    if (k.kernel != c.kernel || k.stride != c.stride) continue;
    k.cases += c.cases;
    k.failures += c.failures;
    return;
  }
  cells->push_back(c);
}

std::string KernelBin(const ConvCase& c) { return Bin(c.kernel, 8); }
std::string StrideBin(const ConvCase& c) { return Bin(c.stride, 5); }

void Summarize(Report* r) {
  std::sort(r->counts.begin(), r->counts.end(),
            [](const CountsRow& a, const CountsRow& b) { return CountsKey(a) < CountsKey(b); });
  std::sort(r->failures.begin(), r->failures.end(),
            [](const Failure& a, const Failure& b) { return Signature(a) < Signature(b); });
  std::sort(r->known.begin(), r->known.end(),
            [](const KnownRow& a, const KnownRow& b) { return a.id < b.id; });
  std::sort(r->kernel_stride.begin(), r->kernel_stride.end(),
            [](const KernelStrideCount& a, const KernelStrideCount& b) {
              return std::tie(a.kernel, a.stride) < std::tie(b.kernel, b.stride);
            });
  Totals t;
  std::map<std::string, PropertyTotals> by_property;
  for (const CountsRow& row : r->counts) {
    for (size_t v = 0; v < kVerdictCount; ++v) t.by_verdict[v] += row.by_verdict[v];
    t.checks += Checks(row);
    t.unexpected += Failing(row) - row.xfail;
    t.xfail += row.xfail;
    PropertyTotals& p = by_property[row.property];
    p.property = row.property;
    p.skipped += row.of(Verdict::kSkipped);
    p.executed += Checks(row) - row.of(Verdict::kSkipped);
    for (const auto& [reason, n] : SkipReasons(row)) {
      p.skipped_by_reason[reason] += n;
      t.skipped_by_reason[reason] += n;
    }
  }
  for (auto& [name, p] : by_property) t.by_property.push_back(std::move(p));
  for (const KnownRow& k : r->known) t.xpass += k.xpass() ? 1 : 0;
  t.signatures = static_cast<int64_t>(r->failures.size());
  r->totals = t;
  r->heatmaps = {OpPropertyHeatmap(r->counts), OpDTypeHeatmap(r->counts)};
  if (!r->kernel_stride.empty()) r->heatmaps.push_back(KernelStrideHeatmap(r->kernel_stride));
}

}  // namespace convcheck::report
