// A batch between Engine::Submit and Engine::Complete. Submit chose its properties, ran their
// speculative pass and started its backend calls and its numeric checks, each on a thread of
// their own (engine/backend_thread.h); Complete waits for them and judges. Between the two the
// engine judges the batch before it, so the isolated workers and the judging process run at the
// same time instead of in turn.
#pragma once

#include <future>
#include <memory>
#include <optional>
#include <vector>

#include "backends/backend.h"
#include "engine/case_item.h"
#include "engine/property_prefetch.h"
#include "engine/timed_backend.h"

namespace convcheck {

// One check of the speculative pass: its result, and what it was told.
struct Guess {
  size_t property = 0;               // index into the engine's properties
  std::optional<CaseResult> result;  // what the check gave on the guessed answers
  std::vector<size_t> asked;         // the cases it ran, as indices into PendingBatch::guessed
  std::vector<size_t> asked_padded;  // its recipe calls, as indices into requested_padded
  bool confirmable = false;          // false when it threw: only the real run says how
};

// One numeric check of the batch, run on the numeric thread: a numeric property's result
// depends on the case alone (its values are drawn from the case), not on the shape answers.
struct NumericCheck {
  size_t property = 0;               // index into the engine's properties
  std::optional<CaseResult> result;  // set by the numeric thread
  double seconds = 0;                // its wall time there
};

struct PendingBatch {
  std::vector<CaseItem> items;
  std::vector<std::vector<size_t>> chosen;  // per item: indices of the properties that judge it
  std::vector<ConvCase> requested;          // the speculative pass's cases, not the items'
  std::vector<PaddedCall> requested_padded;
  // Per item: its speculated checks. Per case the pass asked for: the guessed answer, and the
  // index into `calls` whose real answer it is (an item's own case, or one of `requested`).
  std::vector<std::vector<Guess>> guesses;
  std::vector<BackendOutcome> guessed;
  std::vector<size_t> answer_of;
  std::vector<BackendOutcome> guessed_padded;  // per entry of requested_padded
  // What the backend thread runs: the items' cases, then `requested`. Built by Submit on the
  // judging thread, which has time to spare, so the backend thread (the bottleneck of a
  // shape-only run) does not copy 256 cases per batch.
  std::vector<ConvCase> calls;
  // Every answer of this batch, then the backend: filled by the first check whose guesses
  // missed (most batches have none, and keying the answers costs a serialization each).
  std::unique_ptr<CachedBackend> cache;
  bool cache_filled = false;
  // Set by the backend thread: per entry of `calls` and of `requested_padded`. The judging
  // thread files them in `cache` when a check needs it (keying a case costs a serialization,
  // and the backend thread is the one every other stage waits for).
  std::vector<BackendOutcome> call_outcomes;
  std::vector<BackendOutcome> padded_outcomes;
  BackendTime batches;                      // the batch calls (set by the backend thread)
  BackendTime padded_batches;
  // Per item: its numeric checks, in `chosen` order. Sized by Submit; the numeric thread fills
  // the results, which the judging thread reads once `numeric_done` is ready.
  std::vector<std::vector<NumericCheck>> numeric;
  // Ready when the numeric checks (`numeric_done`: invalid when there are none, and once the
  // judging thread has waited for them) and the backend calls (`done`) are done; declared last
  // so they are the first members destroyed.
  std::shared_future<void> numeric_done;
  std::shared_future<void> done;

  PendingBatch() = default;
  PendingBatch(const PendingBatch&) = delete;
  PendingBatch& operator=(const PendingBatch&) = delete;
  // Waits for the backend and numeric threads, which read and write this batch, before anything
  // else goes.
  ~PendingBatch() {
    if (done.valid()) done.wait();
    if (numeric_done.valid()) numeric_done.wait();
  }
};

}  // namespace convcheck
