// Backends are plugins: the core binary links no framework, finds libconvcheck_<name>.so
// relative to itself, and turns every way a plugin can fail to load into one line.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "backends/backend.h"
#include "backends/numeric_backend.h"
#include "backends/plugin/plugin_loader.h"
#include "tests/support/run_cli.h"

namespace convcheck {
namespace {

namespace fs = std::filesystem;

// Points CONVCHECK_PLUGIN_DIR at a fresh folder for one test.
class PluginDirOverride {
 public:
  explicit PluginDirOverride(const std::string& name)
      : dir_(fs::temp_directory_path() / ("convcheck-plugins-" + name + "-" + std::to_string(getpid()))) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    setenv("CONVCHECK_PLUGIN_DIR", dir_.c_str(), 1);
  }
  ~PluginDirOverride() {
    unsetenv("CONVCHECK_PLUGIN_DIR");
    fs::remove_all(dir_);
  }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

TEST(PluginLoader, LooksNextToTheExecutableInLibConvcheck) {
  EXPECT_EQ(fs::path(PluginDir()).filename(), "convcheck");
  EXPECT_EQ(fs::path(PluginDir()).parent_path().filename(), "lib");
  EXPECT_EQ(fs::path(PluginPath("libtorch")).filename(), "libconvcheck_libtorch.so");
}

TEST(PluginLoader, AMissingPluginIsNotInstalledWithItsPath) {
  PluginDirOverride empty("missing");
  EXPECT_TRUE(InstalledPlugins().empty());
  std::string error;
  EXPECT_EQ(LoadPlugin("nosuchframework", &error), nullptr);
  EXPECT_NE(error.find("not installed"), std::string::npos) << error;
  EXPECT_NE(error.find("libconvcheck_nosuchframework.so"), std::string::npos) << error;
}

TEST(PluginLoader, AFileThatIsNotALibraryGivesDlerrorsLine) {
  PluginDirOverride dir("garbage");
  std::ofstream(dir.dir() / "libconvcheck_garbage.so") << "not an ELF file";
  EXPECT_EQ(InstalledPlugins(), std::vector<std::string>{"garbage"});
  std::string error;
  EXPECT_EQ(LoadPlugin("garbage", &error), nullptr);
  EXPECT_NE(error.find("cannot load"), std::string::npos) << error;
}

TEST(PluginLoader, TheCoreBinaryLinksNoFramework) {
  std::string out;
  FILE* pipe = popen(("ldd " + std::string(CONVCHECK_CLI) + " 2>&1").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buf[4096];
  while (fgets(buf, sizeof buf, pipe)) out += buf;
  ASSERT_EQ(pclose(pipe), 0) << out;
  EXPECT_EQ(out.find("libtorch"), std::string::npos) << out;
  EXPECT_EQ(out.find("libc10"), std::string::npos) << out;
}

#ifdef CONVCHECK_HAVE_TORCH
TEST(PluginLoader, TheLibTorchPluginLoadsAndHandsOutBothBackends) {
  std::string error;
  const PluginV1* plugin = LoadPlugin("libtorch", &error);
  ASSERT_NE(plugin, nullptr) << error;
  EXPECT_EQ(std::string(plugin->name), "libtorch");
  const std::unique_ptr<Backend> backend(plugin->make_backend(1));
  EXPECT_EQ(backend->Name(), "libtorch");
  EXPECT_EQ(backend->Version(), plugin->version);
  EXPECT_NE(std::unique_ptr<NumericBackend>(plugin->make_numeric()), nullptr);
  EXPECT_EQ(DefaultBackendMissing(), std::nullopt);
}

// Threads of this process, from /proc/self/task.
int ThreadCount() {
  return static_cast<int>(std::distance(fs::directory_iterator("/proc/self/task"), fs::directory_iterator()));
}

// The parent forks every worker, so warming it must leave no thread (a forked child would
// inherit a pool without its threads) and OpenMP's thread count as it was. It warms exactly
// when LibTorch loaded a shared libdnnl (Debian's; a pip wheel links oneDNN in, hidden).
TEST(PluginLoader, TheLibTorchPluginWarmsOneDnnInTheForkParentWithoutStartingAThread) {
  std::string error;
  const PluginV1* plugin = LoadPlugin("libtorch", &error);
  ASSERT_NE(plugin, nullptr) << error;
  ASSERT_NE(plugin->warm_fork_parent, nullptr);
  void* dnnl = dlopen("libdnnl.so.2", RTLD_LAZY | RTLD_NOLOAD);
  void* gomp = dlopen("libgomp.so.1", RTLD_LAZY | RTLD_NOLOAD);
  const auto max_threads = gomp ? reinterpret_cast<int (*)()>(dlsym(gomp, "omp_get_max_threads")) : nullptr;
  const int omp_before = max_threads ? max_threads() : -1;
  const int threads_before = ThreadCount();
  EXPECT_EQ(plugin->warm_fork_parent(), dnnl != nullptr && max_threads != nullptr);
  EXPECT_EQ(ThreadCount(), threads_before);
  if (max_threads) {
    EXPECT_EQ(max_threads(), omp_before);
  }
  if (!dnnl) std::cout << "no shared libdnnl.so.2 in this LibTorch: nothing to warm\n";
  if (dnnl) dlclose(dnnl);
  if (gomp) dlclose(gomp);
}

TEST(PluginLoader, BackendsCommandListsLibTorchWithVersionAndDevices) {
  std::string out;
  EXPECT_EQ(testing::RunCli("backends", &out), 0) << out;
  EXPECT_NE(out.find("libtorch 1."), std::string::npos) << out;
  EXPECT_NE(out.find("devices cpu"), std::string::npos) << out;
}
#else
TEST(PluginLoader, WithoutAPluginBackendCommandsSaySoInOneLineAndExit2) {
  std::string out;
  EXPECT_EQ(testing::RunCli("run --cases 1 --progress off --no-save", &out), 2) << out;
  EXPECT_NE(out.find("no backend installed"), std::string::npos) << out;
  EXPECT_EQ(testing::RunCli("backends", &out), 0) << out;
#if defined(CONVCHECK_HAVE_ONNX) || defined(CONVCHECK_HAVE_OPENCV)
  // The ONNX-based plugins need no LibTorch: they are listed, libtorch is not.
  EXPECT_EQ(out.find("libtorch"), std::string::npos) << out;
  EXPECT_NE(out.find("onnx 1."), std::string::npos) << out;
#else
  EXPECT_NE(out.find("no backends installed"), std::string::npos) << out;
#endif
}
#endif

}  // namespace
}  // namespace convcheck
