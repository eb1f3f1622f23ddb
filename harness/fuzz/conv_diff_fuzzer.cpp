// Differential fuzz target: bytes -> a case (generators/byte_decoder.h), oracle vs LibTorch for
// shape and validity. A divergence that no known deviation explains prints the reproducer block
// and aborts, so libFuzzer keeps the input; undecodable bytes return -1 (not added to the corpus).
// Runs in-process (libFuzzer isolates crashes itself) under an address-space limit, so outputs
// the oracle predicts too large end in an allocation failure, the documented right outcome.
#include <sys/resource.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "generators/byte_decoder.h"
#include "harness/backends/backend.h"
#include "harness/known_deviations.h"
#include "harness/reproducer.h"
#include "oracles/output_shape.h"

namespace {

using namespace convcheck;

constexpr uint64_t kMemoryLimitBytes = uint64_t{1} << 30;  // RunConfig's default
constexpr uint64_t kAddressSpaceHeadroom = uint64_t{2} << 30;

struct Target {
  std::unique_ptr<Backend> backend;
  KnownDeviations known;
};

Target* g_target = nullptr;

uint64_t MappedBytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  unsigned long long pages = 0;
  if (f && std::fscanf(f, "%llu", &pages) != 1) pages = 0;
  if (f) std::fclose(f);
  return pages * 4096;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  g_target = new Target;
  g_target->backend = MakeDefaultBackend();
  if (!g_target->backend) {
    std::fprintf(stderr, "conv_diff_fuzzer: built without a backend\n");
    std::exit(2);
  }
  const char* dir = std::getenv("CONVCHECK_KNOWN_DIR");
  const std::string known_dir = dir ? dir : CONVCHECK_CORPUS_DIR "/known";
  if (auto err = KnownDeviations::Load(known_dir, g_target->backend->Name(),
                                       g_target->backend->Version(), &g_target->known)) {
    std::fprintf(stderr, "conv_diff_fuzzer: %s\n", err->c_str());
    std::exit(2);
  }
  // Torch is initialized now; what it maps from here on counts against the limit.
  g_target->backend->Run(DefaultCase(Op::kConv1d, {1, 1, 1}, 1));
  const uint64_t limit = MappedBytes() + kAddressSpaceHeadroom;
  const rlimit as{limit, limit};
  setrlimit(RLIMIT_AS, &as);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::optional<ConvCase> c = DecodeCase(data, size);
  if (!c) return -1;
  CaseResult r = Judge(*c, OutputShape(*c), g_target->backend->Run(*c), kMemoryLimitBytes);
  if (IsAgreement(r.verdict) || r.verdict == Verdict::kSkipped) return 0;
  if (g_target->known.Match(r)) return 0;
  std::fprintf(stderr, "%s", ReproducerBlock(r).c_str());
  std::abort();
}
