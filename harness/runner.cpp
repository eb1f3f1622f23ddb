#include "harness/runner.h"

#include <chrono>
#include <csignal>
#include <iomanip>
#include <numeric>

#include "harness/case_stream.h"
#include "harness/interrupt.h"
#include "harness/reproducer.h"

namespace convcheck {

int64_t VerdictCounts::total() const {
  return std::accumulate(by_verdict.begin(), by_verdict.end(), int64_t{0});
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
  return s;
}

// Minimizes a divergence: smaller cases from the same shrink tree that keep the same verdict.
CaseResult Minimize(const rc::Shrinkable<ConvCase>& drawn, const CaseResult& found,
                    Backend& backend, const KnownDeviations& known, uint64_t limit) {
  int steps = 0;
  const ConvCase minimal = Shrink(
      drawn,
      [&](const ConvCase& c) {
        const CaseResult r = CheckCase(c, backend, limit);
        return r.verdict == found.verdict && !known.Match(r);
      },
      &steps);
  return CheckCase(minimal, backend, limit);
}

bool BudgetLeft(const RunConfig& config, int64_t done, Clock::time_point start) {
  if (InterruptRequested()) return false;
  if (config.seconds > 0) {
    return std::chrono::duration<double>(Clock::now() - start).count() < config.seconds;
  }
  return done < config.cases;
}

}  // namespace

RunSummary RunConformance(const RunConfig& config, Backend& backend,
                          const KnownDeviations& known, std::ostream& log) {
  RunSummary summary;
  summary.seed = config.seed;
  for (const KnownDeviation& d : known.records()) summary.known.push_back({d.id, 0, 0});
  const CaseStream stream(config.seed, StreamFor(config));
  const auto start = Clock::now();
  int64_t index = 0;
  for (; BudgetLeft(config, index, start); ++index) {
    const rc::Shrinkable<ConvCase> drawn = stream.At(static_cast<uint64_t>(index));
    CaseResult r = CheckCase(drawn.value(), backend, config.memory_limit_bytes);
    VerdictCounts& counts = summary.per_op[r.c.op];
    const bool failed = !IsAgreement(r.verdict) && r.verdict != Verdict::kSkipped;
    if (failed) {
      if (const auto k = known.Match(r)) {
        ++counts.xfail;
        ++summary.known[*k].xfail;
        r.xfail = known.records()[*k].id;
      }
    } else {
      for (size_t k : known.FamiliesOf(r)) ++summary.known[k].family_agreed;
    }
    ++counts.by_verdict[static_cast<size_t>(r.verdict)];
    if (failed && !r.xfail) {
      CaseResult minimal = config.shrink ? Minimize(drawn, r, backend, known, config.memory_limit_bytes) : r;
      if (static_cast<int>(summary.divergences.size()) < config.max_printed && !config.quiet) {
        log << ReproducerBlock(minimal) << "(case #" << index << " of seed " << config.seed
            << "; replay: convcheck run --seed " << config.seed << ")\n\n";
      }
      summary.divergences.push_back(std::move(minimal));
    }
  }
  summary.cases = index;
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
    const int64_t agree = c.of(Verdict::kAgree) + c.of(Verdict::kBothRejected);
    const int64_t shape = c.of(Verdict::kShapeMismatch);
    const int64_t validity = c.of(Verdict::kOracleOnlyRejected) + c.of(Verdict::kBackendOnlyRejected);
    // xfail cases are inside the shape/validity counts; show them apart so unexpected = rest.
    os << std::left << std::setw(18) << name << std::right << std::setw(8) << c.total()
       << std::setw(8) << agree << std::setw(8) << shape << std::setw(10) << validity
       << std::setw(8) << c.xfail << std::setw(8) << c.total() - agree - shape - validity
       << "\n";
  };
  for (const auto& [op, c] : s.per_op) {
    row(OpName(op), c);
    for (size_t v = 0; v < all.by_verdict.size(); ++v) all.by_verdict[v] += c.by_verdict[v];
    all.xfail += c.xfail;
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
