// A batch between Engine::Submit and Engine::Complete. Submit chose its properties, ran their
// speculative pass and started its backend calls on a thread of their own; Complete waits for
// them and judges. Between the two the engine judges the batch before it, so the isolated
// workers and the judging process run at the same time instead of in turn.
#pragma once

#include <future>
#include <memory>
#include <vector>

#include "backends/backend.h"
#include "engine/case_item.h"
#include "engine/property_prefetch.h"
#include "engine/timed_backend.h"

namespace convcheck {

struct PendingBatch {
  std::vector<CaseItem> items;
  std::vector<std::vector<size_t>> chosen;  // per item: indices of the properties that judge it
  std::vector<ConvCase> requested;          // the speculative pass's cases, not the items'
  std::vector<size_t> asked_base;           // items whose own case a property asked for
  std::vector<PaddedCall> requested_padded;
  // What the backend thread runs: the items' cases, then `requested`. Built by Submit on the
  // judging thread, which has time to spare, so the backend thread (the bottleneck of a
  // shape-only run) does not copy 256 cases per batch.
  std::vector<ConvCase> calls;
  std::unique_ptr<CachedBackend> cache;     // every answer of this batch, then the backend
  // Set by the backend thread: per entry of `calls` and of `requested_padded`. Complete, on the
  // judging thread, files them in `cache` (keying a case costs a serialization, and the backend
  // thread is the one every other stage waits for).
  std::vector<BackendOutcome> call_outcomes;
  std::vector<BackendOutcome> padded_outcomes;
  BackendTime batches;                      // the batch calls (set by the backend thread)
  BackendTime padded_batches;
  // Ready when the backend calls are done; declared last so it is the first member destroyed.
  std::shared_future<void> done;

  PendingBatch() = default;
  PendingBatch(const PendingBatch&) = delete;
  PendingBatch& operator=(const PendingBatch&) = delete;
  // Waits for the backend thread, which reads and writes this batch, before anything else goes.
  ~PendingBatch() {
    if (done.valid()) done.wait();
  }
};

}  // namespace convcheck
