#include "backends/plugin/executable_dir.h"

#include <filesystem>

namespace convcheck {

std::string ExecutableDir() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "" : exe.parent_path().string();
}

}  // namespace convcheck
