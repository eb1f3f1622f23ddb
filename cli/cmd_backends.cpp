// `convcheck backends`: the backend plugins installed next to this binary, each loaded to show
// its framework version, devices and what it can run, or the reason it cannot load (dlerror's line).
#include <iostream>
#include <memory>

#include "backends/backend.h"
#include "backends/capabilities.h"
#include "backends/plugin/plugin_loader.h"
#include "cli/command.h"

namespace convcheck::cli {
namespace {

// One line for plugin `name`; false when it cannot be loaded.
bool Describe(const std::string& name, std::ostream& out) {
  std::string error;
  const PluginV1* plugin = LoadPlugin(name, &error);
  if (!plugin) {
    out << name << ": cannot load: " << error << "\n";
    return false;
  }
  const std::unique_ptr<Backend> backend(plugin->make_backend(1));
  out << name << " " << backend->Version() << ": devices";
  for (Device d : backend->Devices()) out << " " << DeviceName(d);
  out << (plugin->run_sanity ? "; sanity checks" : "") << "; " << PluginPath(name) << "\n";
  out << "  runs: " << DescribeCapabilities(*plugin->capabilities) << "\n";
  return true;
}

int RunBackends() {
  const std::vector<std::string> names = InstalledPlugins();
  if (names.empty()) {
    std::cout << "no backends installed in " << PluginDir()
              << " (built without LibTorch: run, check, replay, fuzz and sanity need one)\n";
    return kOk;
  }
  bool all = true;
  for (const std::string& name : names) all = Describe(name, std::cout) && all;
  return all ? kOk : kUsage;
}

void Register(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "backends",
      "List the backend plugins installed (<exe>/../lib/convcheck/libconvcheck_*.so, or\n"
      "$CONVCHECK_PLUGIN_DIR) with framework version and devices, or why one cannot load.\n"
      "Exit 0 when every installed plugin loads, 2 when one cannot.");
  cmd->callback([exit_code] { *exit_code = RunBackends(); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
