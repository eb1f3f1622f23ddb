// Generates oneDNN's gemm kernels once, in the process the workers are forked from. oneDNN JIT-
// compiles its whole family of gemm kernels the first time a process calls its gemm (a
// convolution it runs as im2col + gemm, a deconvolution's col2im): 25-28 ms for float32 and
// 3.5 ms more for bfloat16 on an AVX-512 Xeon, measured in a scratch program against Debian's
// libdnnl. Every worker paid that again (a default run forks ~20: one per crash or timeout):
// about 30% of the workers' CPU in a default run. Kernels generated before the fork are inherited.
// Torch-free: it finds oneDNN in the libraries LibTorch already loaded.
#pragma once

namespace convcheck {

// Calls oneDNN's float32 and bfloat16 gemm once on tiny matrices, with OpenMP held to one
// thread on the calling thread so no thread starts (restored afterwards). Returns false, doing
// nothing, when this LibTorch has no shared libdnnl (a pip wheel links oneDNN statically, with
// its symbols hidden): the workers then generate the kernels themselves, as before.
bool WarmOneDnnGemmKernels();

}  // namespace convcheck
