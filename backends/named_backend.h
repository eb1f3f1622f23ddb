// Backends by plugin name (`--backend libtorch,onnx`): the same calls as backends/backend.h's
// default-backend functions, for any installed plugin libconvcheck_<name>.so.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "backends/backend.h"
#include "backends/capabilities.h"
#include "backends/numeric_backend.h"

namespace convcheck {

// The plugin's shape backend created in this process, wrapped in CapableBackend so cases it
// cannot express are skips with the reason; nullptr when the plugin cannot load.
std::unique_ptr<Backend> MakeNamedBackend(const std::string& name);

// The plugin's numeric backend; nullptr when it cannot load or gives shapes only.
std::unique_ptr<NumericBackend> MakeNamedNumericBackend(const std::string& name);

// Why plugin `name` is not installed, from the plugin folder's listing alone (loads nothing);
// nullopt when it is.
std::optional<std::string> NamedBackendMissing(const std::string& name);

// Prepares this process to fork the plugin's workers: loads plugin `name` (no backend created,
// no framework op run) and lets it do once what each worker would otherwise repeat
// (PluginV1::warm_fork_parent). Forked workers inherit the loaded library, so a worker (and each
// respawn after a crash) starts in a fork instead of a 0.5-2.5 s dlopen of LibTorch's ~280
// libraries. Returns why it failed, "" when loaded.
std::string PreloadNamedBackendPlugin(const std::string& name);

// The plugin's declared capabilities (loads it); nullopt when it cannot load.
std::optional<BackendCapabilities> NamedBackendCapabilities(const std::string& name);

}  // namespace convcheck
