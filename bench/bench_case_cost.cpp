// Where a run's backend time goes: the run's own case stream (valid, edge and invalid cases;
// the extreme generator is left out because its planted crashes would end this in-process
// loop) through the LibTorch backend, one thread, one case at a time, each timed. Prints the
// time per group (op, dtype, oracle-valid or not) and the slowest cases as JSON lines, so the
// cost of a run can be traced to the cases that carry it.
//
// Usage: bench_case_cost [cases=10000] [seed=1] [top=15]
#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <tuple>

#include <torch/torch.h>

#include "backends/libtorch/libtorch_backend.h"
#include "case_io/case_json.h"
#include "engine/run_config.h"
#include "generators/case_stream.h"
#include "oracles/output_shape.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Group {
  int64_t cases = 0;
  double seconds = 0;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace convcheck;
  const int64_t n = argc > 1 ? std::stoll(argv[1]) : 10000;
  const uint64_t seed = argc > 2 ? std::stoull(argv[2]) : 1;
  const size_t top = argc > 3 ? std::stoull(argv[3]) : 15;
  at::set_num_threads(1);
  auto backend = MakeLibTorchBackend(1);
  // The run's default stream (every op, its dtypes, padding modes), without the extreme mix.
  const RunConfig defaults;
  StreamOptions so;
  so.gen.ops = defaults.ops;
  so.gen.dtypes = defaults.dtypes;
  so.gen.padding_modes = defaults.padding_modes;
  const CaseStream stream(seed, so);
  std::vector<std::pair<double, ConvCase>> timed;
  std::map<std::tuple<std::string, std::string, bool>, Group> groups;
  double total = 0;
  for (int64_t i = 0; i < n; ++i) {
    const ConvCase c = stream.At(static_cast<uint64_t>(i)).value();
    const auto start = Clock::now();
    backend->Run(c);
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    total += s;
    Group& g = groups[{OpName(c.op), DTypeName(c.dtype), OutputShape(c).ok()}];
    ++g.cases;
    g.seconds += s;
    timed.emplace_back(s, c);
  }
  std::cout << n << " cases (seed " << seed << "), " << total << " s in the backend, "
            << static_cast<int64_t>(n / total) << " cases/s\n\nop dtype valid: cases, seconds, share\n";
  for (const auto& [key, g] : groups) {
    std::cout << std::get<0>(key) << " " << std::get<1>(key) << " " << (std::get<2>(key) ? "valid" : "invalid")
              << ": " << g.cases << ", " << g.seconds << " s, " << 100 * g.seconds / total << "%\n";
  }
  std::sort(timed.begin(), timed.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  double top_s = 0;
  std::cout << "\nslowest " << top << " cases:\n";
  for (size_t i = 0; i < top && i < timed.size(); ++i) {
    top_s += timed[i].first;
    std::cout << timed[i].first * 1e3 << " ms  " << CaseToJsonLine(timed[i].second) << "\n";
  }
  std::cout << "the slowest " << top << " carry " << 100 * top_s / total << "% of the time\n";
  return 0;
}
