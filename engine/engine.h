// The one engine every command uses (ARCHITECTURE.md): cases in, from wherever a command reads
// them; each case judged by the base properties (one backend call, batched and isolated) and by
// every selected property; each result matched against the known deviations and tallied; each
// unexpected divergence shrunk when it came with a shrink tree, printed as a reproducer and kept.
// `run`, `check`, `replay` and the differential fuzz target differ only in where cases come from.
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "backends/backend.h"
#include "engine/process_cpu.h"
#include "engine/run_config.h"
#include "engine/run_summary.h"
#include "engine/case_item.h"
#include "engine/pending_batch.h"
#include "engine/property_prefetch.h"
#include "engine/timed_backend.h"
#include "properties/known_deviations.h"
#include "properties/numeric_properties.h"
#include "properties/property.h"

namespace convcheck {


class Engine {
 public:
  // `config` selects properties (its list must have passed SelectProperties) and sampling;
  // `numeric` feeds the numeric properties; `log` receives reproducer blocks. All references
  // must outlive the engine.
  Engine(const RunConfig& config, Backend& backend, const KnownDeviations& known,
         const NumericSetup& numeric, std::ostream& log);
  ~Engine();

  // Judges a batch (the base properties through one RunBatch call) and records every result.
  CaseResults JudgeOne(const CaseItem& item) { return JudgeBatch({item}).front(); }
  std::vector<CaseResults> JudgeBatch(std::vector<CaseItem> items) { return Complete(Submit(std::move(items))); }

  // The two halves of JudgeBatch, for a caller that keeps the workers busy: Submit chooses the
  // batch's properties, runs their speculative pass and starts its backend calls (the base run
  // and every prefetched property call) on a thread of their own, and its numeric checks on
  // another, each after those of the batch submitted before; Complete judges and records every
  // case in order, waiting for the backend calls first and for the numeric checks at the first
  // case that has one. Submitting batch k+1 before completing batch k overlaps k+1's backend
  // calls with k's judging. Verdicts do not depend on it: each batch is answered from its own
  // cache, and a numeric check depends on its case alone.
  std::unique_ptr<PendingBatch> Submit(std::vector<CaseItem> items);
  std::vector<CaseResults> Complete(std::unique_ptr<PendingBatch> batch);

  const RunSummary& summary() const { return summary_; }
  // The summary with its wall time set; call once, after the last batch.
  RunSummary Finish(bool interrupted);
  // Extra properties this engine runs, in table order.
  std::vector<std::string> SelectedProperties() const;

 private:
  // Wall seconds of `fn` not spent in the backend, added to `own`.
  template <typename F>
  void TimeOwn(double* own, F fn);
  // Per item, the indices into properties_ that judge it (selection, names, sampling).
  std::vector<std::vector<size_t>> ChooseProperties(const std::vector<CaseItem>& items) const;
  // Records in `batch` every case its chosen properties will ask the backend for
  // (engine/property_prefetch.h).
  void Speculate(PendingBatch* batch);
  // On the backend thread: the base cases and the speculated ones in one RunBatch spread over
  // the workers, the recipe calls in one RunPaddedBatch; the answers stay in the batch.
  void RunBackendCalls(PendingBatch* batch);
  // On the judging thread, once they are done, for the first check that needs them: files the
  // answers the properties asked for in the batch's cache and returns it.
  Backend& FiledAnswers(PendingBatch* batch);
  // On the numeric thread: the batch's numeric checks, in order, each under numeric_mutex_.
  void RunNumericChecks(PendingBatch* batch);
  // A numeric property's check on this thread (shrinking), under numeric_mutex_.
  std::optional<CaseResult> LockedNumericCheck(CaseProperty& property, const ConvCase& c);
  // On the judging thread: waits for the batch's numeric checks (the first time it is called
  // for the batch) and rethrows what the numeric thread threw.
  void WaitForNumeric(PendingBatch* batch);
  // Whether every answer `guess` was given is the real one, so its result is the check's.
  static bool Confirmed(const PendingBatch& batch, const Guess& guess);
  // Judges item `u` of a completed batch and records its results.
  CaseResults JudgeItem(PendingBatch* batch, size_t u);
  bool Record(CaseResult* r, const CaseItem& item, bool base);
  void ReportDivergence(CaseResult found, const CaseItem& item, CaseProperty* property);
  void CheckXpass(const CaseItem& item, const CaseResults& results);

