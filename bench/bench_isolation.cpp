// Throughput of crash isolation (issue #5): on the same generated small cases, a bare
// single-thread LibTorch loop (create tensors, call the op, read the sizes) against the
// IsolatedBackend with one worker (target >= 0.8x the bare loop) and with --jobs 2 (target
// >= 1.7x on a 2-core machine). Prints cases/s and the ratios; asserts nothing (figures
// depend on the machine and its load).
//
// The isolated runs come first: their workers must be forked from a process in which LibTorch
// has not started (the bare loop would start it).
//
// Usage: bench_isolation [cases=3000] [seed=1] [repeats=3]
#include <algorithm>
#include <chrono>
#include <functional>
#include <iostream>

#include <torch/torch.h>

#include "backends/libtorch/libtorch_backend.h"
#include "backends/libtorch/no_backtraces.h"
#include "backends/libtorch/onednn_cache.h"
#include "backends/libtorch/pooling_ops.h"
#include "oracles/layer_ops.h"
#include "generators/case_stream.h"
#include "backends/isolation/isolated_backend.h"

namespace {

using convcheck::ConvCase;
using Clock = std::chrono::steady_clock;

at::Tensor BareOp(const ConvCase& c) {
  using convcheck::Op;
  const auto opts = at::TensorOptions().dtype(c.dtype == convcheck::DType::kFloat64 ? at::kDouble : at::kFloat);
  // The pools and layers (about 5% of the stream): the at:: call itself (pooling_ops.h).
  if (!convcheck::IsConvOp(c.op)) return convcheck::LayerForward(c, at::zeros(c.input, opts));
  const convcheck::Dims ws = convcheck::WeightShape(c);
  const at::Tensor x = at::zeros(c.input, opts), w = at::zeros(ws, opts);
  c10::optional<at::Tensor> b;
  if (c.bias) b = at::zeros({convcheck::IsTransposed(c.op) ? ws[1] * c.groups : ws[0]}, opts);
  if (c.padding_kind != convcheck::PaddingKind::kExplicit) {
    const c10::string_view mode = c.padding_kind == convcheck::PaddingKind::kSame ? "same" : "valid";
    switch (convcheck::SpatialRank(c.op)) {
      case 1: return at::conv1d(x, w, b, c.stride, mode, c.dilation, c.groups);
      case 2: return at::conv2d(x, w, b, c.stride, mode, c.dilation, c.groups);
      default: return at::conv3d(x, w, b, c.stride, mode, c.dilation, c.groups);
    }
  }
  switch (c.op) {
    case Op::kConv1d: return at::conv1d(x, w, b, c.stride, c.padding, c.dilation, c.groups);
    case Op::kConv2d: return at::conv2d(x, w, b, c.stride, c.padding, c.dilation, c.groups);
    case Op::kConv3d: return at::conv3d(x, w, b, c.stride, c.padding, c.dilation, c.groups);
    case Op::kConvTranspose1d: return at::conv_transpose1d(x, w, b, c.stride, c.padding, c.output_padding, c.groups, c.dilation);
    case Op::kConvTranspose2d: return at::conv_transpose2d(x, w, b, c.stride, c.padding, c.output_padding, c.groups, c.dilation);
    case Op::kConvTranspose3d: return at::conv_transpose3d(x, w, b, c.stride, c.padding, c.output_padding, c.groups, c.dilation);
    default: break;  // not a convolution: handled above
  }
  return {};
}

double BareSeconds(const std::vector<ConvCase>& cases, int64_t* sink) {
  const auto t0 = Clock::now();
  for (const ConvCase& c : cases) {
    try {
      *sink += BareOp(c).sizes().back();
    } catch (const std::exception&) {
      *sink += 1;
    }
  }
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Feeds the cases in the runner's batches of 256.
double IsolatedSeconds(convcheck::Backend& backend, const std::vector<ConvCase>& cases, int64_t* sink) {
  const auto t0 = Clock::now();
  for (size_t i = 0; i < cases.size(); i += 256) {
    const std::vector<ConvCase> batch(cases.begin() + i, cases.begin() + std::min(cases.size(), i + 256));
    for (const auto& o : backend.RunBatch(batch)) *sink += o.shape.empty() ? 1 : o.shape.back();
  }
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double Best(int repeats, const std::function<double()>& once) {
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) best = std::min(best, once());
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::stoll(argv[1]) : 3000;
  const uint64_t seed = argc > 2 ? std::stoull(argv[2]) : 1;
  const int repeats = argc > 3 ? std::stoi(argv[3]) : 3;
  convcheck::StreamOptions so;
  so.gen.dtypes = {convcheck::DType::kFloat32};
  so.gen.padding_modes = false;  // the bare loop has no F.pad step
  const convcheck::CaseStream stream(seed, so);
  std::vector<ConvCase> cases;
  for (int64_t i = 0; i < n; ++i) cases.push_back(stream.At(static_cast<uint64_t>(i)).value());

  int64_t sink = 0;
  double isolated_s[3] = {0, 0, 0};
  for (int jobs : {1, 2}) {
    convcheck::IsolationOptions o;
    o.jobs = jobs;
    convcheck::IsolatedBackend backend([] { return convcheck::MakeLibTorchBackend(1); }, o);
    IsolatedSeconds(backend, cases, &sink);  // warm-up: worker start, oneDNN caches
    isolated_s[jobs] = Best(repeats, [&] { return IsolatedSeconds(backend, cases, &sink); });
  }
  // The bare loop under the workers' settings: one thread, no error backtraces (each would cost
  // milliseconds per rejected case), the same oneDNN primitive cache size (the default 1,024
  // evicts, and every eviction is a JIT compile on the next visit).
  at::set_num_threads(1);
  convcheck::DisableTorchErrorBacktraces();
  convcheck::SizeOneDnnPrimitiveCache();
  BareSeconds(cases, &sink);  // warm-up
  const double bare_s = Best(repeats, [&] { return BareSeconds(cases, &sink); });

  const double bare = n / bare_s, one = n / isolated_s[1], two = n / isolated_s[2];
  std::cout << "cases " << n << " (seed " << seed << ", float32, best of " << repeats
            << ", sink " << sink << ")\n"
            << "bare LibTorch loop, 1 thread: " << static_cast<int64_t>(bare) << " cases/s\n"
            << "isolated, 1 worker:           " << static_cast<int64_t>(one) << " cases/s  ratio "
            << one / bare << " (target >= 0.8)\n"
            << "isolated, --jobs 2:           " << static_cast<int64_t>(two) << " cases/s  ratio "
            << two / bare << " (target >= 1.7)\n";
  return 0;
}
