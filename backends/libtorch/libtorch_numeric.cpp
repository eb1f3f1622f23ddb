// The second and last LibTorch translation unit of the conformance harness: the numeric
// backend. It runs a case's op on given values and returns values (and autograd gradients);
// libtorch_backend.cpp only ever looks at shapes. Only APIs stable from LibTorch 1.13 to 2.x.
#include <cstring>
#include <new>

#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

#include "backends/module_semantics.h"
#include "backends/libtorch/libtorch_numeric.h"
#include "backends/libtorch/no_backtraces.h"
#include "backends/libtorch/onednn_cache.h"
#include "backends/libtorch/intra_op_threads.h"
#include "backends/libtorch/functional_conv.h"
#include "backends/libtorch/pooling_ops.h"
#include "backends/libtorch/torch_enums.h"
#include "oracles/layer_ops.h"
#include "oracles/reference_batch_norm.h"
#include "oracles/output_shape.h"
#include "oracles/reference_pool.h"

namespace convcheck {
namespace {

// The values as a tensor of the case's dtype on its device (and, for the input, its layout).
at::Tensor ToTensor(const DoubleTensor& t, const ConvCase& c, bool apply_layout) {
  at::Tensor cpu = at::empty(t.shape, at::TensorOptions().dtype(at::kDouble));
  if (cpu.numel() > 0) std::memcpy(cpu.data_ptr<double>(), t.data.data(), t.data.size() * sizeof(double));
  at::Tensor out = cpu.to(ToScalarType(c.dtype));
  if (c.device == Device::kCuda) out = out.to(at::kCUDA);
  if (apply_layout && c.layout == Layout::kChannelsLast) {
    out = out.contiguous(out.dim() == 5 ? at::MemoryFormat::ChannelsLast3d : at::MemoryFormat::ChannelsLast);
  }
  return out;
}

DoubleTensor ToDouble(const at::Tensor& t) {
  const at::Tensor cpu = t.to(at::kCPU).to(at::kDouble).contiguous();
  DoubleTensor out{cpu.sizes().vec(), std::vector<double>(static_cast<size_t>(cpu.numel()))};
  if (cpu.numel() > 0) std::memcpy(out.data.data(), cpu.data_ptr<double>(), out.data.size() * sizeof(double));
  return out;
}

c10::optional<at::Tensor> BiasTensor(const ConvCase& c, const CaseData& data) {
  if (!c.bias) return c10::nullopt;
  return ToTensor(data.bias, c, false);
}

bool IsBatchNorm(const ConvCase& c) { return FamilyOf(c.op) == OpFamily::kBatchNorm; }

// A convolution reads the weight and bias; so does linear, through the at::linear a user's
// F.linear / nn.Linear calls (the shape backend runs it on zeros). batch_norm runs as
// nn.BatchNorm*d's forward does in eval mode (F.batch_norm -> at::batch_norm, training false,
// momentum 0.1, eps 1e-5) with the case data's weight, bias and running statistics, where the
// shape backend's fresh module has 1, 0, 0 and 1. A pool, flatten or an elementwise layer runs
// as the shape backend runs it (pooling_ops.h), on the input alone.
at::Tensor Apply(const ConvCase& c, const at::Tensor& x, const at::Tensor& w, const CaseData& data) {
  if (c.op == Op::kLinear) return at::linear(x, w, BiasTensor(c, data));
  if (IsBatchNorm(c)) {
    return at::batch_norm(x, w, ToTensor(data.bias, c, false), ToTensor(data.running_mean, c, false),
                          ToTensor(data.running_var, c, false), /*training=*/false, /*momentum=*/0.1,
                          /*eps=*/kBatchNormEps, /*cudnn_enabled=*/true);
  }
  if (!IsConvOp(c.op)) return LayerForward(c, x);
  return Convolve(c, x, w, BiasTensor(c, data));
}

bool HasWeight(const ConvCase& c) { return IsConvOp(c.op) || c.op == Op::kLinear || IsBatchNorm(c); }

NumericOutcome RunForward(const ConvCase& c, const CaseData& data) {
  at::NoGradGuard no_grad;
  NumericOutcome o;
  const at::Tensor w = HasWeight(c) ? ToTensor(data.weight, c, false) : at::Tensor();
  o.output = ToDouble(Apply(c, ToTensor(data.input, c, true), w, data));
  return o;
}

DoubleTensor GradOrZeros(const at::Tensor& leaf) {
  const at::Tensor g = leaf.grad();
  return g.defined() ? ToDouble(g) : ToDouble(at::zeros_like(leaf));
}

NumericOutcome RunGradients(const ConvCase& c, const CaseData& data, const DoubleTensor& grad_output) {
  // Leaves are made after the dtype/device/layout conversion so .grad() lands on them.
  const at::Tensor x = ToTensor(data.input, c, true).detach().requires_grad_(true);
  const at::Tensor w = HasWeight(c) ? ToTensor(data.weight, c, false).detach().requires_grad_(true) : at::Tensor();
  const at::Tensor out = Apply(c, x, w, data);
  const at::Tensor upstream = ToTensor(grad_output, c, false);
  if (upstream.sizes() != out.sizes()) {
    return NumericOutcome::Rejected("output shape " + c10::str(out.sizes()) + " differs from the upstream gradient's " + c10::str(upstream.sizes()));
  }
  out.backward(upstream);
  NumericOutcome o;
  o.output = ToDouble(out.detach());
  o.input_grad = GradOrZeros(x);
  if (HasWeight(c)) o.weight_grad = GradOrZeros(w);  // a pool has none: weight_grad stays empty
  return o;
}

// The one place framework exceptions become outcomes.
template <typename F>
NumericOutcome Guarded(F run) {
  try {
    return run();
  } catch (const c10::Error& e) {
    return NumericOutcome::Rejected(e.what_without_backtrace());
  } catch (const std::bad_alloc& e) {
    return NumericOutcome::Rejected(std::string("std::bad_alloc: ") + e.what());
  } catch (const std::exception& e) {
    return NumericOutcome::Rejected(e.what());
  } catch (...) {
    return NumericOutcome::Rejected("unknown exception type");
  }
}

class LibTorchNumeric final : public NumericBackend {
 public:
  // One intra-op thread, as the shape backend: the harness parallelizes across workers.
  LibTorchNumeric() {
    DisableTorchErrorBacktraces();
    SizeOneDnnPrimitiveCache();
    SetIntraOpThreads(1);
  }
  std::string Name() const override { return std::string("libtorch ") + TORCH_VERSION; }
  bool DeviceAvailable(Device device) const override {
    return device == Device::kCpu || torch::cuda::is_available();
  }
  NumericOutcome Forward(const ConvCase& c, const CaseData& data) override {
    if (!DeviceAvailable(c.device)) return NumericOutcome::Skipped("no CUDA device");
    return Guarded([&] { return RunForward(c, data); });
  }
  NumericOutcome Gradients(const ConvCase& c, const CaseData& data,
                           const DoubleTensor& grad_output) override {
    if (!DeviceAvailable(c.device)) return NumericOutcome::Skipped("no CUDA device");
    // The backward pass of such a case writes past the gradient tensor of its last plane
    // (heap corruption, "munmap_chunk(): invalid pointer" in 1.13.1), and this backend runs in
    // the harness's own process; recorded in corpus/known/libtorch-1.13-pooling.json.
    if (HasPaddingOnlyMaxWindow(c)) {
      return NumericOutcome::Skipped(
          "not run: a max pool window of padding only; LibTorch's max pool backward adds its "
          "gradient at an index outside the window, past the end of the last plane (known "
          "deviation libtorch-max-pool-padding-only-window-gradient)");
    }
    return Guarded([&] { return RunGradients(c, data, grad_output); });
  }
};

}  // namespace

std::unique_ptr<NumericBackend> MakeLibTorchNumericBackend() {
  return std::make_unique<LibTorchNumeric>();
}

}  // namespace convcheck
