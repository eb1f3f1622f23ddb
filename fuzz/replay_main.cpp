// The plain-executable mode of a fuzz target (FuzzTest's "regression mode"): runs every input
// of the given files or folders through LLVMFuzzerTestOneInput once. Built with any compiler,
// so the committed fuzz corpora are regression tests under gcc too. A finding aborts, exactly
// as under libFuzzer, and ctest reports the failure.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "case_io/text_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

std::vector<std::string> Inputs(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    if (fs::is_directory(argv[i], ec)) {
      for (const auto& e : fs::directory_iterator(argv[i], ec)) {
        if (e.is_regular_file(ec) && e.path().filename().string()[0] != '.') files.push_back(e.path().string());
      }
    } else {
      files.push_back(argv[i]);
    }
  }
  std::sort(files.begin(), files.end());  // deterministic order
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
    return 2;
  }
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  size_t count = 0, rejected = 0;
  for (const std::string& path : Inputs(argc, argv)) {
    std::string bytes, error;
    if (!convcheck::ReadTextFile(path, &bytes, &error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 2;
    }
    const int rc = LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    ++count;
    if (rc != 0) ++rejected;
  }
  std::printf("%s: replayed %zu inputs (%zu undecodable), no finding\n", argv[0], count, rejected);
  return 0;
}
