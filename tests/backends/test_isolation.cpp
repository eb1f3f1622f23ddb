// Crash isolation (issue #5): planted backends that segfault, divide by zero, abort, double
// free, throw a non-c10 exception, hang or allocate without bound on specific parameters. Each
// such case must get the right outcome and every other case of the run must still be checked.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "generators/conv_case_gen.h"
#include "backends/isolation/isolated_backend.h"
#include "backends/isolation/wire.h"
#include "backends/isolation/worker_progress.h"
#include "tests/backends/sanitized_build.h"
#include "engine/engine.h"
#include "engine/process_cpu.h"
#include "case_io/case_json.h"
#include "oracles/output_shape.h"

namespace convcheck {
namespace {

// out_channels values that trigger a planted fault; any other case is answered exactly as the
// oracle predicts, so a planted backend conforms everywhere else.
enum Trigger : int64_t {
  kSegfault = 13, kDivideByZero = 17, kAbort = 19, kThrow = 23, kHang = 29, kHog = 31,
  kDoubleFree = 37, kSlow = 41,
};

int* volatile g_null = nullptr;
volatile int g_zero = 0;
volatile int g_seven = 7;  // a variable numerator: gcc turns 1 / x into compares, no idiv

[[noreturn]] void Hog() {
  std::vector<std::unique_ptr<char[]>> held;
  while (true) {
    held.emplace_back(new char[64u << 20]);  // throws std::bad_alloc at the RLIMIT_AS limit
    held.back()[0] = 1;  // address space, not RSS, is what the limit bounds
  }
}

// What every planted backend shares: one identity, cases run one at a time, no recipes.
class PlantedBase : public Backend {
 public:
  std::string Name() const override { return "planted"; }
  std::string Version() const override { return "0.1"; }
  std::vector<Device> Devices() const override { return {Device::kCpu}; }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override {
    return RunEach(*this, cases);
  }
  BackendOutcome RunPadded(const ConvCase&, const std::vector<PadPair>&) override {
    return BackendOutcome::Rejected("RunPadded is not planted");
  }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override { return RunPaddedEach(*this, calls); }
};

class PlantedBackend final : public PlantedBase {
 public:
  BackendOutcome Run(const ConvCase& c) override {
    switch (c.out_channels) {
      case kSegfault: *g_null = 1; break;
      case kDivideByZero: g_zero = g_seven / g_zero; break;
      case kAbort: std::abort();
      case kThrow: throw std::runtime_error("planted non-c10 exception");
      case kHang: while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
      case kHog: Hog();
      case kSlow: std::this_thread::sleep_for(std::chrono::milliseconds(400)); break;
      case kDoubleFree: {
        char* volatile p = static_cast<char*>(std::malloc(32));
        std::free(p);
        std::free(p);
        break;
      }
      default: break;
    }
    const ShapeResult r = OutputShape(c);
    return r.ok() ? BackendOutcome::Shape(r.shape()) : BackendOutcome::Rejected(r.violation().message);
  }
};

IsolationOptions Options(int jobs) {
  IsolationOptions o;
  o.jobs = jobs;
  o.rlimit_mb = 256;
  o.case_timeout_s = 1.0;
  o.min_chunk = 4;
  return o;
}

std::unique_ptr<IsolatedBackend> Planted(int jobs) {
  return std::make_unique<IsolatedBackend>([] { return std::make_unique<PlantedBackend>(); }, Options(jobs));
}

// Cases out_channels 1..40 on a small conv2d: seven planted faults among 33 ordinary cases.
std::vector<ConvCase> Batch() {
  std::vector<ConvCase> cases;
  for (int64_t oc = 1; oc <= 40; ++oc) {
    ConvCase c = DefaultCase(Op::kConv2d, {1, 2, 6, 6}, oc);
    c.kernel = {3, 3};
    cases.push_back(c);
  }
  return cases;
}

std::string Describe(const BackendOutcome& o) {
  return std::to_string(static_cast<int>(o.kind)) + " " + FormatDims(o.shape) + " " + o.message + " [" +
         o.error_type + "]";
}

void ExpectPlantedOutcomes(const std::vector<ConvCase>& cases, const std::vector<BackendOutcome>& out) {
  ASSERT_EQ(out.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const ConvCase& c = cases[i];
    const CaseResult r = Judge(c, OutputShape(c), out[i], uint64_t{1} << 30);
    const std::string repro = "case: " + CaseToJsonLine(c) + "\noutcome: " + Describe(out[i]);
    switch (c.out_channels) {
      case kSegfault: EXPECT_EQ(out[i].message, "SIGSEGV") << repro; break;
      case kDivideByZero: EXPECT_EQ(out[i].message, "SIGFPE") << repro; break;
      case kAbort: case kDoubleFree: EXPECT_EQ(out[i].message, "SIGABRT") << repro; break;
      case kThrow:
        EXPECT_EQ(out[i].message, "uncaught exception: planted non-c10 exception") << repro;
        break;
      case kHog:  // refused by our own --rlimit-mb: a skip with that reason, never a divergence
        EXPECT_EQ(out[i].kind, BackendOutcome::Kind::kSkipped) << repro;
        EXPECT_EQ(out[i].message, "memory limit (--rlimit-mb refused an allocation)") << repro;
        EXPECT_EQ(r.verdict, Verdict::kSkipped) << repro;
        continue;
      case kHang: EXPECT_EQ(r.verdict, Verdict::kTimeout) << repro; continue;
      default: EXPECT_EQ(r.verdict, Verdict::kAgree) << repro; continue;
    }
    EXPECT_EQ(r.verdict, Verdict::kCrash) << repro;
  }
}

TEST(IsolatedBackend, PlantedFaultsGetTheirVerdictAndEveryOtherCaseIsChecked) {
  CONVCHECK_SKIP_WHEN_SANITIZED("the planted faults are undefined behaviour the sanitizers report first");
  auto backend = Planted(1);
  const std::vector<ConvCase> cases = Batch();
  ExpectPlantedOutcomes(cases, backend->RunBatch(cases));
  // One worker to start, one fresh worker after each fault that kills it (segfault, SIGFPE,
  // abort, double free, hang); an escaping exception (thrown, bad_alloc) leaves it alive.
  EXPECT_EQ(backend->WorkersStarted(), 6);
}

// A backend that cannot even run the canary case: every worker it starts is unhealthy.
class SickBackend final : public Backend {
 public:
  explicit SickBackend(bool crash) : crash_(crash) {}
  std::string Name() const override { return "sick"; }
  std::string Version() const override { return "0"; }
  std::vector<Device> Devices() const override { return {Device::kCpu}; }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override { return RunEach(*this, cases); }
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>&) override { return Run(c); }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override { return RunPaddedEach(*this, calls); }
  BackendOutcome Run(const ConvCase&) override {
    if (crash_) *g_null = 1;
    return BackendOutcome::Rejected("DefaultCPUAllocator: can't allocate memory: you tried to allocate 64 bytes");
  }

