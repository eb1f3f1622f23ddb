#include "harness/runner.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <iomanip>
#include <numeric>

#include "harness/case_stream.h"
#include "harness/interrupt.h"
#include "harness/property.h"
#include "harness/reproducer.h"

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
}

int64_t RunSummary::unexpected() const { return static_cast<int64_t>(divergences.size()); }

CaseResult CheckCase(const ConvCase& c, Backend& backend, uint64_t memory_limit_bytes) {
  ShapeResult expected = OutputShape(c);
  BackendOutcome outcome = backend.Run(c);
  return Judge(c, std::move(expected), std::move(outcome), memory_limit_bytes);
}

namespace {

using Clock = std::chrono::steady_clock;

StreamOptions StreamFor(const RunConfig& config) {
  StreamOptions s;
  s.gen.ops = config.ops;
  s.gen.dtypes = config.dtypes;
  s.gen.device = config.device;
  s.extreme = config.extreme;
  s.gen.padding_modes = config.padding_modes;
  return s;
}

using Checker = std::function<std::optional<CaseResult>(const ConvCase&)>;

// Minimizes a divergence: smaller cases from the same shrink tree that keep the same verdict
// for the same property.
CaseResult Minimize(const rc::Shrinkable<ConvCase>& drawn, const CaseResult& found,
                    const Checker& check, const KnownDeviations& known) {
  int steps = 0;
  const ConvCase minimal = Shrink(
      drawn,
      [&](const ConvCase& c) {
        const std::optional<CaseResult> r = check(c);
        return r && r->verdict == found.verdict && !known.Match(*r);
      },
      &steps);
  std::optional<CaseResult> result = check(minimal);
  return result ? *result : found;
}

// Extra properties run in this process; one that throws (e.g. std::bad_alloc on a case too
// large for it) becomes a harness_error row instead of ending the run.
std::optional<CaseResult> GuardedCheck(CaseProperty& property, const ConvCase& c, Backend& backend) {
  try {
    return property.Check(c, backend);
  } catch (const std::exception& e) {
    CaseResult r;
    r.c = c;
    r.expected = OutputShape(c);
    r.outcome = BackendOutcome::Rejected(std::string("harness: ") + e.what());
    r.verdict = Verdict::kHarnessError;
    r.property = property.Name();
    r.detail = std::string("property threw: ") + e.what();
    return r;
  }
}

bool Selected(const RunConfig& config, const std::string& name) {
  return config.properties.empty() ||
         std::find(config.properties.begin(), config.properties.end(), name) != config.properties.end();
}

// Deterministic sampling of numeric properties: depends on (seed, index, property) only.
bool Sampled(uint64_t seed, int64_t index, const std::string& property, double rate) {
  if (rate >= 1) return true;
  uint64_t h = seed * 0x9E3779B97F4A7C15ULL ^ static_cast<uint64_t>(index) * 0xBF58476D1CE4E5B9ULL;
  for (char ch : property) h = (h ^ static_cast<unsigned char>(ch)) * 0x100000001B3ULL;
  h ^= h >> 31;
  return static_cast<double>(h % 1000000) < rate * 1e6;
}

bool BudgetLeft(const RunConfig& config, int64_t next_index, Clock::time_point start) {
  if (InterruptRequested()) return false;
  if (config.seconds > 0) {
    return std::chrono::duration<double>(Clock::now() - start).count() < config.seconds;
  }
  return next_index < config.cases;
}

// Tallies one judged case, matching failures with known deviations. Returns true when it is
// an unexpected divergence.
bool Record(CaseResult* r, const KnownDeviations& known, RunSummary* summary) {
  VerdictCounts& per_op = summary->per_op[r->c.op];
  VerdictCounts& tally = summary->tallies[{r->property, r->c.op, r->c.device, r->c.dtype}];
  const bool failed = !IsAgreement(r->verdict) && r->verdict != Verdict::kSkipped;
  if (failed) {
    if (const auto k = known.Match(*r)) {
      for (VerdictCounts* counts : {&per_op, &tally}) {
        ++counts->xfail;
        ++counts->xfail_by_verdict[static_cast<size_t>(r->verdict)];
      }
      if (summary->known[*k].xfail++ < 3) summary->xfails.push_back(*r);
      r->xfail = known.records()[*k].id;
    }
  } else {
    for (size_t k : known.FamiliesOf(*r)) ++summary->known[k].family_agreed;
  }
  ++per_op.by_verdict[static_cast<size_t>(r->verdict)];
  ++tally.by_verdict[static_cast<size_t>(r->verdict)];
  return failed && !r->xfail;
}

}  // namespace

