// What crashes and known hangs cost a batch beyond their own time, with --jobs 2. A default
// run meets about twenty crashes (each a fresh worker: a fork, the framework's start-up, the
// canary case) and two known hangs (each holds a worker for its family's limit, 0.1 s). Either
// stalls the batch when the other workers wait for it with nothing to do: a respawn that the
// parent waits for before it hands out more cases, a hang at the end of a batch.
//
// The planted backend here costs wall time, not CPU: an ordinary case sleeps 1 ms, a worker's
// start-up sleeps 20 ms, a crash is a SIGSEGV and a hang sleeps until its 0.1 s limit kills it.
// So the figures do not depend on this machine's load, and a batch's ideal time is known:
// its ordinary cases over the workers, with every crash's start-up and every hang overlapped
// with them. Prints the measured wall time, that ideal, and the stall (their difference).
//
// Usage: bench_isolation_stalls [ordinary=400] [crashes=8] [hangs=2] [jobs=2] [repeats=3]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>

#include "backends/isolation/isolated_backend.h"

namespace {

using namespace convcheck;
using Clock = std::chrono::steady_clock;

constexpr int64_t kCrash = 13, kHang = 29;
constexpr auto kCaseTime = std::chrono::milliseconds(1);
constexpr auto kStartup = std::chrono::milliseconds(20);
constexpr double kHangLimitS = 0.1;

class SleepingBackend final : public Backend {
 public:
  SleepingBackend() { std::this_thread::sleep_for(kStartup); }
  std::string Name() const override { return "sleeping"; }
  std::string Version() const override { return "0"; }
  std::vector<Device> Devices() const override { return {Device::kCpu}; }
  BackendOutcome Run(const ConvCase& c) override {
    if (c.out_channels == kCrash) std::raise(SIGSEGV);
    if (c.out_channels == kHang) {
      while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    std::this_thread::sleep_for(kCaseTime);
    return BackendOutcome::Shape(c.input);
  }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override { return RunEach(*this, cases); }
  BackendOutcome RunPadded(const ConvCase&, const std::vector<PadPair>&) override {
    return BackendOutcome::Rejected("no recipes");
  }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override {
    return RunPaddedEach(*this, calls);
  }
};

// `ordinary` cases with the crashes and hangs spread evenly, the last hang at the very end
// (where a batch meets it when the hang is drawn late).
std::vector<ConvCase> Batch(int ordinary, int crashes, int hangs) {
  std::vector<ConvCase> cases(static_cast<size_t>(ordinary), DefaultCase(Op::kConv2d, {1, 1, 4, 4}, 1));
  auto plant = [&cases](int count, int64_t marker, bool last_at_end) {
    for (int i = 0; i < count; ++i) {
      ConvCase c = DefaultCase(Op::kConv2d, {1, 1, 4, 4}, marker);
      const bool at_end = last_at_end && i == count - 1;
      const size_t at = at_end ? cases.size() : cases.size() * static_cast<size_t>(i + 1) / static_cast<size_t>(count + 1);
      cases.insert(cases.begin() + static_cast<std::ptrdiff_t>(at), c);
    }
  };
  plant(crashes, kCrash, false);
  plant(hangs, kHang, true);
  return cases;
}

}  // namespace

int main(int argc, char** argv) {
  const int ordinary = argc > 1 ? std::atoi(argv[1]) : 400;
  const int crashes = argc > 2 ? std::atoi(argv[2]) : 8;
  const int hangs = argc > 3 ? std::atoi(argv[3]) : 2;
  const int jobs = argc > 4 ? std::max(1, std::atoi(argv[4])) : 2;
  const int repeats = argc > 5 ? std::max(1, std::atoi(argv[5])) : 3;

  IsolationOptions o;
  o.jobs = jobs;
  o.rlimit_mb = 0;
  o.case_timeout_s = 5;
  auto limits = std::make_shared<CaseTimeLimit>();
  limits->Set([](const ConvCase& c) { return c.out_channels == kHang ? std::optional<double>(kHangLimitS) : std::nullopt; });
  o.known_hangs = limits;
  IsolatedBackend backend([] { return std::make_unique<SleepingBackend>(); }, o);
  if (const std::string problem = backend.StartupProblem(); !problem.empty()) {
    std::cerr << "no worker: " << problem << "\n";
    return 1;
  }
  const std::vector<ConvCase> cases = Batch(ordinary, crashes, hangs);
  // The workers' busy time (ordinary cases, hangs up to their limit, a fresh worker's start-up
  // per crash) spread evenly over them: what a batch takes when no worker ever waits.
  const double busy = ordinary * std::chrono::duration<double>(kCaseTime).count() + hangs * kHangLimitS +
                      crashes * std::chrono::duration<double>(kStartup).count();
  const double ideal = std::max(busy / jobs, hangs > 0 ? kHangLimitS : 0.0);
  std::cout << cases.size() << " cases (" << ordinary << " ordinary of 1 ms, " << crashes << " crashes, " << hangs
            << " known hangs of " << kHangLimitS << " s), --jobs " << jobs << "; ideal " << ideal << " s\n";
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    const std::vector<BackendOutcome> out = backend.RunBatch(cases);
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    int crashed = 0, timed_out = 0;
    for (const BackendOutcome& b : out) {
      crashed += b.kind == BackendOutcome::Kind::kCrashed;
      timed_out += b.kind == BackendOutcome::Kind::kTimedOut;
    }
    std::cout << "wall " << wall << " s, stall " << wall - ideal << " s (" << crashed << " crashed, " << timed_out
              << " timed out)\n";
  }
  return 0;
}
