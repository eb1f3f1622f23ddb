// What the judging process costs per case: a `convcheck run` in which every shape answer is
// replayed from memory, so what is left is this process's own work — drawing, the oracle,
// judging, known deviations, the properties (their speculative pass, and the numeric ones,
// which compute on LibTorch in this process as they do in a run). The workers' side (the
// framework's shape calls) and the IPC to them are not in it.
//
// On N cores a run takes at least (this process's CPU + the workers' CPU) / N, and never less
// than this process's CPU: the `cpu:` line of `convcheck run` gives both. This bench tracks the
// first one alone, with less noise than a whole run.
//
// The first pass runs the real (in-process) LibTorch backend and remembers its answers; the
// timed passes replay them. The extreme generator is left out: its planted crashes would end
// an in-process pass.
//
// Usage: bench_engine_cost [cases=10000] [seed=1] [repeats=5] [known=corpus/known]
// (stderr gets what LibTorch prints: 2>/dev/null)
//
// Wall and CPU figures on a shared machine move by ±10% from run to run. For an exact count,
// run it under callgrind, which counts the timed passes only:
//   valgrind --tool=callgrind --instr-atstart=no bench_engine_cost 1000 1 1 2>&1 | grep Collected
#include <time.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>

#include <torch/torch.h>

#include "backends/libtorch/libtorch_backend.h"
#include "backends/libtorch/libtorch_numeric.h"
#include "backends/libtorch/no_backtraces.h"
#include "case_io/case_binary.h"
#include "engine/engine.h"
#include "engine/property_prefetch.h"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#endif

namespace {

using namespace convcheck;

// Answers every case as `inner` answered it the first time it was asked.
class ReplayBackend final : public Backend {
 public:
  explicit ReplayBackend(Backend& inner) : inner_(inner) {}
  std::string Name() const override { return inner_.Name(); }
  std::string Version() const override { return inner_.Version(); }
  std::vector<Device> Devices() const override { return inner_.Devices(); }
  BackendOutcome Run(const ConvCase& c) override {
    auto [it, fresh] = answers_.try_emplace(CaseKey(c));
    if (fresh) it->second = inner_.Run(c);
    return it->second;
  }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override { return RunEach(*this, cases); }
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override {
    auto [it, fresh] = padded_.try_emplace(PaddedKey(PaddedCall{c, pads}));
    if (fresh) it->second = inner_.RunPadded(c, pads);
    return it->second;
  }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override {
    return RunPaddedEach(*this, calls);
  }

 private:
  Backend& inner_;
  std::map<std::string, BackendOutcome> answers_, padded_;
};

double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::stoll(argv[1]) : 10000;
  const uint64_t seed = argc > 2 ? std::stoull(argv[2]) : 1;
  const int repeats = argc > 3 ? std::max(1, std::stoi(argv[3])) : 5;
  const std::string known_dir = argc > 4 ? argv[4] : "corpus/known";
  at::set_num_threads(1);
  DisableTorchErrorBacktraces();

  RunConfig config;  // the default run's: every op, dtype and property, numeric rate 0.05
  config.seed = seed;
  config.cases = n;
  config.quiet = true;
  auto real = MakeLibTorchBackend(1);
  ReplayBackend replay(*real);
  KnownDeviations known;
  if (auto error = KnownDeviations::Load(known_dir, real->Name(), real->Version(), &known)) {
    std::cerr << "bench_engine_cost: " << *error << "\n";
    return 2;
  }
  NumericSetup numeric;
  numeric.backend = MakeLibTorchNumericBackend();
  std::ostringstream log;
  RunConformance(config, replay, known, log, {}, numeric);  // fills the replay's answers

  std::vector<double> per_case_us;
  int64_t checks = 0;
  for (int r = 0; r < repeats; ++r) {
    const double cpu0 = ProcessCpuSeconds();
    CALLGRIND_START_INSTRUMENTATION;
    const RunSummary s = RunConformance(config, replay, known, log, {}, numeric);
    CALLGRIND_STOP_INSTRUMENTATION;
    per_case_us.push_back((ProcessCpuSeconds() - cpu0) / static_cast<double>(s.cases) * 1e6);
    checks = 0;
    for (const auto& [property, counts] : s.per_property) checks += counts.executed();
  }
  std::sort(per_case_us.begin(), per_case_us.end());
  std::cout << "cases " << n << " (seed " << seed << ", " << known.records().size() << " known deviations, "
            << checks << " checks per pass)\n"
            << "judging process CPU per case: median " << per_case_us[per_case_us.size() / 2] << " us, min "
            << per_case_us.front() << " us, max " << per_case_us.back() << " us (" << repeats << " passes)\n";
  return 0;
}
