// The default backend, from its plugin: the core links no framework (ARCHITECTURE.md), so
// these load libconvcheck_libtorch.so on first use, in whichever process calls them. Backends
// are created in the workers for isolated runs, in the parent only for --no-isolation and the
// numeric properties.
#include "backends/backend.h"
#include "backends/numeric_backend.h"
#include "backends/plugin/plugin_loader.h"

namespace convcheck {

const char kDefaultBackendPlugin[] = "libtorch";

std::unique_ptr<Backend> MakeDefaultBackend() {
  const PluginV1* plugin = LoadPlugin(kDefaultBackendPlugin, nullptr);
  return plugin ? std::unique_ptr<Backend>(plugin->make_backend(1)) : nullptr;
}

std::unique_ptr<NumericBackend> MakeDefaultNumericBackend() {
  const PluginV1* plugin = LoadPlugin(kDefaultBackendPlugin, nullptr);
  return plugin ? std::unique_ptr<NumericBackend>(plugin->make_numeric()) : nullptr;
}

std::optional<std::string> DefaultBackendMissing() {
  const std::vector<std::string> installed = InstalledPlugins();
  for (const std::string& name : installed) {
    if (name == kDefaultBackendPlugin) return std::nullopt;
  }
  return std::string("no backend installed (") + PluginPath(kDefaultBackendPlugin) +
         " not found; this convcheck was built without LibTorch?)";
}

}  // namespace convcheck
