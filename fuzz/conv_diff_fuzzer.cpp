// Differential fuzz target: bytes -> a case (generators/byte_decoder.h), judged by the same
// engine as `convcheck run` (base properties, known-deviation matching, the same reproducer).
// A divergence that no known deviation explains prints the reproducer and aborts, so libFuzzer
// keeps the input; undecodable bytes return -1 (not added to the corpus). Runs in-process
// (libFuzzer isolates crashes itself) under an address-space limit, so outputs the oracle
// predicts too large end in an allocation failure, the documented right outcome.
// CONVCHECK_KNOWN_DIR overrides where the known deviations are read (default: those shipped next
// to the binary); CONVCHECK_FUZZ_PROPERTIES names extra properties (default: none).
#include <sys/resource.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

#include "engine/data_dirs.h"
#include "engine/engine.h"
#include "generators/byte_decoder.h"
#include "properties/property_table.h"

namespace {

using namespace convcheck;

constexpr uint64_t kAddressSpaceHeadroom = uint64_t{2} << 30;

struct Target {
  std::unique_ptr<Backend> backend;
  KnownDeviations known;
  RunConfig config;
  std::ostringstream log;
  std::unique_ptr<Engine> engine;
};

Target* g_target = nullptr;

uint64_t MappedBytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  unsigned long long pages = 0;
  if (f && std::fscanf(f, "%llu", &pages) != 1) pages = 0;
  if (f) std::fclose(f);
  return pages * 4096;
}

[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr, "conv_diff_fuzzer: %s\n", why.c_str());
  std::exit(2);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  g_target = new Target;
  g_target->backend = MakeDefaultBackend();
  if (!g_target->backend) Fail("built without a backend");
  const char* dir = std::getenv("CONVCHECK_KNOWN_DIR");
  const std::string known_dir = dir ? dir : ShippedKnownDir();
  if (!known_dir.empty()) {
    if (auto err = KnownDeviations::Load(known_dir, g_target->backend->Name(),
                                         g_target->backend->Version(), &g_target->known)) {
      Fail(*err);
    }
  }
  RunConfig& config = g_target->config;
  const char* properties = std::getenv("CONVCHECK_FUZZ_PROPERTIES");
  config.properties = {properties ? properties : "none"};
  std::string error;
  if (!SelectProperties(config.properties, &error)) Fail(error);
  config.numeric_rate = 1;  // a named numeric property checks every input
  config.max_printed = 1;
  g_target->engine = std::make_unique<Engine>(config, *g_target->backend, g_target->known,
                                              NumericSetup{}, g_target->log);
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
  CaseItem item;
  item.c = *c;
  item.source = "fuzz input of " + std::to_string(size) + " bytes";
  g_target->engine->JudgeOne(item);
  if (g_target->engine->summary().unexpected() == 0) return 0;
  std::fprintf(stderr, "%s", g_target->log.str().c_str());
  std::abort();
}
