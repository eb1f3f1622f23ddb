#include "engine/timed_backend.h"

#include <atomic>
#include <chrono>
#include <map>

namespace convcheck {
namespace {

using Clock = std::chrono::steady_clock;

// Per thread, per TimedBackend: seconds spent in its calls. Keyed by a number no other
// decorator gets (an address could be reused by the next run's); a thread reads only its own.
thread_local std::map<uint64_t, double> this_thread_seconds;
std::atomic<uint64_t> next_id{1};

}  // namespace

TimedBackend::TimedBackend(Backend& inner)
    : inner_(inner), id_(next_id++), name_(inner.Name()), version_(inner.Version()), devices_(inner.Devices()) {}

template <typename Call>
auto TimedBackend::Timed(int64_t cases, Call call) -> decltype(call()) {
  const Clock::time_point asked = Clock::now();
  std::unique_lock<std::mutex> calling(call_mutex_);
  const Clock::time_point start = Clock::now();
  auto out = call();
  const Clock::time_point end = Clock::now();
  calling.unlock();
  std::lock_guard<std::mutex> booking(time_mutex_);
  time_.seconds += std::chrono::duration<double>(end - start).count();
  ++time_.calls;
  time_.cases += cases;
  this_thread_seconds[id_] += std::chrono::duration<double>(end - asked).count();
  return out;
}

BackendOutcome TimedBackend::Run(const ConvCase& c) {
  return Timed(1, [&] { return inner_.Run(c); });
}

std::vector<BackendOutcome> TimedBackend::RunBatch(const std::vector<ConvCase>& cases) {
  return Timed(static_cast<int64_t>(cases.size()), [&] { return inner_.RunBatch(cases); });
}

BackendOutcome TimedBackend::RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) {
  return Timed(1, [&] { return inner_.RunPadded(c, pads); });
}

std::vector<BackendOutcome> TimedBackend::RunPaddedBatch(const std::vector<PaddedCall>& calls) {
  return Timed(static_cast<int64_t>(calls.size()), [&] { return inner_.RunPaddedBatch(calls); });
}

BackendTime TimedBackend::time() const {
  std::lock_guard<std::mutex> lock(time_mutex_);
  return time_;
}

double TimedBackend::ThisThreadSeconds() const {
  const auto it = this_thread_seconds.find(id_);
  return it == this_thread_seconds.end() ? 0 : it->second;
}

}  // namespace convcheck