RunSummary RunConformance(const RunConfig& config, Backend& backend,
                          const KnownDeviations& known, std::ostream& log,
                          const ProgressFn& progress) {
  constexpr int64_t kBatch = 256;
  RunSummary summary;
  summary.seed = config.seed;
  for (const KnownDeviation& d : known.records()) summary.known.push_back({d.id, 0, 0, d.partial});
  const CaseStream stream(config.seed, StreamFor(config));
  const auto start = Clock::now();
  const int64_t step = std::max(config.shard_count, 1);
  int64_t next = config.shard_index;  // next global stream index of this shard
  auto report = [&](CaseResult&& found, const rc::Shrinkable<ConvCase>& drawn, int64_t index,
                    const Checker& check) {
    CaseResult minimal = config.shrink ? Minimize(drawn, found, check, known) : found;
    if (static_cast<int>(summary.divergences.size()) < config.max_printed && !config.quiet) {
      log << ReproducerBlock(minimal) << "(case #" << index << " of seed " << config.seed
          << "; replay: convcheck run --seed " << config.seed << ")\n\n";
    }
    summary.divergences.push_back(std::move(minimal));
  };
  while (BudgetLeft(config, next, start)) {
    std::vector<int64_t> indices;
    for (; static_cast<int64_t>(indices.size()) < kBatch; next += step) {
      if (config.seconds <= 0 && next >= config.cases) break;
      indices.push_back(next);
    }
    if (indices.empty()) break;
    std::vector<rc::Shrinkable<ConvCase>> drawn;
    std::vector<ConvCase> batch;
    for (int64_t i : indices) {
      drawn.push_back(stream.At(static_cast<uint64_t>(i)));
      batch.push_back(drawn.back().value());
    }
    std::vector<BackendOutcome> outcomes = backend.RunBatch(batch);
    const Checker shape_check = [&](const ConvCase& c) -> std::optional<CaseResult> {
      return CheckCase(c, backend, config.memory_limit_bytes);
    };
    for (size_t u = 0; u < batch.size(); ++u) {
      CaseResult r = Judge(batch[u], OutputShape(batch[u]), std::move(outcomes[u]),
                           config.memory_limit_bytes);
      if (Record(&r, known, &summary)) report(std::move(r), drawn[u], indices[u], shape_check);
      for (const auto& property : PropertyRegistry()) {
        if (!Selected(config, property->Name())) continue;
        if (property->Numeric() && !Sampled(config.seed, indices[u], property->Name(), config.numeric_rate)) continue;
        const Checker check = [&](const ConvCase& c) { return GuardedCheck(*property, c, backend); };
        std::optional<CaseResult> extra = check(batch[u]);
        if (extra && Record(&*extra, known, &summary)) report(std::move(*extra), drawn[u], indices[u], check);
      }
    }
    summary.cases += static_cast<int64_t>(batch.size());
    if (progress) {
      progress({summary.cases, config.seconds > 0 ? -1 : (config.cases - config.shard_index + step - 1) / step,
                std::chrono::duration<double>(Clock::now() - start).count(), summary.unexpected()});
    }
  }
  summary.interrupted = InterruptRequested();
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return summary;
}

void PrintSummary(const RunSummary& s, std::ostream& os) {
  os << std::left << std::setw(18) << "op" << std::right << std::setw(8) << "cases"
     << std::setw(8) << "agree" << std::setw(8) << "shape" << std::setw(10) << "validity"
     << std::setw(8) << "xfail" << std::setw(8) << "other" << "\n";
  VerdictCounts all;
  auto row = [&](const std::string& name, const VerdictCounts& c) {
    // Columns partition the cases: shape/validity count unexpected failures only; failures a
    // known deviation explains are in xfail; other = skipped, crash, timeout, value, harness.
    const int64_t agree = c.of(Verdict::kAgree) + c.of(Verdict::kBothRejected);
    const int64_t shape = c.unexpected(Verdict::kShapeMismatch);
    const int64_t validity = c.unexpected(Verdict::kOracleOnlyRejected) +
                             c.unexpected(Verdict::kBackendOnlyRejected);
    os << std::left << std::setw(18) << name << std::right << std::setw(8) << c.total()
       << std::setw(8) << agree << std::setw(8) << shape << std::setw(10) << validity
       << std::setw(8) << c.xfail << std::setw(8)
       << c.total() - agree - shape - validity - c.xfail << "\n";
  };
  for (const auto& [op, c] : s.per_op) {
    row(OpName(op), c);
    all.Add(c);
  }
  row("total", all);
  const int64_t skipped = all.of(Verdict::kSkipped);
  os << "seed " << s.seed << ", " << s.cases << " cases in " << std::fixed << std::setprecision(2)
     << s.seconds << " s (" << std::setprecision(0) << (s.seconds > 0 ? s.cases / s.seconds : 0)
     << " cases/s)";
  if (skipped > 0) os << ", " << skipped << " skipped";
  os << ", " << s.unexpected() << " unexpected divergences";
  if (s.interrupted) os << " (interrupted: partial run)";
  os << "\n";
  for (const KnownStatus& k : s.known) {
    if (k.xfail > 0) os << "xfail " << k.id << ": " << k.xfail << " cases\n";
    if (k.xpass()) os << "XPASS " << k.id << ": " << k.family_agreed << " family cases agree, none failed — the known deviation may be fixed\n";
  }
}

}  // namespace convcheck
