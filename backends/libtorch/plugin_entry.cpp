// The LibTorch plugin's one exported symbol (backends/plugin/plugin_abi.h). Torch-free apart
// from the version macro, so the plugin's torch translation units stay the two backend files
// (and sanity's, linked in when the build has sanity).
#include <torch/version.h>

#include "backends/capabilities.h"
#include "backends/libtorch/libtorch_backend.h"
#include "backends/libtorch/libtorch_numeric.h"
#include "backends/libtorch/onednn_gemm_warmup.h"
#include "backends/plugin/plugin_abi.h"
#ifdef CONVCHECK_PLUGIN_HAS_SANITY
#include "sanity/sanity.h"
#endif

namespace convcheck {
namespace {

Backend* MakeBackend(int threads) { return MakeLibTorchBackend(threads).release(); }
NumericBackend* MakeNumeric() { return MakeLibTorchNumericBackend().release(); }

const BackendCapabilities kCapabilities = AllCapabilities();  // convcheck's case was written in its terms

const PluginV1 kPlugin = {
    kPluginAbiVersion, CONVCHECK_PLUGIN_BUILD_ID, "libtorch", TORCH_VERSION, &MakeBackend, &MakeNumeric,
#ifdef CONVCHECK_PLUGIN_HAS_SANITY
    &sanity::RunSanity,
#else
    nullptr,
#endif
    &kCapabilities,
    &WarmOneDnnGemmKernels,
};

}  // namespace
}  // namespace convcheck

extern "C" __attribute__((visibility("default"))) const convcheck::PluginV1* convcheck_plugin_v1() {
  return &convcheck::kPlugin;
}
