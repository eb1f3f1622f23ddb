// Runs the convcheck binary under test (CONVCHECK_CLI) through the shell, the way a user or a CI
// script would; header-only, for the tests of every folder.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace convcheck::testing {

// Runs `convcheck ARGS` in `dir` ("" = the current directory); returns its exit code (128 +
// signal when killed) with stdout and stderr together in `out`.
inline int RunCli(const std::string& args, std::string* out, const std::string& dir = "") {
  const std::string cd = dir.empty() ? "" : "cd '" + dir + "' && ";
  const std::string cmd = cd + std::string(CONVCHECK_CLI) + " " + args + " 2>&1";
  out->clear();
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), pipe)) *out += buf.data();
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace convcheck::testing