 private:
  bool crash_;
};

TEST(IsolatedBackend, AWorkerThatFailsItsCanaryCaseNeverGivesVerdicts) {
  CONVCHECK_SKIP_WHEN_SANITIZED("the planted faults are undefined behaviour the sanitizers report first");
  for (bool crash : {true, false}) {
    IsolatedBackend b([crash] { return std::make_unique<SickBackend>(crash); }, Options(1));
    const std::string problem = b.StartupProblem();
    EXPECT_NE(problem.find(crash ? "died before its canary case passed (SIGSEGV)" : "memory limit"), std::string::npos)
        << problem;
    EXPECT_EQ(b.Name(), "unavailable");
  }
  EXPECT_EQ(Planted(1)->StartupProblem(), "");
}

// A worker started after a crash whose canary case fails: the parent reads its hello alongside
// the running workers, so it learns of the failure there. The batch still ends: each failed
// start blames one waiting case ("worker could not start").
TEST(IsolatedBackend, AWorkerThatCannotRestartEndsItsBatchWithCouldNotStart) {
  CONVCHECK_SKIP_WHEN_SANITIZED("the planted faults are undefined behaviour the sanitizers report first");
  for (int jobs : {1, 2}) {
    // The first worker finds no marker file, leaves one and is healthy; every later one is sick.
    char marker[] = "/tmp/convcheck-restart-XXXXXX";
    const int fd = mkstemp(marker);
    ASSERT_GE(fd, 0);
    close(fd);
    unlink(marker);
    const std::string path = marker;
    IsolatedBackend backend(
        [path]() -> std::unique_ptr<Backend> {
          if (access(path.c_str(), F_OK) == 0) return std::make_unique<SickBackend>(/*crash=*/true);
          std::fclose(std::fopen(path.c_str(), "w"));
          return std::make_unique<PlantedBackend>();
        },
        Options(jobs));
    ASSERT_EQ(backend.StartupProblem(), "") << "jobs " << jobs;
    std::vector<ConvCase> cases = {Batch()[kSegfault - 1]};
    for (int i = 0; i < 5; ++i) cases.push_back(Batch()[0]);
    const std::vector<BackendOutcome> out = backend.RunBatch(cases);
    unlink(path.c_str());
    ASSERT_EQ(out.size(), cases.size());
    EXPECT_EQ(out[0].message, "SIGSEGV") << "jobs " << jobs << ": " << Describe(out[0]);
    int could_not_start = 0;
    for (size_t i = 1; i < out.size(); ++i) {
      // With two workers, the healthy first one may answer some cases before the crash.
      if (out[i].kind == BackendOutcome::Kind::kShape) continue;
      EXPECT_EQ(out[i].message, "worker could not start") << "jobs " << jobs << ", case " << i << ": " << Describe(out[i]);
      ++could_not_start;
    }
    EXPECT_GE(could_not_start, 1) << "jobs " << jobs;
    EXPECT_GE(backend.WorkersStarted(), 1 + could_not_start) << "jobs " << jobs << ": one start per blamed case";
  }
}

TEST(IsolatedBackend, TwoWorkersGiveTheSameOutcomesAsOne) {
  const std::vector<ConvCase> cases = Batch();
  const std::vector<BackendOutcome> one = Planted(1)->RunBatch(cases);
  for (int jobs : {2, 3}) {
    const std::vector<BackendOutcome> many = Planted(jobs)->RunBatch(cases);
    ASSERT_EQ(many.size(), one.size());
    for (size_t i = 0; i < one.size(); ++i) {
      EXPECT_EQ(Describe(many[i]), Describe(one[i])) << "jobs " << jobs << ", case: " << CaseToJsonLine(cases[i]);
    }
  }
}

TEST(IsolatedBackend, SingleRunIsIsolatedAndReportsTheWrappedIdentity) {
  CONVCHECK_SKIP_WHEN_SANITIZED("the planted faults are undefined behaviour the sanitizers report first");
  auto backend = Planted(1);
  EXPECT_EQ(backend->Name(), "planted");
  EXPECT_EQ(backend->Version(), "0.1");
  const ConvCase crash = Batch()[kSegfault - 1];
  EXPECT_EQ(backend->Run(crash).message, "SIGSEGV") << CaseToJsonLine(crash);
  const ConvCase fine = Batch()[0];
  EXPECT_EQ(backend->Run(fine).kind, BackendOutcome::Kind::kShape) << CaseToJsonLine(fine);
}

// The request sizes of one batch, as the dispatch loop takes them when every worker is idle.
std::vector<size_t> Requests(size_t batch, size_t workers, size_t smallest) {
  std::vector<size_t> sizes;
  for (size_t left = batch; left > 0;) {
    sizes.push_back(RequestSize(left, workers, smallest));
    left -= sizes.back();
  }
  return sizes;
}

// Guided scheduling: a 256-case batch goes out in a few large requests and ends in small ones,
// rather than in 16 requests of 16 (each a sleep and a wake-up of its worker).
TEST(RequestSize, LargeRequestsFirstAndTheSmallestAtTheEnd) {
  EXPECT_EQ(Requests(256, 1, 16), (std::vector<size_t>{128, 64, 32, 16, 16}));
  EXPECT_EQ(Requests(256, 2, 16), (std::vector<size_t>{64, 48, 36, 27, 21, 16, 16, 16, 12}));
  // A batch smaller than the smallest request per worker is still spread (RunBatch passes
  // min(min_chunk, an even share) as `smallest`).
  EXPECT_EQ(Requests(8, 2, 4), (std::vector<size_t>{4, 4}));
  // One worker's request holds at most what a worker accepts.
  EXPECT_EQ(RequestSize(100000, 1, 16), isolation::kMaxRequestCases);
}

RC_GTEST_PROP(RequestSize, NeverEmptyNeverPastWhatIsLeftNeverBelowTheSmallest, ()) {
  const size_t left = *rc::gen::inRange<size_t>(1, 20000);
  const size_t workers = *rc::gen::inRange<size_t>(1, 65);
  const size_t smallest = *rc::gen::inRange<size_t>(1, 300);
  const size_t take = RequestSize(left, workers, smallest);
  RC_ASSERT(take >= 1);
  RC_ASSERT(take <= left);
  RC_ASSERT(take <= isolation::kMaxRequestCases);
  RC_ASSERT(take >= std::min({smallest, left, isolation::kMaxRequestCases}));
  // Half of an even share, unless the smallest request is larger.
  const size_t share = (left + workers - 1) / workers;
  RC_ASSERT(take <= std::max(smallest, (share + 1) / 2));
}

TEST(IsolatedBackend, EmptyBatchStartsNothing) {
  auto backend = Planted(2);
  EXPECT_TRUE(backend->RunBatch({}).empty());
  EXPECT_EQ(backend->WorkersStarted(), 0);
}

// A family the known deviations record as a hang gets its own short limit; every other case
// keeps the run's limit, so a slow but healthy case is not cut short.
TEST(IsolatedBackend, KnownHangsGetTheirShorterLimitAndOtherCasesKeepTheRunsLimit) {
  IsolationOptions o = Options(1);
  o.case_timeout_s = 30;  // a hang under this limit would take the test 30 s
  auto limits = std::make_shared<CaseTimeLimit>();
  limits->Set([](const ConvCase& c) -> std::optional<double> {
    return c.out_channels == kHang ? std::optional<double>(0.2) : std::nullopt;
  });
  o.known_hangs = limits;
  IsolatedBackend backend([] { return std::make_unique<PlantedBackend>(); }, o);
  const std::vector<ConvCase> cases = {Batch()[0], Batch()[kHang - 1], Batch()[1]};
  const auto start = std::chrono::steady_clock::now();
  const std::vector<BackendOutcome> out = backend.RunBatch(cases);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].kind, BackendOutcome::Kind::kTimedOut) << Describe(out[1]);
  EXPECT_EQ(out[1].message, "the known hang's per-case limit of 0.2 s");
  EXPECT_EQ(out[0].kind, BackendOutcome::Kind::kShape) << Describe(out[0]);
  EXPECT_EQ(out[2].kind, BackendOutcome::Kind::kShape) << "the case after the hang runs in a fresh worker";
  EXPECT_LT(seconds, 25) << "the hang waited out the run's 30 s limit, not its own";
}

