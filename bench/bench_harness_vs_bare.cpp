// Throughput of the conformance harness against a bare LibTorch loop on the same cases.
// The bare loop only creates the tensors, calls the op and reads the sizes; the harness also
// draws the case (RapidCheck), asks the oracle, judges and tallies. One process, LibTorch with
// one intra-op thread and its error backtraces off (what every convcheck process does). The bare
// loop runs on one thread; the harness runs the backend on the engine's backend thread and
// judges on the calling thread, as `convcheck run --no-isolation` does. A third row times the
// backend's RunBatch alone, which tells the backend's own cost from the engine's.
// The mix is the run's own stream (RunStreamOptions: the convolutions and, one case in ten, the
// pools and layers), valid, edge and invalid; the extreme generator is left out because its
// crashing cases (SIGFPE, SIGSEGV) would end an in-process bare loop. Until 2026-12-03 the bare
// loop drew the six convolutions only while the harness drew the pools and layers too, which
// put the ratio at 0.86-0.89 where the same mix gives 0.95-0.97.
// Two ratios: shape properties only (ShapeAgrees/ValidityAgrees, what the bare loop does) and
// the default run's properties (round trips, stacks, conventions, sampled numeric ones).
//
// The bare loop and the shape-only harness run alternately `repeats` times and the medians are
// compared: one pass of 10,000 cases takes about half a second, and single passes on a shared
// 2-core machine were seen to vary from 0.69 to 1.04 for the same build.
//
// Usage: bench_harness_vs_bare [cases=3000] [seed=1] [dtype=float32] [repeats=5]
// With BENCH_TIMINGS set, stderr also gets the time to draw the cases and each harness pass's
// time rows (the rows `convcheck run` prints).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include <torch/torch.h>

#include "backends/libtorch/libtorch_backend.h"
#include "backends/libtorch/libtorch_numeric.h"
#include "backends/libtorch/no_backtraces.h"
#include "backends/libtorch/pooling_ops.h"
#include "oracles/layer_ops.h"
#include "backends/module_semantics.h"
#include "generators/case_stream.h"
#include "engine/engine.h"

