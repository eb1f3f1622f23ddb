// What a worker tells its parent without sending a message: which case of the current request it
// is running, and since when. A worker answers a whole request in one frame (one wake-up of the
// parent per request instead of one per case); the parent reads this shared page to blame the
// right case when the worker dies, and to time each case against that case's own limit.
// Internal to backends/isolation/.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace convcheck::isolation {

// The most cases one request may carry: the position shares one 64-bit word with the time.
constexpr size_t kMaxRequestCases = 4095;

// CLOCK_MONOTONIC in microseconds: one clock for every process on the machine.
uint64_t MonotonicMicros();

class WorkerProgress {
 public:
  struct Snapshot {
    size_t position = 0;      // index in the current request of the case being run
    uint64_t start_us = 0;    // when it started (MonotonicMicros)
  };
  // One store, so a reader never pairs one case's position with another's start.
  void Publish(size_t position, uint64_t start_us) {
    word_.store((static_cast<uint64_t>(position) << kTimeBits) | (start_us & kTimeMask), std::memory_order_release);
  }
  Snapshot Read() const {
    const uint64_t w = word_.load(std::memory_order_acquire);
    return {static_cast<size_t>(w >> kTimeBits), w & kTimeMask};
  }

 private:
  static constexpr int kTimeBits = 52;  // 2^52 µs is 142 years of uptime
  static constexpr uint64_t kTimeMask = (uint64_t{1} << kTimeBits) - 1;
  std::atomic<uint64_t> word_{0};
  static_assert(std::atomic<uint64_t>::is_always_lock_free, "shared between processes, so it must be lock-free");
};

// A WorkerProgress on a page shared with every process forked afterwards; nullptr when the
// system refuses the mapping. Unmap it in each process that is done with it.
WorkerProgress* MapWorkerProgress();
void UnmapWorkerProgress(WorkerProgress* p);

}  // namespace convcheck::isolation
