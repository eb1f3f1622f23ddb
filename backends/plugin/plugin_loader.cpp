#include "backends/plugin/plugin_loader.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>

#include "backends/plugin/executable_dir.h"

namespace convcheck {
namespace fs = std::filesystem;
namespace {

const char kPrefix[] = "libconvcheck_";
const char kSuffix[] = ".so";

struct LoadResult {
  const PluginV1* plugin = nullptr;
  std::string error;
};

LoadResult Open(const std::string& name) {
  const std::string path = PluginPath(name);
  std::error_code ec;
  if (!fs::exists(path, ec)) return {nullptr, "not installed: " + path + " does not exist"};
  // RTLD_LOCAL: the framework's symbols stay out of the global namespace, so a second plugin
  // bundling another copy of a shared dependency (protobuf, oneDNN) cannot collide with it.
  void* handle = dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL);
  if (!handle) return {nullptr, std::string("cannot load ") + path + ": " + dlerror()};
  using Entry = const PluginV1* (*)();
  auto entry = reinterpret_cast<Entry>(dlsym(handle, CONVCHECK_PLUGIN_ENTRY));
  if (!entry) return {nullptr, path + ": no " CONVCHECK_PLUGIN_ENTRY " symbol (not a convcheck plugin)"};
  const PluginV1* p = entry();
  if (!p || p->abi_version != kPluginAbiVersion) {
    return {nullptr, path + ": plugin ABI " + std::to_string(p ? p->abi_version : -1) +
                         ", this convcheck needs " + std::to_string(kPluginAbiVersion)};
  }
  if (std::string(p->build_id) != CONVCHECK_PLUGIN_BUILD_ID) {
    return {nullptr, path + ": built by \"" + p->build_id + "\", this convcheck by \"" +
                         CONVCHECK_PLUGIN_BUILD_ID + "\" (rebuild the plugin with the core)"};
  }
  return {p, ""};
}

}  // namespace

std::string PluginDir() {
  if (const char* dir = std::getenv("CONVCHECK_PLUGIN_DIR"); dir && *dir) return dir;
  const std::string exe_dir = ExecutableDir();
  if (exe_dir.empty()) return "";
  return (fs::path(exe_dir) / ".." / "lib" / "convcheck").lexically_normal().string();
}

std::string PluginPath(const std::string& name) {
  return (fs::path(PluginDir()) / (kPrefix + name + kSuffix)).string();
}

std::vector<std::string> InstalledPlugins() {
  std::vector<std::string> names;
  std::error_code ec;
  const std::string dir = PluginDir();
  if (dir.empty()) return names;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const std::string file = e.path().filename().string();
    const size_t p = sizeof(kPrefix) - 1, s = sizeof(kSuffix) - 1;
    if (file.size() > p + s && file.compare(0, p, kPrefix) == 0 &&
        file.compare(file.size() - s, s, kSuffix) == 0) {
      names.push_back(file.substr(p, file.size() - p - s));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

const PluginV1* LoadPlugin(const std::string& name, std::string* error) {
  // One attempt per name and process: a failed dlopen is not retried on every case.
  static std::mutex mutex;
  static std::map<std::string, LoadResult> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = loaded.find(name);
  if (it == loaded.end()) it = loaded.emplace(name, Open(name)).first;
  if (!it->second.plugin && error) *error = it->second.error;
  return it->second.plugin;
}

}  // namespace convcheck
