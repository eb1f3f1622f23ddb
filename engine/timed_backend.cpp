#include "engine/timed_backend.h"

#include <chrono>

namespace convcheck {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

BackendOutcome TimedBackend::Run(const ConvCase& c) {
  const Clock::time_point start = Clock::now();
  BackendOutcome out = inner_.Run(c);
  time_.seconds += SecondsSince(start);
  ++time_.calls;
  ++time_.cases;
  return out;
}

std::vector<BackendOutcome> TimedBackend::RunBatch(const std::vector<ConvCase>& cases) {
  const Clock::time_point start = Clock::now();
  std::vector<BackendOutcome> out = inner_.RunBatch(cases);
  time_.seconds += SecondsSince(start);
  ++time_.calls;
  time_.cases += static_cast<int64_t>(cases.size());
  return out;
}

std::vector<BackendOutcome> TimedBackend::RunPaddedBatch(const std::vector<PaddedCall>& calls) {
  const Clock::time_point start = Clock::now();
  std::vector<BackendOutcome> out = inner_.RunPaddedBatch(calls);
  time_.seconds += SecondsSince(start);
  ++time_.calls;
  time_.cases += static_cast<int64_t>(calls.size());
  return out;
}

BackendOutcome TimedBackend::RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) {
  const Clock::time_point start = Clock::now();
  BackendOutcome out = inner_.RunPadded(c, pads);
  time_.seconds += SecondsSince(start);
  ++time_.calls;
  ++time_.cases;
  return out;
}

}  // namespace convcheck