  const RunConfig& config_;
  // Every backend call goes through it, so the summary can split the run's time; it also lets
  // the backend thread and the judging thread share the backend.
  TimedBackend backend_;
  // Ready when the backend calls, and the numeric checks, of the last submitted batch are done.
  std::shared_future<void> last_launched_;
  std::shared_future<void> last_numeric_;
  // Seconds this (the judging) thread waited for a batch's backend calls, and for its numeric
  // checks.
  report::TimeRow wait_time_{"engine", "waiting for the backend", 0, 0};
  report::TimeRow numeric_wait_time_{"engine", "waiting for the numeric checks", 0, 0};
  // Numeric properties keep state (the numeric backend, made on first use) and share one
  // numeric worker, which answers one call at a time: the numeric thread holds this for each
  // check, and so does shrinking a numeric divergence on the judging thread.
  std::mutex numeric_mutex_;
  const KnownDeviations& known_;
  std::ostream& log_;
  std::vector<std::unique_ptr<CaseProperty>> properties_;
  std::vector<bool> selected_;  // per properties_: in the run's selection (else only when named)
  RunSummary summary_;
  int printed_ = 0;  // reproducer blocks printed (one per signature, at most max_printed)
  double started_ = 0;
  ProcessCpu cpu_started_;  // CPU of this process and its workers when the engine started
  // Where the time went, without the backend's part: per properties_ (a numeric property's
  // row is its checks' time on the numeric thread, stage "numeric"), the base judging (oracle,
  // Judge, tallies), and shrinking.
  std::vector<report::TimeRow> property_time_;
  report::TimeRow base_time_{"judge", "oracle + Judge + tallies (base properties)", 0, 0};
  // The backend thread's batches: base cases with the prefetched property calls, and the recipe
  // calls; what else the backend ran is the single calls of shrinking and of missed guesses.
  BackendTime base_batches_;
  BackendTime prefetch_batches_;
  report::TimeRow shrink_time_{"shrink", "minimizing divergences", 0, 0};
  // The speculative pass without the checks it ran (their time is their property's): keys,
  // guesses, filing answers; calls = cases it asked the backend for.
  report::TimeRow prefetch_time_{"engine", "property prefetch (speculative pass)", 0, 0};
  // Speculated checks whose guesses missed, so they ran again on the real answers (the property
  // rows hold each check's first run, so every row of the judging thread is its own time).
  report::TimeRow rerun_time_{"engine", "property checks run again (a guess missed)", 0, 0};
};

// Deterministic sampling of numeric properties: depends on (seed, index, property) only.
bool Sampled(uint64_t seed, int64_t index, const std::string& property, double rate);

// True for a case whose values every run checks, sampled or not: a padding="same" convolution
// with uneven (left, right) padding, where the side that takes the odd element changes only the
// values (no shape, validity or round-trip property can see it). --numeric-rate 0 still turns
// every numeric check off.
bool AlwaysValueChecked(const ConvCase& c);

struct Progress {
  int64_t done = 0;
  int64_t budget = -1;  // cases this shard will run; -1 for a time budget
  double elapsed_seconds = 0;
  int64_t divergences = 0;
};
using ProgressFn = std::function<void(const Progress&)>;

// The options of the case stream RunConformance draws from for `config` (ops, dtypes, device,
// padding modes, the extreme generator, ONNX geometry): a benchmark's reference loop draws
// the same cases through them (generators/case_stream.h).
struct StreamOptions;
StreamOptions RunStreamOptions(const RunConfig& config);

// `convcheck run`: the configured budget of generated cases (this shard's part of it) through
// an engine; `progress` is called after every batch.
RunSummary RunConformance(const RunConfig& config, Backend& backend, const KnownDeviations& known,
                          std::ostream& log, const ProgressFn& progress = {},
                          const NumericSetup& numeric = {});

}  // namespace convcheck
