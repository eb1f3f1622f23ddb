// Throughput of the conformance harness against a bare LibTorch loop on the same cases.
// The bare loop only creates the tensors, calls the op and reads the sizes; the harness also
// draws the case (RapidCheck), asks the oracle, judges and tallies. One thread each, in one
// process, both with LibTorch's error backtraces off (what every convcheck process does).
// The mix is the run's valid, edge and invalid generators; the extreme generator is left out
// because its crashing cases (SIGFPE, SIGSEGV) would end an in-process bare loop.
// Two ratios: shape properties only (ShapeAgrees/ValidityAgrees, what the bare loop does) and
// the default run's properties (round trips, stacks, conventions, sampled numeric ones).
//
// Usage: bench_harness_vs_bare [cases=3000] [seed=1] [dtype=float32]
#include <chrono>
#include <iostream>
#include <sstream>

#include <torch/torch.h>

#include "backends/libtorch/libtorch_backend.h"
#include "backends/libtorch/libtorch_numeric.h"
#include "backends/libtorch/no_backtraces.h"
#include "backends/module_semantics.h"
#include "generators/case_stream.h"
#include "engine/engine.h"

namespace {

using convcheck::ConvCase;
using Clock = std::chrono::steady_clock;

// The reference loop of issue #2: zero-filled tensors, the functional op, the sizes.
int64_t BareLoop(const std::vector<ConvCase>& cases) {
  int64_t sink = 0;
  for (const ConvCase& c : cases) {
    try {
      const auto opts = at::TensorOptions().dtype(c.dtype == convcheck::DType::kFloat64 ? at::kDouble : at::kFloat);
      at::Tensor x = at::zeros(c.input, opts);
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
      }
      sink += y.sizes().back();
    } catch (const std::exception&) {
      sink += 1;
    }
  }
  return sink;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::stoll(argv[1]) : 3000;
  const uint64_t seed = argc > 2 ? std::stoull(argv[2]) : 1;
  const std::string dtype = argc > 3 ? argv[3] : "float32";
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
  // The stream the harness will draw; the bare loop gets the same cases, pre-drawn.
  convcheck::StreamOptions so;
  so.gen.dtypes = config.dtypes;
  so.gen.padding_modes = false;
  const convcheck::CaseStream stream(seed, so);
  std::vector<ConvCase> cases;
  for (int64_t i = 0; i < n; ++i) cases.push_back(stream.At(static_cast<uint64_t>(i)).value());

  auto backend = convcheck::MakeLibTorchBackend(1);
  convcheck::KnownDeviations none;
  std::ostringstream sink_log;
  BareLoop(cases);  // warm-up: oneDNN primitive caches, allocator
  convcheck::RunConformance(config, *backend, none, sink_log);

  const auto t0 = Clock::now();
  const int64_t sink = BareLoop(cases);
  const double bare_s = std::chrono::duration<double>(Clock::now() - t0).count();
  const auto t1 = Clock::now();
  const convcheck::RunSummary summary = convcheck::RunConformance(config, *backend, none, sink_log);
  const double harness_s = std::chrono::duration<double>(Clock::now() - t1).count();

  // The default run's properties, the numeric ones on their own in-process backend.
  convcheck::RunConfig all = config;
  all.properties = {};
  convcheck::NumericSetup numeric;
  numeric.backend = convcheck::MakeLibTorchNumericBackend();
  const auto t2 = Clock::now();
  const convcheck::RunSummary full = convcheck::RunConformance(all, *backend, none, sink_log, {}, numeric);
  const double full_s = std::chrono::duration<double>(Clock::now() - t2).count();

  const double bare_rate = n / bare_s, harness_rate = summary.cases / harness_s;
  const double full_rate = full.cases / full_s;
  std::cout << "cases " << n << " (seed " << seed << ", " << dtype << ", 1 thread, sink " << sink << ")\n"
            << "bare LibTorch loop:                  " << static_cast<int64_t>(bare_rate) << " cases/s\n"
            << "convcheck harness, shape properties: " << static_cast<int64_t>(harness_rate) << " cases/s\n"
            << "convcheck harness, all properties:   " << static_cast<int64_t>(full_rate) << " cases/s\n"
            << "ratio harness/bare, shape properties: " << harness_rate / bare_rate << "\n"
            << "ratio harness/bare, all properties:   " << full_rate / bare_rate << "\n";
  return 0;
}
