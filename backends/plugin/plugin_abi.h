// The one symbol a backend plugin exports (ARCHITECTURE.md: backends are plugins). The core
// binary links no framework; it dlopens libconvcheck_<name>.so when a command needs a backend
// and asks this table for the objects. C++ types cross the boundary, so a plugin must come from
// the same build as the core: `build_id` (compiler version + convcheck version) is compared
// before anything else is used, and a mismatch is a load error, never a crash.
#pragma once

#include <string>

namespace convcheck {
class Backend;
class NumericBackend;
struct BackendCapabilities;
namespace sanity {
struct SanityConfig;
struct SanityReport;
}  // namespace sanity

// Bumped whenever this struct or an interface it hands out (Backend, NumericBackend) changes.
// 3: plugin capabilities (2) and BackendOutcome::peak_bytes (also 2, on a parallel branch).
// 4: Backend::RunPaddedBatch and BackendOutcome::error_type (two branches, one bump).
// 5: CaseData::running_mean and running_var (batch_norm's values).
// 6: warm_fork_parent.
inline constexpr int kPluginAbiVersion = 6;

// Compiler and convcheck version; identical in a core and a plugin built together.
#define CONVCHECK_PLUGIN_BUILD_ID "convcheck 0.1.0 / " __VERSION__

struct PluginV1 {
  int abi_version;        // kPluginAbiVersion when the plugin was built
  const char* build_id;   // CONVCHECK_PLUGIN_BUILD_ID when the plugin was built
  const char* name;       // "libtorch"
  const char* version;    // the framework's version ("1.13.1")
  // A shape backend with `threads` intra-op threads; never nullptr.
  Backend* (*make_backend)(int threads);
  // The numeric backend; nullptr when the framework gives shapes only (then the numeric
  // properties skip, with that reason).
  NumericBackend* (*make_numeric)();
  // `convcheck sanity` (sanity/sanity.h RunSanity); nullptr when the plugin has none.
  bool (*run_sanity)(const sanity::SanityConfig& config, sanity::SanityReport* report,
                     std::string* error);
  // Appended in ABI 2 (frameworks beyond LibTorch): what the backend can express; never nullptr.
  const BackendCapabilities* capabilities;
  // Appended in ABI 6: work every forked worker would otherwise repeat, done once in the
  // process the workers are forked from, before the first fork. It must run no framework op
  // and leave no thread behind (the parent stays framework-free in every other respect).
  // Returns whether it did anything; nullptr when the plugin has nothing to warm.
  bool (*warm_fork_parent)();
};

}  // namespace convcheck

// The plugin's entry point, found with dlsym.
#define CONVCHECK_PLUGIN_ENTRY "convcheck_plugin_v1"
extern "C" const convcheck::PluginV1* convcheck_plugin_v1();
