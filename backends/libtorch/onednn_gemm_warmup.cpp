#include "backends/libtorch/onednn_gemm_warmup.h"

#include <dlfcn.h>

#include <cstdint>

namespace convcheck {
namespace {

// oneDNN's C API (dnnl.h; Debian ships the library without its headers): dnnl_dim_t is int64_t,
// dnnl_bfloat16_t a 16-bit value, dnnl_status_t an int enum.
using Sgemm = int (*)(char, char, int64_t, int64_t, int64_t, float, const float*, int64_t, const float*, int64_t,
                      float, float*, int64_t);
using GemmBf16 = int (*)(char, char, int64_t, int64_t, int64_t, float, const uint16_t*, int64_t, const uint16_t*,
                         int64_t, float, float*, int64_t);

// A library LibTorch already loaded, or nullptr (RTLD_NOLOAD: never loads anything).
void* Loaded(const char* soname) { return dlopen(soname, RTLD_LAZY | RTLD_NOLOAD); }

}  // namespace

bool WarmOneDnnGemmKernels() {
  void* dnnl = Loaded("libdnnl.so.2");
  if (!dnnl) return false;
  const auto sgemm = reinterpret_cast<Sgemm>(dlsym(dnnl, "dnnl_sgemm"));
  const auto gemm_bf16 = reinterpret_cast<GemmBf16>(dlsym(dnnl, "dnnl_gemm_bf16bf16f32"));
  // oneDNN sizes its parallel regions by omp_get_max_threads(); above one, OpenMP would start
  // its thread pool here, and a forked child inherits a pool whose threads it does not have.
  void* gomp = Loaded("libgomp.so.1");
  const auto get_threads = gomp ? reinterpret_cast<int (*)()>(dlsym(gomp, "omp_get_max_threads")) : nullptr;
  const auto set_threads = gomp ? reinterpret_cast<void (*)(int)>(dlsym(gomp, "omp_set_num_threads")) : nullptr;
  bool warmed = false;
  if (sgemm && get_threads && set_threads) {
    const int threads = get_threads();
    set_threads(1);
    float a[4] = {1, 2, 3, 4}, b[4] = {1, 0, 0, 1}, c[4] = {};
    warmed = sgemm('N', 'N', 2, 2, 2, 1.f, a, 2, b, 2, 0.f, c, 2) == 0;
    const uint16_t one = 0x3f80, ab[4] = {one, one, one, one};  // bfloat16 1.0
    if (gemm_bf16) gemm_bf16('N', 'N', 2, 2, 2, 1.f, ab, 2, ab, 2, 0.f, c, 2);
    set_threads(threads);
  }
  dlclose(dnnl);  // drops only the reference RTLD_NOLOAD took
  if (gomp) dlclose(gomp);
  return warmed;
}

}  // namespace convcheck
