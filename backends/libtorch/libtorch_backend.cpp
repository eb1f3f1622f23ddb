// The one LibTorch translation unit of the conformance harness. Everything torch-specific about
// running a case lives here: tensor creation, op dispatch, and turning every exception LibTorch
// can throw into an outcome.
#include "backends/libtorch/libtorch_backend.h"
#include "backends/module_semantics.h"
#include "backends/libtorch/no_backtraces.h"
#include "backends/libtorch/onednn_cache.h"
#include "backends/libtorch/intra_op_threads.h"
#include "backends/libtorch/functional_conv.h"
#include "backends/libtorch/torch_enums.h"
#include "backends/libtorch/pooling_ops.h"
#include "oracles/layer_ops.h"

#include <cstdlib>
#include <cxxabi.h>
#include <memory>
#include <new>
#include <typeinfo>

#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

namespace convcheck {
namespace {

torch::nn::detail::conv_padding_mode_t ToModulePaddingMode(PaddingMode m) {
  switch (m) {
    case PaddingMode::kReflect: return torch::kReflect;
    case PaddingMode::kReplicate: return torch::kReplicate;
    case PaddingMode::kCircular: return torch::kCircular;
    case PaddingMode::kZeros: break;
  }
  return torch::kZeros;
}

template <size_t D, typename Module, typename Options>
at::Tensor TransposeModuleForward(const ConvCase& c, const at::Tensor& x) {
  Options o(InChannels(c), c.out_channels, torch::ExpandingArray<D>(c.kernel));
  o.stride(torch::ExpandingArray<D>(c.stride))
      .padding(torch::ExpandingArray<D>(c.padding))
      .output_padding(torch::ExpandingArray<D>(c.output_padding))
      .dilation(torch::ExpandingArray<D>(c.dilation))
      .groups(c.groups)
      .bias(c.bias)
      .padding_mode(ToModulePaddingMode(c.padding_mode));
  Module m(o);
  m->to(x.options().dtype_opt()->toScalarType());
  m->to(x.device());
  return m->forward(x);
}

// The functional API cannot express two transposed cases that nn.ConvTranspose*d decides
// itself: a non-zero padding_mode, and out_channels % groups != 0 (no weight has that shape).
// For those, run the framework's own module so LibTorch, not convcheck, says what happens.
bool NeedsTransposeModule(const ConvCase& c) {
  return IsTransposed(c.op) && !c.weight_shape && c.groups > 0 &&
         (c.padding_mode != PaddingMode::kZeros || c.out_channels % c.groups != 0);
}

at::Tensor TransposeModule(const ConvCase& c, const at::Tensor& x) {
  namespace nn = torch::nn;
  switch (SpatialRank(c.op)) {
    case 1: return TransposeModuleForward<1, nn::ConvTranspose1d, nn::ConvTranspose1dOptions>(c, x);
    case 2: return TransposeModuleForward<2, nn::ConvTranspose2d, nn::ConvTranspose2dOptions>(c, x);
    default: return TransposeModuleForward<3, nn::ConvTranspose3d, nn::ConvTranspose3dOptions>(c, x);
  }
}

at::Tensor Forward(const ConvCase& c) {
  const auto opts = at::TensorOptions()
                        .dtype(ToScalarType(c.dtype))
                        .device(c.device == Device::kCuda ? at::kCUDA : at::kCPU);
  at::Tensor x = at::zeros(c.input, opts);
  if (c.layout == Layout::kChannelsLast) {
    x = x.contiguous(x.dim() == 5 ? at::MemoryFormat::ChannelsLast3d : at::MemoryFormat::ChannelsLast);
  }
  if (!IsConvOp(c.op)) return LayerForward(c, x);
  if (NeedsTransposeModule(c)) return TransposeModule(c, x);
  const Dims ws = WeightShape(c);
  const at::Tensor w = at::zeros(ws, opts);
  c10::optional<at::Tensor> b;
  if (c.bias) b = at::zeros({BiasLength(c, ws)}, opts);
  return Convolve(c, x, w, b);
}

// The recipe form (Backend::RunPadded): constant pad then a zero-padded conv, or a transposed
// conv then a crop (narrow throws for a crop larger than the output: a rejection).
at::Tensor PaddedForward(const ConvCase& c, const std::vector<PadPair>& pads) {
  const auto opts = at::TensorOptions()
                        .dtype(ToScalarType(c.dtype))
                        .device(c.device == Device::kCuda ? at::kCUDA : at::kCPU);
  const Dims ws = WeightShape(c);
  const at::Tensor w = at::zeros(ws, opts);
  c10::optional<at::Tensor> b;
  if (c.bias) b = at::zeros({BiasLength(c, ws)}, opts);
  const size_t rank = static_cast<size_t>(SpatialRank(c.op));
  at::Tensor x = at::zeros(c.input, opts);
  if (!IsTransposed(c.op)) {
    std::vector<int64_t> flat;  // F.pad lists the last dim first
    for (size_t i = rank; i-- > 0;) {
      flat.push_back(i < pads.size() ? pads[i].left : 0);
      flat.push_back(i < pads.size() ? pads[i].right : 0);
    }
    namespace F = torch::nn::functional;
    x = F::pad(x, F::PadFuncOptions(flat).mode(torch::kConstant));
    ConvCase z = c;
    z.padding.assign(rank, 0);
    z.padding_kind = PaddingKind::kExplicit;
    z.padding_mode = PaddingMode::kZeros;
    return Convolve(z, x, w, b);
  }
  at::Tensor y = Convolve(c, x, w, b);
  const int64_t first = y.dim() - static_cast<int64_t>(rank);
  for (size_t i = 0; i < rank && i < pads.size(); ++i) {
    const int64_t dim = first + static_cast<int64_t>(i);
    y = y.narrow(dim, pads[i].left, y.size(dim) - pads[i].left - pads[i].right);
  }
  return y;
}

// The C++ name of an exception's dynamic type ("c10::IndexError"): the counterpart of the
// Python exception class OpInfo's ErrorInput names (c10::Error is RuntimeError, c10::IndexError
// IndexError, c10::ValueError ValueError, c10::TypeError TypeError, ...).
std::string TypeName(const std::exception& e) {
  const char* mangled = typeid(e).name();
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  return status == 0 && demangled ? demangled.get() : mangled;
}

// Runs `forward` and turns whatever LibTorch throws into a Rejected outcome with its message and
// its type: the one place this backend catches.
template <typename F>
BackendOutcome Refusing(F&& forward) {
  try {
    return forward();
  } catch (const c10::Error& e) {
    return BackendOutcome::Rejected(e.what_without_backtrace(), TypeName(e));
  } catch (const std::bad_alloc& e) {
    return BackendOutcome::Rejected(std::string("std::bad_alloc: ") + e.what(), TypeName(e));
  } catch (const std::exception& e) {
    return BackendOutcome::Rejected(e.what(), TypeName(e));
  } catch (...) {
    return BackendOutcome::Rejected("unknown exception type", "unknown");
  }
}

class LibTorchBackend final : public Backend {
 public:
  explicit LibTorchBackend(int threads) {
    DisableTorchErrorBacktraces();
    SizeOneDnnPrimitiveCache();
    if (threads > 0) SetIntraOpThreads(threads);
  }
  std::string Name() const override { return "libtorch"; }
  std::string Version() const override { return TORCH_VERSION; }
  std::vector<Device> Devices() const override {
    std::vector<Device> d = {Device::kCpu};
    if (torch::cuda::is_available()) d.push_back(Device::kCuda);
    return d;
  }
  BackendOutcome Run(const ConvCase& c) override {
    if (c.device == Device::kCuda && !torch::cuda::is_available()) {
      return BackendOutcome::Skipped("no CUDA device");
    }
    return Refusing([&] { return BackendOutcome::Shape(Forward(c).sizes().vec()); });
  }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override {
    return RunEach(*this, cases);
  }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override {
    return RunPaddedEach(*this, calls);
  }
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override {
    if (c.device == Device::kCuda && !torch::cuda::is_available()) {
      return BackendOutcome::Skipped("no CUDA device");
    }
    return Refusing([&] { return BackendOutcome::Shape(PaddedForward(c, pads).sizes().vec()); });
  }
};

}  // namespace

std::unique_ptr<Backend> MakeLibTorchBackend(int threads) {
  return std::make_unique<LibTorchBackend>(threads);
}

}  // namespace convcheck
