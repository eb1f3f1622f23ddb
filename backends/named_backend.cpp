#include "backends/named_backend.h"

#include "backends/capable_backend.h"
#include "backends/plugin/plugin_loader.h"

#include <set>

namespace convcheck {

std::unique_ptr<Backend> MakeNamedBackend(const std::string& name) {
  const PluginV1* plugin = LoadPlugin(name, nullptr);
  if (!plugin) return nullptr;
  std::unique_ptr<Backend> inner(plugin->make_backend(1));
  if (!inner) return nullptr;
  return std::make_unique<CapableBackend>(std::move(inner), *plugin->capabilities);
}

std::unique_ptr<NumericBackend> MakeNamedNumericBackend(const std::string& name) {
  const PluginV1* plugin = LoadPlugin(name, nullptr);
  return plugin && plugin->make_numeric ? std::unique_ptr<NumericBackend>(plugin->make_numeric()) : nullptr;
}

std::optional<std::string> NamedBackendMissing(const std::string& name) {
  std::string listed;
  for (const std::string& installed : InstalledPlugins()) {
    if (installed == name) return std::nullopt;
    listed += (listed.empty() ? "" : ", ") + installed;
  }
  return "no backend installed for \"" + name + "\" (" + PluginPath(name) + " not found; installed: " +
         (listed.empty() ? "none" : listed) +
         (name == "libtorch" ? "; this convcheck was built without LibTorch?)" : "; this build may lack the framework's package)");
}

std::string PreloadNamedBackendPlugin(const std::string& name) {
  std::string error;
  const PluginV1* plugin = LoadPlugin(name, &error);
  if (!plugin) return error;
  // Once per plugin and process: the kernels it generates stay for every later fork.
  static std::set<const PluginV1*> warmed;
  if (plugin->warm_fork_parent && warmed.insert(plugin).second) plugin->warm_fork_parent();
  return "";
}

std::optional<BackendCapabilities> NamedBackendCapabilities(const std::string& name) {
  const PluginV1* plugin = LoadPlugin(name, nullptr);
  if (!plugin) return std::nullopt;
  return *plugin->capabilities;
}

}  // namespace convcheck