namespace {

using convcheck::ConvCase;
using Clock = std::chrono::steady_clock;

// The reference loop: zero-filled tensors, the functional op, the sizes. The pools and layers
// (about 5% of the default stream) run through pooling_ops.h's LayerForward, which is the at::
// call itself (plus nn.BatchNorm's module, whose checks live in the module).
int64_t BareLoop(const std::vector<ConvCase>& cases) {
  int64_t sink = 0;
  for (const ConvCase& c : cases) {
    try {
      const auto opts = at::TensorOptions().dtype(c.dtype == convcheck::DType::kFloat64 ? at::kDouble : at::kFloat);
      at::Tensor x = at::zeros(c.input, opts);
      if (!convcheck::IsConvOp(c.op)) {  // the pools and layers: the at:: call a user makes
        sink += convcheck::LayerForward(c, x).dim();
        continue;
      }
      at::Tensor w = at::zeros(convcheck::WeightShape(c), opts);
      c10::optional<at::Tensor> b;
      if (c.bias) b = at::zeros({convcheck::BiasLength(c, convcheck::WeightShape(c))}, opts);
      at::Tensor y;
      const c10::string_view mode = c.padding_kind == convcheck::PaddingKind::kSame ? "same" : "valid";
      if (c.padding_kind != convcheck::PaddingKind::kExplicit) {
        switch (convcheck::SpatialRank(c.op)) {
          case 1: y = at::conv1d(x, w, b, c.stride, mode, c.dilation, c.groups); break;
          case 2: y = at::conv2d(x, w, b, c.stride, mode, c.dilation, c.groups); break;
          default: y = at::conv3d(x, w, b, c.stride, mode, c.dilation, c.groups); break;
        }
      } else switch (c.op) {
        case convcheck::Op::kConv1d: y = at::conv1d(x, w, b, c.stride, c.padding, c.dilation, c.groups); break;
        case convcheck::Op::kConv2d: y = at::conv2d(x, w, b, c.stride, c.padding, c.dilation, c.groups); break;
        case convcheck::Op::kConv3d: y = at::conv3d(x, w, b, c.stride, c.padding, c.dilation, c.groups); break;
        case convcheck::Op::kConvTranspose1d: y = at::conv_transpose1d(x, w, b, c.stride, c.padding, c.output_padding, c.groups, c.dilation); break;
        case convcheck::Op::kConvTranspose2d: y = at::conv_transpose2d(x, w, b, c.stride, c.padding, c.output_padding, c.groups, c.dilation); break;
        case convcheck::Op::kConvTranspose3d: y = at::conv_transpose3d(x, w, b, c.stride, c.padding, c.output_padding, c.groups, c.dilation); break;
        default: break;  // not a convolution: handled above
      }
      sink += y.sizes().back();
    } catch (const std::exception&) {
      sink += 1;
    }
  }
  return sink;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// "min–max" of the passes' rates.
std::string Spread(const std::vector<double>& v) {
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return std::to_string(static_cast<int64_t>(*lo)) + "-" + std::to_string(static_cast<int64_t>(*hi));
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::stoll(argv[1]) : 3000;
  const uint64_t seed = argc > 2 ? std::stoull(argv[2]) : 1;
  const std::string dtype = argc > 3 ? argv[3] : "float32";
  const int repeats = argc > 4 ? std::max(1, std::stoi(argv[4])) : 5;
  at::set_num_threads(1);
  convcheck::DisableTorchErrorBacktraces();

  convcheck::RunConfig config;
  config.seed = seed;
  config.cases = n;
  config.dtypes = {*convcheck::ParseDTypeName(dtype)};
  config.shrink = false;
  config.padding_modes = false;  // the bare loop has no F.pad step
  config.properties = {"none"};  // ShapeAgrees/ValidityAgrees only: what the bare loop does
  config.quiet = true;
  // The stream the harness will draw (the run's own options: its ops include the pools and
  // layers); the bare loop gets the same cases, pre-drawn.
  const convcheck::CaseStream stream(seed, convcheck::RunStreamOptions(config));
  std::vector<ConvCase> cases;
  const auto td = Clock::now();
  for (int64_t i = 0; i < n; ++i) cases.push_back(stream.At(static_cast<uint64_t>(i)).value());
  const bool timings = std::getenv("BENCH_TIMINGS") != nullptr;
  if (timings) std::cerr << "drawing " << n << " cases: " << std::chrono::duration<double>(Clock::now() - td).count() << " s\n";

  auto backend = convcheck::MakeLibTorchBackend(1);
  convcheck::KnownDeviations none;
  std::ostringstream sink_log;
  BareLoop(cases);  // warm-up: oneDNN primitive caches, allocator
  convcheck::RunConformance(config, *backend, none, sink_log);

  std::vector<double> bare_rates, backend_rates, harness_rates;
  int64_t sink = 0;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    sink += BareLoop(cases);
    bare_rates.push_back(n / std::chrono::duration<double>(Clock::now() - t0).count());
    // The backend's own per-case cost (outcomes, exception type names), without the engine.
    const auto tb = Clock::now();
    sink += static_cast<int64_t>(backend->RunBatch(cases).size());
    backend_rates.push_back(n / std::chrono::duration<double>(Clock::now() - tb).count());
    const auto t1 = Clock::now();
    const convcheck::RunSummary summary = convcheck::RunConformance(config, *backend, none, sink_log);
    harness_rates.push_back(summary.cases / std::chrono::duration<double>(Clock::now() - t1).count());
    for (const auto& t : summary.timings) {
      if (timings) std::cerr << "pass " << r << ": " << t.stage << " " << t.name << ": " << t.seconds << " s\n";
    }
  }
  const double bare_rate = Median(bare_rates), harness_rate = Median(harness_rates);

  // The default run's properties, the numeric ones on their own in-process backend.
  convcheck::RunConfig all = config;
  all.properties = {};
  convcheck::NumericSetup numeric;
  numeric.backend = convcheck::MakeLibTorchNumericBackend();
  const auto t2 = Clock::now();
  const convcheck::RunSummary full = convcheck::RunConformance(all, *backend, none, sink_log, {}, numeric);
  const double full_s = std::chrono::duration<double>(Clock::now() - t2).count();

  const double full_rate = full.cases / full_s;
  std::cout << "cases " << n << " (seed " << seed << ", " << dtype << ", 1 thread, sink " << sink << ")\n"
            << "bare LibTorch loop:                  " << static_cast<int64_t>(bare_rate) << " cases/s (median of "
            << repeats << ": " << Spread(bare_rates) << ")\n"
            << "LibTorch backend alone (RunBatch):   " << static_cast<int64_t>(Median(backend_rates)) << " cases/s (median of "
            << repeats << ": " << Spread(backend_rates) << ")\n"
            << "convcheck harness, shape properties: " << static_cast<int64_t>(harness_rate) << " cases/s (median of "
            << repeats << ": " << Spread(harness_rates) << ")\n"
            << "convcheck harness, all properties:   " << static_cast<int64_t>(full_rate) << " cases/s\n"
            << "ratio harness/bare, shape properties: " << harness_rate / bare_rate << "\n"
            << "ratio harness/bare, all properties:   " << full_rate / bare_rate << "\n";
  return 0;
}
