#include "engine/engine.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <unordered_map>

#include "case_io/case_json.h"
#include "engine/backend_thread.h"
#include "engine/property_prefetch.h"
#include "engine/reproducer.h"
#include "engine/run_report.h"
#include "generators/case_stream.h"
#include "oracles/layer_ops.h"
#include "oracles/output_shape.h"
#include "properties/property_table.h"
#include "properties/resource_bound.h"
#include "properties/right_reason.h"
#include "reports/summarize.h"

namespace convcheck {
namespace {

using Clock = std::chrono::steady_clock;

double Now() { return std::chrono::duration<double>(Clock::now().time_since_epoch()).count(); }

// Properties run in this process; one that throws (e.g. std::bad_alloc on a case too large for
// it) becomes a harness_error row instead of ending the run.
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

bool HasCuda(const Backend& backend) {
  const std::vector<Device> devices = backend.Devices();
  return std::find(devices.begin(), devices.end(), Device::kCuda) != devices.end();
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The command that reruns exactly this case and property.
std::string RerunCommand(const CaseResult& r) {
  std::string properties = r.property;
  if (Contains(BasePropertyNames(), r.property)) properties = "none";
  return "echo '" + CaseToJsonLine(r.c) + "' | convcheck check - --properties " + properties;
}

}  // namespace

bool Sampled(uint64_t seed, int64_t index, const std::string& property, double rate) {
  if (rate >= 1) return true;
  uint64_t h = seed * 0x9E3779B97F4A7C15ULL ^ static_cast<uint64_t>(index) * 0xBF58476D1CE4E5B9ULL;
  for (char ch : property) h = (h ^ static_cast<unsigned char>(ch)) * 0x100000001B3ULL;
  h ^= h >> 31;
  return static_cast<double>(h % 1000000) < rate * 1e6;
}

bool AlwaysValueChecked(const ConvCase& c) {
  if (!IsConvOp(c.op) || c.padding_kind != PaddingKind::kSame || !OutputShape(c).ok()) return false;
  for (const PadPair& p : EffectivePadding(c)) {
    if (p.left != p.right) return true;
  }
  return false;
}

Engine::Engine(const RunConfig& config, Backend& backend, const KnownDeviations& known,
               const NumericSetup& numeric, std::ostream& log)
    : config_(config), backend_(backend), known_(known), log_(log), started_(Now()), cpu_started_(ProcessCpuNow()) {
  std::string error;
  const std::vector<std::string> selected = RunSelection(config, &error);
  // Without a CUDA device DevicesAgree can only skip; by default it is left out (and said so
  // in the summary), named explicitly it runs and its skips make the run exit 3.
  const bool drop_devices = config.properties.empty() && !HasCuda(backend);
  for (auto& p : MakeExtraProperties(numeric)) {
    // A property the backend cannot answer was left out, and said so, where it was chosen.
    const bool said = Contains(config.unanswerable, p->Name());
    if (drop_devices && p->Name() == "DevicesAgree") {
      if (!said) summary_.not_selected.push_back("DevicesAgree (no CUDA device; name it in --properties to require it)");
      continue;
    }
    // Without a peer engine ValuesAgreeAcrossEngines can only skip: left out by default, kept
    // for a corpus entry that names it (which then skips with the reason).
    const bool no_peer = config.properties.empty() && !numeric.HasPeer() && p->Name() == "ValuesAgreeAcrossEngines";
    if (no_peer && !said) summary_.not_selected.push_back(p->Name() + " (" + numeric.peer_missing + "; name it in --properties to require it)");
    // Properties a corpus entry names run even when the selection leaves them out.
    properties_.push_back(std::move(p));
    selected_.push_back(!no_peer && Contains(selected, properties_.back()->Name()));
    property_time_.push_back({properties_.back()->Numeric() ? "numeric" : "property", properties_.back()->Name(), 0, 0});
  }
  summary_.seed = config.seed;
  for (const KnownDeviation& d : known.records()) summary_.known.push_back({d.id, 0, 0, d.partial});
}

Engine::~Engine() {
  if (last_launched_.valid()) last_launched_.wait();
  if (last_numeric_.valid()) last_numeric_.wait();
}

template <typename F>
void Engine::TimeOwn(double* own, F fn) {
  const double backend_before = backend_.ThisThreadSeconds();
  const double start = Now();
  fn();
  *own += (Now() - start) - (backend_.ThisThreadSeconds() - backend_before);
}

std::vector<std::string> Engine::SelectedProperties() const {
  std::vector<std::string> names;
  for (size_t i = 0; i < properties_.size(); ++i) {
    if (selected_[i]) names.push_back(properties_[i]->Name());
  }
  return names;
}

bool Engine::Record(CaseResult* r, const CaseItem& item, bool base) {
  VerdictCounts* targets[] = {&summary_.per_op[r->c.op],
                              &summary_.tallies[{r->property, r->c.op, r->c.device, r->c.dtype}],
                              &summary_.per_property[r->property]};
  const bool failed = IsFailure(r->verdict);
  if (failed) {
    if (const auto k = known_.Match(*r)) {
      for (VerdictCounts* counts : targets) {
        ++counts->xfail;
        ++counts->xfail_by_verdict[static_cast<size_t>(r->verdict)];
      }
      if (summary_.known[*k].xfail++ < 3) summary_.xfails.push_back(*r);
      r->xfail = known_.records()[*k].id;
    }
  } else if (r->verdict != Verdict::kSkipped) {
    for (size_t k : known_.FamiliesOf(*r)) ++summary_.known[k].family_agreed;
  }
  const std::string reason = r->verdict == Verdict::kSkipped ? SkipReason(r->outcome.message.empty() ? r->detail : r->outcome.message) : "";
  for (VerdictCounts* counts : targets) {
    ++counts->by_verdict[static_cast<size_t>(r->verdict)];
    if (!reason.empty()) ++counts->skipped_by_reason[reason];
  }
  if (base && item.drawn) {
    report::AddKernelStride({report::KernelBin(r->c), report::StrideBin(r->c), 1,
                             failed && !r->xfail ? 1 : 0},
                            &summary_.kernel_stride);
  }
  return failed && !r->xfail;
}

void Engine::ReportDivergence(CaseResult found, const CaseItem& item, CaseProperty* property) {
  const auto check = [&](const ConvCase& c) -> std::optional<CaseResult> {
    if (property) return property->Numeric() ? LockedNumericCheck(*property, c) : GuardedCheck(*property, c, backend_);
    return CheckCase(c, backend_, config_.memory_limit_bytes);
  };
  if (config_.shrink && item.drawn) {
    ++shrink_time_.calls;
    TimeOwn(&shrink_time_.seconds, [&] {
      // The result of the last case shrinking accepted is the reproducer's: that is the minimal
      // case. Asking the backend once more could turn a flaky failure into an "agree" reported
      // as a divergence; with no step accepted (Shrink asks only about smaller cases, so then
      // nothing failed), the drawn case's own result stands.
      int steps = 0;
      std::optional<CaseResult> last_failure;
      Shrink(
          *item.drawn,
          [&](const ConvCase& c) {
            std::optional<CaseResult> r = check(c);
            const bool fails = r && r->verdict == found.verdict && !known_.Match(*r);
            if (fails) last_failure = std::move(r);
            return fails;
          },
          &steps);
      if (last_failure) found = std::move(*last_failure);
    });
  }
  // One reproducer per signature: 32 bfloat16 cases of one bug are one block and a count in
  // the summary, not 32 blocks.
  found.backend = backend_.Name();
  SignatureCount& group = summary_.signatures[DivergenceSignature(found)];
  ++group.cases;
  if (group.cases == 1 && printed_ < config_.max_printed && !config_.quiet) {
    group.shown = true;
    ++printed_;
    log_ << ReproducerBlock(found) << "(from " << item.source << ")\nrerun: " << RerunCommand(found)
         << "\n\n";
  }
  summary_.divergences.push_back(std::move(found));
}

void Engine::CheckXpass(const CaseItem& item, const CaseResults& results) {
  if (item.known_id.empty()) return;
  for (const CaseResult& r : results) {
    const bool decides = r.property == item.known_property ||
                         (Contains(BasePropertyNames(), item.known_property) &&
                          Contains(BasePropertyNames(), r.property));
    if (!decides) continue;
    if (r.verdict == Verdict::kSkipped || IsFailure(r.verdict)) return;
    summary_.xpasses.push_back(r);
    log_ << "XPASS " << item.known_id << " (" << item.source << "): the exact case now agrees —"
         << " the known deviation looks FIXED; update or retire the record\n  case: "
         << CaseToJsonLine(r.c) << "\n";
    return;
  }
}

std::vector<std::vector<size_t>> Engine::ChooseProperties(const std::vector<CaseItem>& items) const {
  std::vector<std::vector<size_t>> chosen(items.size());
  for (size_t u = 0; u < items.size(); ++u) {
    const CaseItem& item = items[u];
    for (size_t i = 0; i < properties_.size(); ++i) {
      const CaseProperty& property = *properties_[i];
      const bool named = Contains(item.properties, property.Name());
      if (!selected_[i] && !named) continue;
      const bool always = config_.numeric_rate > 0 && AlwaysValueChecked(item.c);
      if (!named && property.Numeric() && !always &&
          !Sampled(config_.seed, item.index, property.Name(), config_.numeric_rate)) {
        continue;
      }
      chosen[u].push_back(i);
    }
  }
  return chosen;
}

void Engine::Speculate(PendingBatch* batch) {
  SpeculativeBackend speculative(backend_);
  const double start = Now();
  double checks = 0;  // the checks' own time, which their property's row gets
  batch->guesses.resize(batch->items.size());
  for (size_t u = 0; u < batch->items.size(); ++u) {
    for (size_t i : batch->chosen[u]) {
      // Numeric properties ask their own backend, on the numeric thread (RunNumericChecks).
      if (properties_[i]->Numeric()) continue;
      Guess guess;
      guess.property = i;
      speculative.BeginCheck();
      const double check_start = Now();
      try {
        guess.result = properties_[i]->Check(batch->items[u].c, speculative);
        guess.confirmable = true;
      } catch (const std::exception&) {
        // The real pass runs it again through GuardedCheck, which makes the harness_error row.
      }
      const double took = Now() - check_start;
      property_time_[i].seconds += took;
      checks += took;
      guess.asked = speculative.asked();
      guess.asked_padded = speculative.asked_padded();
      batch->guesses[u].push_back(std::move(guess));
    }
  }
  // A speculated case that is also a base case needs no second run: the base run answers it.
  // The map is only made when a property asked for something (not under --properties none).
  if (!speculative.requested().empty()) {
    std::unordered_map<std::reference_wrapper<const ConvCase>, size_t, CaseHash, CaseIdentical> base;  // -> item
    base.reserve(batch->items.size());
    for (size_t u = 0; u < batch->items.size(); ++u) base.emplace(batch->items[u].c, u);
    batch->answer_of.reserve(speculative.requested().size());
    for (const ConvCase& c : speculative.requested()) {
      const auto it = base.find(c);
      if (it == base.end()) {
        batch->answer_of.push_back(batch->items.size() + batch->requested.size());
        batch->requested.push_back(c);
      } else {
        batch->answer_of.push_back(it->second);
      }
    }
  }
  batch->guessed = speculative.TakePredicted();
  batch->requested_padded = speculative.TakeRequestedPadded();
  batch->guessed_padded = speculative.TakePredictedPadded();
  prefetch_time_.seconds += Now() - start - checks;
  prefetch_time_.calls += static_cast<int64_t>(batch->requested.size() + batch->requested_padded.size());
}

void Engine::RunBackendCalls(PendingBatch* batch) {
  const double start = Now();
  batch->call_outcomes = backend_.RunBatch(batch->calls);
  batch->batches = {1, static_cast<int64_t>(batch->calls.size()), Now() - start};
  if (batch->requested_padded.empty()) return;
  const double padded_start = Now();
  batch->padded_outcomes = backend_.RunPaddedBatch(batch->requested_padded);
  batch->padded_batches = {1, static_cast<int64_t>(batch->requested_padded.size()), Now() - padded_start};
}

// Files the backend thread's answers that the properties asked for (the speculated cases, the
// base cases they named and the recipe calls) in the batch's cache.
Backend& Engine::FiledAnswers(PendingBatch* batch) {
  if (batch->cache_filled) return *batch->cache;
  const double start = Now();
  const std::vector<BackendOutcome>& all = batch->call_outcomes;
  const size_t items = std::min(batch->items.size(), batch->calls.size());
  std::vector<ConvCase> kept(batch->calls.begin() + static_cast<std::ptrdiff_t>(items), batch->calls.end());
  std::vector<BackendOutcome> answers(all.begin() + static_cast<std::ptrdiff_t>(std::min(items, all.size())), all.end());
  for (size_t call : batch->answer_of) {  // the items' own cases a property asked for
    if (call >= items) continue;
    kept.push_back(batch->calls[call]);
    answers.push_back(all[call]);
  }
  batch->cache->Keep(std::move(kept), std::move(answers));
  batch->cache->KeepPadded(batch->requested_padded, batch->padded_outcomes);
  batch->cache_filled = true;
  prefetch_time_.seconds += Now() - start;  // the cache's keys belong to the speculative pass
  return *batch->cache;
}

void Engine::RunNumericChecks(PendingBatch* batch) {
  for (size_t u = 0; u < batch->items.size(); ++u) {
    for (NumericCheck& n : batch->numeric[u]) {
      const double start = Now();
      n.result = LockedNumericCheck(*properties_[n.property], batch->items[u].c);
      n.seconds = Now() - start;
    }
  }
}

std::optional<CaseResult> Engine::LockedNumericCheck(CaseProperty& property, const ConvCase& c) {
  std::lock_guard<std::mutex> lock(numeric_mutex_);
  // A numeric property asks its numeric backend, never this one (numeric_properties.h).
  return GuardedCheck(property, c, backend_);
}

void Engine::WaitForNumeric(PendingBatch* batch) {
  if (!batch->numeric_done.valid()) return;
  const double start = Now();
  batch->numeric_done.get();  // rethrows what the numeric thread threw
  batch->numeric_done = {};   // waited: the next numeric case of the batch goes straight on
  numeric_wait_time_.seconds += Now() - start;
  ++numeric_wait_time_.calls;
}

bool Engine::Confirmed(const PendingBatch& batch, const Guess& guess) {
  if (!guess.confirmable) return false;
  for (size_t k : guess.asked) {
    const size_t call = batch.answer_of[k];
    if (call >= batch.call_outcomes.size() || !SameAnswer(batch.call_outcomes[call], batch.guessed[k])) return false;
  }
  for (size_t k : guess.asked_padded) {
    if (k >= batch.padded_outcomes.size() || !SameAnswer(batch.padded_outcomes[k], batch.guessed_padded[k])) return false;
  }
  return true;
}

std::unique_ptr<PendingBatch> Engine::Submit(std::vector<CaseItem> items) {
  auto batch = std::make_unique<PendingBatch>();
  batch->items = std::move(items);
  batch->chosen = ChooseProperties(batch->items);
  batch->cache = std::make_unique<CachedBackend>(backend_);
  Speculate(batch.get());
  batch->numeric.resize(batch->items.size());
  bool any_numeric = false;
  for (size_t u = 0; u < batch->items.size(); ++u) {
    for (size_t i : batch->chosen[u]) {
      if (!properties_[i]->Numeric()) continue;
      batch->numeric[u].push_back({i, std::nullopt, 0});
      any_numeric = true;
    }
  }
  // Before the backend calls are queued: the numeric thread starts at once, on checks that need
  // no shape answer, while the backend thread may still be busy with the batch before.
  if (any_numeric) {
    batch->numeric_done = RunOnNumericThread([this, b = batch.get()] { RunNumericChecks(b); });
    last_numeric_ = batch->numeric_done;
  }
  batch->calls.reserve(batch->items.size() + batch->requested.size());
  for (const CaseItem& item : batch->items) batch->calls.push_back(item.c);
  batch->calls.insert(batch->calls.end(), batch->requested.begin(), batch->requested.end());
  // One batch at a time, in submission order: the backend thread runs its tasks in turn.
  batch->done = RunOnBackendThread([this, b = batch.get()] { RunBackendCalls(b); });
  last_launched_ = batch->done;
  return batch;
}

CaseResults Engine::JudgeItem(PendingBatch* batch, size_t u) {
  const CaseItem& item = batch->items[u];
  CaseResults results;
  const double judge_start = Now();
  BackendOutcome outcome = u < batch->call_outcomes.size() ? batch->call_outcomes[u]
                                                           : BackendOutcome::Skipped("harness: no answer for this case");
  CaseResult base = Judge(item.c, OutputShape(item.c), std::move(outcome), config_.memory_limit_bytes);
  JudgeReason(&base, backend_.Name());
  JudgeResource(&base);
  const bool diverged = Record(&base, item, /*base=*/true);
  base_time_.seconds += Now() - judge_start;
  ++base_time_.calls;
  if (diverged) ReportDivergence(base, item, nullptr);
  results.push_back(std::move(base));
  for (size_t i : batch->chosen[u]) {
    CaseProperty& property = *properties_[i];
    std::vector<Guess>& guesses = batch->guesses[u];
    const auto guess = std::find_if(guesses.begin(), guesses.end(), [i](const Guess& g) { return g.property == i; });
    std::optional<CaseResult> extra;
    ++property_time_[i].calls;
    if (property.Numeric()) {
      WaitForNumeric(batch);
      std::vector<NumericCheck>& checks = batch->numeric[u];
      const auto n = std::find_if(checks.begin(), checks.end(), [i](const NumericCheck& c) { return c.property == i; });
      extra = std::move(n->result);
      property_time_[i].seconds += n->seconds;
    } else if (guess != guesses.end() && Confirmed(*batch, *guess)) {
      extra = std::move(guess->result);  // each guess decides one check
    } else {
      // A speculated check whose guesses missed, or one the speculative pass did not run.
      report::TimeRow& row = guess != guesses.end() ? rerun_time_ : property_time_[i];
      if (guess != guesses.end()) ++rerun_time_.calls;
      TimeOwn(&row.seconds, [&] { extra = GuardedCheck(property, item.c, FiledAnswers(batch)); });
    }
    if (!extra) continue;
    if (Record(&*extra, item, /*base=*/false)) ReportDivergence(*extra, item, &property);
    results.push_back(std::move(*extra));
  }
  CheckXpass(item, results);
  ++summary_.cases;
  ++summary_.cases_per_op[item.c.op];
  return results;
}

std::vector<CaseResults> Engine::Complete(std::unique_ptr<PendingBatch> batch) {
  const double wait_start = Now();
  batch->done.get();  // rethrows what the backend thread threw (std::bad_alloc)
  wait_time_.seconds += Now() - wait_start;
  ++wait_time_.calls;
  base_batches_.calls += batch->batches.calls;
  base_batches_.cases += batch->batches.cases;
  base_batches_.seconds += batch->batches.seconds;
  prefetch_batches_.calls += batch->padded_batches.calls;
  prefetch_batches_.cases += batch->padded_batches.cases;
  prefetch_batches_.seconds += batch->padded_batches.seconds;
  std::vector<CaseResults> all;
  all.reserve(batch->items.size());
  for (size_t u = 0; u < batch->items.size(); ++u) all.push_back(JudgeItem(batch.get(), u));
  return all;
}

RunSummary Engine::Finish(bool interrupted) {
  summary_.interrupted = interrupted;
  summary_.seconds = Now() - started_;
  const BackendTime b = backend_.time();
  const std::string backend = backend_.Name() + " " + backend_.Version() + " (shapes)";
  // The batches run on the backend thread, alongside the judging rows below; the single calls
  // are made by the judging thread (shrinking, a property whose guess missed) and wait for it.
  const double single = std::max(0.0, b.seconds - base_batches_.seconds - prefetch_batches_.seconds);
  summary_.timings = {{"backend", backend + ": batches of base cases and prefetched property calls",
                       base_batches_.calls, base_batches_.seconds},
                      {"backend", backend + ": recipe calls, prefetched in batches", prefetch_batches_.calls,
                       prefetch_batches_.seconds},
                      {"backend", backend + ": single property and shrink calls",
                       b.calls - base_batches_.calls - prefetch_batches_.calls, single},
                      base_time_};
  // The judging thread's rows add up to the wall time: its own work, its single backend calls
  // and its waits for the backend thread.
  double accounted = base_time_.seconds + backend_.ThisThreadSeconds();
  if (prefetch_time_.calls > 0) summary_.timings.push_back(prefetch_time_);
  accounted += prefetch_time_.seconds;
  if (rerun_time_.calls > 0) summary_.timings.push_back(rerun_time_);
  accounted += rerun_time_.seconds;
  for (const report::TimeRow& p : property_time_) {
    if (p.calls == 0) continue;
    summary_.timings.push_back(p);
    // A numeric property's row is the numeric thread's time, alongside the judging thread's.
    if (p.stage == "property") accounted += p.seconds;
  }
  if (shrink_time_.calls > 0) summary_.timings.push_back(shrink_time_);
  accounted += shrink_time_.seconds;
  if (wait_time_.calls > 0) summary_.timings.push_back(wait_time_);
  accounted += wait_time_.seconds;
  if (numeric_wait_time_.calls > 0) summary_.timings.push_back(numeric_wait_time_);
  accounted += numeric_wait_time_.seconds;
  // Drawing cases, reproducer blocks, progress: whatever the rows above do not cover.
  summary_.timings.push_back({"engine", "cases in, reproducers, progress", summary_.cases,
                              std::max(0.0, summary_.seconds - accounted)});
  // CPU rather than wall: what bounds the run, and what more --jobs could give (its own line in
  // the summary, not a share of the wall time). This process draws, judges, runs the properties
  // and talks to the workers (and runs the framework too under --no-isolation); the workers run
  // the framework.
  const ProcessCpu cpu = ProcessCpuNow();
  summary_.timings.push_back({"cpu", "this process", summary_.cases, std::max(0.0, cpu.own - cpu_started_.own)});
  summary_.timings.push_back({"cpu", "worker processes", summary_.cases,
                              std::max(0.0, cpu.workers - cpu_started_.workers)});
  return summary_;
}

}  // namespace convcheck
