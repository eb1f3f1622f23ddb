// Finding and loading backend plugins. Plugins live in <exe>/../lib/convcheck/ — the same
// relative place in the build tree and in an install tree — as libconvcheck_<name>.so.
// CONVCHECK_PLUGIN_DIR overrides the folder (tests of a relocated install, packagers).
#pragma once

#include <string>
#include <vector>

#include "backends/plugin/plugin_abi.h"

namespace convcheck {

// The folder plugins are looked up in ("" when /proc/self/exe is unreadable and no override).
std::string PluginDir();

// "<PluginDir()>/libconvcheck_<name>.so".
std::string PluginPath(const std::string& name);

// Names of the plugins present in PluginDir() ("libtorch" for libconvcheck_libtorch.so), sorted.
// Only looks at file names: loads nothing.
std::vector<std::string> InstalledPlugins();

// Loads plugin `name` (dlopen once per process; never unloaded, frameworks do not support it)
// and checks its ABI version and build id. nullptr with one line in `error` (dlerror's text,
// "not installed: <path>", or the mismatch) when it cannot be used.
const PluginV1* LoadPlugin(const std::string& name, std::string* error);

}  // namespace convcheck