// A worker answers a request of small cases at once, yet each case has its own limit: three
// cases of 0.4 s in one request of a worker whose limit is 1 s all finish (1.2 s together), and
// a hang after them is cut off after its own second.
TEST(IsolatedBackend, EachCaseOfARequestGetsItsOwnLimit) {
  IsolationOptions o = Options(1);
  o.min_chunk = 4;
  IsolatedBackend backend([] { return std::make_unique<PlantedBackend>(); }, o);
  ConvCase slow = Batch()[0];
  slow.out_channels = kSlow;
  const std::vector<ConvCase> cases = {slow, slow, slow, Batch()[kHang - 1]};
  const auto start = std::chrono::steady_clock::now();
  const std::vector<BackendOutcome> out = backend.RunBatch(cases);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(out.size(), 4u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(out[i].kind, BackendOutcome::Kind::kShape) << i << ": " << Describe(out[i]);
  EXPECT_EQ(out[3].kind, BackendOutcome::Kind::kTimedOut) << Describe(out[3]);
  EXPECT_EQ(out[3].message, "per-case limit of 1 s");
  // 1.2 s of slow cases, then the hang's 1 s. A slow case's outcome goes back before the next
  // case starts, so the kill loses none of them: re-running them would add another 1.2 s.
  EXPECT_GE(seconds, 2.1);
  EXPECT_LT(seconds, 3.2) << "the slow cases ran twice, or the hang was not cut off at its own limit";
}

// A crash loses the outcomes its worker had not sent yet: those cases run again in a fresh
// worker and get their own answers, and only the case that was running is blamed.
TEST(IsolatedBackend, ACrashBlamesTheRunningCaseAndRerunsTheRestOfItsRequest) {
  CONVCHECK_SKIP_WHEN_SANITIZED("the planted faults are undefined behaviour the sanitizers report first");
  IsolationOptions o = Options(1);
  o.min_chunk = 8;
  IsolatedBackend backend([] { return std::make_unique<PlantedBackend>(); }, o);
  std::vector<ConvCase> cases = {Batch()[0], Batch()[1], Batch()[2], Batch()[kSegfault - 1],
                                 Batch()[3], Batch()[kAbort - 1], Batch()[4]};
  const std::vector<BackendOutcome> out = backend.RunBatch(cases);
  ASSERT_EQ(out.size(), cases.size());
  for (size_t i : {0, 1, 2, 4, 6}) {
    EXPECT_EQ(out[i].kind, BackendOutcome::Kind::kShape) << i << ": " << Describe(out[i]);
    EXPECT_EQ(out[i].shape, OutputShape(cases[i]).shape()) << i;
  }
  EXPECT_EQ(out[3].message, "SIGSEGV") << Describe(out[3]);
  EXPECT_EQ(out[5].message, "SIGABRT") << Describe(out[5]);
  EXPECT_EQ(backend.WorkersStarted(), 3) << "one worker, then one after each crash";
}

int LiveChildren() { return static_cast<int>(LiveChildPids().size()); }

// The first crash's replacement is forked with spares (one fork epoch for the parent's
// copy-on-write faults, and canary cases run ahead); later crashes take a spare, and unused
// spares end with the backend.
TEST(IsolatedBackend, ARespawnForksSparesThatLaterCrashesTake) {
  CONVCHECK_SKIP_WHEN_SANITIZED("the planted faults are undefined behaviour the sanitizers report first");
  const int before = LiveChildren();
  {
    IsolatedBackend backend([] { return std::make_unique<PlantedBackend>(); }, Options(1));
    std::vector<ConvCase> cases = {Batch()[0], Batch()[kSegfault - 1], Batch()[1]};
    std::vector<BackendOutcome> out = backend.RunBatch(cases);
    EXPECT_EQ(out[1].message, "SIGSEGV");
    EXPECT_EQ(out[2].kind, BackendOutcome::Kind::kShape) << Describe(out[2]);
    EXPECT_EQ(backend.WorkersStarted(), 2);
    EXPECT_EQ(LiveChildren() - before, 1 + 3) << "the replacement and three spares";
    cases = {Batch()[kSegfault - 1], Batch()[kAbort - 1], Batch()[2]};
    out = backend.RunBatch(cases);
    EXPECT_EQ(out[0].message, "SIGSEGV");
    EXPECT_EQ(out[1].message, "SIGABRT");
    EXPECT_EQ(out[2].kind, BackendOutcome::Kind::kShape) << Describe(out[2]);
    EXPECT_EQ(backend.WorkersStarted(), 4);
    EXPECT_EQ(LiveChildren() - before, 1 + 1) << "two spares took the two crashes' slots";
  }
  EXPECT_EQ(LiveChildren(), before);
}

// The runner end to end: crashing generated cases are found, minimized in workers (shrinking
// keeps the crash, so the minimal case still has odd out_channels), and the run still checks
// its whole budget.
TEST(IsolatedBackend, RunnerMinimizesCrashesInWorkersAndFinishesTheRun) {
  CONVCHECK_SKIP_WHEN_SANITIZED("the planted faults are undefined behaviour the sanitizers report first");
  class CrashOnOddOutChannels final : public PlantedBase {
   public:
    BackendOutcome Run(const ConvCase& c) override {
      // out_channels 1 is spared: a worker runs such a case as its canary before any verdict.
      if (c.out_channels % 2 == 1 && c.out_channels > 1 && OutputShape(c).ok()) *g_null = 5;
      const ShapeResult r = OutputShape(c);
      return r.ok() ? BackendOutcome::Shape(r.shape()) : BackendOutcome::Rejected(r.violation().message);
    }
  };
  IsolatedBackend backend([] { return std::make_unique<CrashOnOddOutChannels>(); }, Options(2));
  RunConfig config;
  config.cases = 40;  // half of the valid cases crash; each is shrunk in fresh workers
  config.dtypes = {DType::kFloat32};
  config.quiet = true;
  config.numeric_rate = 0;
  std::ostringstream log;
  const RunSummary s = RunConformance(config, backend, KnownDeviations{}, log);
  EXPECT_EQ(s.cases, 40);
  int crashes = 0;
  for (const CaseResult& r : s.divergences) {
    // Other registered properties may derive their own cases; this test speaks to the shape
    // and validity check of the drawn case.
    if (r.property != "ValidityAgrees" && r.property != "ShapeAgrees") continue;
    ++crashes;
    EXPECT_EQ(r.verdict, Verdict::kCrash) << CaseToJsonLine(r.c);
    EXPECT_EQ(r.outcome.message, "SIGSEGV") << CaseToJsonLine(r.c);
    EXPECT_EQ(r.c.out_channels % 2, 1) << CaseToJsonLine(r.c);
  }
  EXPECT_GT(crashes, 0) << "no crash found among " << s.divergences.size() << " divergences: the test cannot fail";
}

#ifdef CONVCHECK_HAVE_TORCH
TEST(IsolatedBackend, LibTorchInWorkersAgreesWithLibTorchInProcess) {
  IsolationOptions options;
  options.jobs = 2;
  options.case_timeout_s = 120;  // LibTorch 1.13 symbolizes a backtrace per c10::Error: slow when loaded
  IsolatedBackend isolated([] { return MakeDefaultBackend(); }, options);
  std::vector<ConvCase> cases = WorkedExamples();
  ConvCase invalid = cases[0];
  invalid.kernel = {99, 99};
  cases.push_back(invalid);
  const std::vector<BackendOutcome> out = isolated.RunBatch(cases);
  EXPECT_EQ(isolated.Name(), "libtorch");
  std::unique_ptr<Backend> direct = MakeDefaultBackend();
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(Describe(out[i]), Describe(direct->Run(cases[i]))) << CaseToJsonLine(cases[i]);
  }
}
#endif

RC_GTEST_PROP(Wire, OutcomesRoundTripBehindACase, ()) {
  const ConvCase c = *rc::gen::oneOf(MixedConvCase(), ExtremeConvCase());
  const auto kind = *rc::gen::inRange(0, 5);
  const BackendOutcome o{static_cast<BackendOutcome::Kind>(kind),
                         *rc::gen::container<Dims>(*rc::gen::inRange<size_t>(0, 6), rc::gen::arbitrary<int64_t>()),
                         *rc::gen::arbitrary<std::string>(), *rc::gen::arbitrary<std::string>()};
  wire::Writer w;
  PutCase(w, c);
  wire::PutOutcome(w, o);
  wire::Reader r(w.bytes());
  ConvCase c2;
  BackendOutcome o2;
  RC_ASSERT(GetCase(r, &c2));
  RC_ASSERT(wire::GetOutcome(r, &o2));
  RC_ASSERT(r.AtEnd());
  RC_ASSERT(CaseToJsonLine(c2) == CaseToJsonLine(c));
  RC_ASSERT(c2 == c);
  RC_ASSERT(Describe(o2) == Describe(o));
}

}  // namespace
}  // namespace convcheck
