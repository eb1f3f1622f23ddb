// The one engine every command uses (ARCHITECTURE.md): cases in, from wherever a command reads
// them; each case judged by the base properties (one backend call, batched and isolated) and by
// every selected property; each result matched against the known deviations and tallied; each
// unexpected divergence shrunk when it came with a shrink tree, printed as a reproducer and kept.
// `run`, `check`, `replay` and the differential fuzz target differ only in where cases come from.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "backends/backend.h"
#include "engine/run_config.h"
#include "engine/run_summary.h"
#include "engine/property_prefetch.h"
#include "engine/timed_backend.h"
#include "properties/known_deviations.h"
#include "properties/numeric_properties.h"
#include "properties/property.h"

namespace convcheck {

// One case as a command hands it to the engine.
struct CaseItem {
  ConvCase c;
  // A generated case's shrink tree; divergences of cases without one are reported as given.
  std::optional<rc::Shrinkable<ConvCase>> drawn;
  int64_t index = 0;   // key of the numeric sampling: stream index, line number, file number
  std::string source;  // where it came from, for the reproducer ("cases.jsonl:7")
  // Extra properties to check regardless of the run's selection and sampling (a corpus entry
  // names the property it was saved for); the run's selection applies as well.
  std::vector<std::string> properties;
  // A known deviation's exact example: the deviation must still show; agreeing is an XPASS.
  std::string known_id;
  std::string known_property;  // the property whose result decides the XPASS
};

// Everything one judged case produced: the base result first, then each property's result.
using CaseResults = std::vector<CaseResult>;

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
  std::vector<CaseResults> JudgeBatch(const std::vector<CaseItem>& items);

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
  // Fills cache_ with the backend's answers to every case the chosen properties will ask for
  // (engine/property_prefetch.h), in one batch spread over the workers.
  void Prefetch(const std::vector<CaseItem>& items, const std::vector<std::vector<size_t>>& chosen);
  bool Record(CaseResult* r, const CaseItem& item, bool base);
  void ReportDivergence(CaseResult found, const CaseItem& item, CaseProperty* property);
  void CheckXpass(const CaseItem& item, const CaseResults& results);

  const RunConfig& config_;
  // Every backend call goes through it, so the summary can split the run's time (issue #11).
  TimedBackend backend_;
  // Properties call the backend through it: the batch's prefetched answers, else backend_.
  CachedBackend cache_;
  const KnownDeviations& known_;
  std::ostream& log_;
  std::vector<std::unique_ptr<CaseProperty>> properties_;
  std::vector<bool> selected_;  // per properties_: in the run's selection (else only when named)
  RunSummary summary_;
  int printed_ = 0;  // reproducer blocks printed (one per signature, at most max_printed)
  double started_ = 0;
  // Where the time went, without the backend's part: per properties_, the base judging
  // (oracle, Judge, tallies), and shrinking.
  std::vector<report::TimeRow> property_time_;
  report::TimeRow base_time_{"judge", "oracle + Judge + tallies (base properties)", 0, 0};
  // The backend's batched base checks, apart from the property calls (prefetched in batches,
  // below) and the single calls of shrinking and of properties whose guess missed.
  BackendTime base_batches_;
  report::TimeRow shrink_time_{"shrink", "minimizing divergences", 0, 0};
  // The speculative pass (its own time; calls = cases it asked the backend for) and the
  // batches that answered it.
  report::TimeRow prefetch_time_{"engine", "property prefetch (speculative pass)", 0, 0};
  BackendTime prefetch_batches_;
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

// `convcheck run`: the configured budget of generated cases (this shard's part of it) through
// an engine; `progress` is called after every batch.
RunSummary RunConformance(const RunConfig& config, Backend& backend, const KnownDeviations& known,
                          std::ostream& log, const ProgressFn& progress = {},
                          const NumericSetup& numeric = {});

}  // namespace convcheck
