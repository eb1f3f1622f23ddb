// Every `Example:` in every `--help` runs as written from the repository root: exit 0 or 1
// (an answer), never 2 (the example itself is wrong) or a signal. Commands that need LibTorch
// say so in a build without it; those examples are reported as not run, by name.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/run_cli.h"

namespace convcheck {
namespace {

const char* const kCommands[] = {"shape",  "invert",       "solve",       "stack",        "convert",
                                 "check",  "run",          "replay",      "fuzz",         "sanity",
                                 "report merge", "report diff", "report render", "report trend",
                                 "report scoreboard"};

// The example lines of a help text: "Example: X" on one line, or indented lines after
// "Examples:"; a trailing backslash continues a line.
std::vector<std::string> Examples(const std::string& help) {
  std::vector<std::string> out;
  std::istringstream lines(help);
  bool in_block = false;
  for (std::string line; std::getline(lines, line);) {
    const size_t at = line.find("Example");
    if (at != std::string::npos) {
      in_block = true;
      const size_t colon = line.find(':', at);
      line = colon == std::string::npos ? "" : line.substr(colon + 1);
    } else if (!in_block || line.empty() || line[0] != ' ') {
      in_block = false;
      continue;
    }
    const size_t first = line.find_first_not_of(' ');
    if (first == std::string::npos) continue;
    line = line.substr(first);
    if (!out.empty() && !out.back().empty() && out.back().back() == '\\') {
      out.back().pop_back();
      out.back() += line;
    } else if (line.find("convcheck ") != std::string::npos) {
      out.push_back(line);
    }
  }
  return out;
}

// The example with every `convcheck ` word replaced by the binary under test.
std::string WithBinary(const std::string& example) {
  std::string out;
  for (size_t i = 0; i < example.size();) {
    const bool word_start = i == 0 || example[i - 1] == ' ';
    if (word_start && example.compare(i, 10, "convcheck ") == 0) {
      out += std::string(CONVCHECK_CLI) + " ";
      i += 10;
    } else {
      out += example[i++];
    }
  }
  return out;
}

int RunInSourceDir(const std::string& command, std::string* output) {
  const std::string full = "cd '" CONVCHECK_SOURCE_DIR "' && { " + command + "; } 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> buf{};
  output->clear();
  while (fgets(buf.data(), buf.size(), pipe)) *output += buf.data();
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(HelpExamples, EveryExampleRunsAsWrittenFromTheRepositoryRoot) {
  int ran = 0;
  for (const char* command : kCommands) {
    std::string help;
    const int help_code = testing::RunCli(std::string(command) + " --help", &help);
    if (help_code == 2 && help.find("unknown command") != std::string::npos) {
      std::cout << "not in this build: convcheck " << command << "\n";  // sanity needs LibTorch
      continue;
    }
    ASSERT_EQ(help_code, 0) << command << ":\n" << help;
    for (const std::string& example : Examples(help)) {
      std::string output;
      const int code = RunInSourceDir(WithBinary(example), &output);
#ifndef CONVCHECK_HAVE_TORCH
      // Only a build without LibTorch may skip these; with it, a missing plugin is a failure.
      if (code == 2 && output.find("LibTorch") != std::string::npos) {
        std::cout << "not run here (needs LibTorch): " << example << "\n";
        continue;
      }
#endif
      if (code == 2 && output.find("is not built (configure with CC=clang-14") != std::string::npos) {
        std::cout << "not run here (needs the libFuzzer build): " << example << "\n";
        continue;
      }
      ++ran;
      EXPECT_TRUE(code == 0 || code == 1) << "exit " << code << ": " << example << "\n" << output;
    }
  }
  EXPECT_GE(ran, 10) << "the examples of shape, invert, solve, stack, convert and report must run in every build";
}

// A command added later (or a command's examples) cannot escape the runner above: every
// command the top-level --help lists is in kCommands (report's subcommands are listed there).
TEST(HelpExamples, EveryCommandOfTheTopLevelHelpIsRun) {
  std::string help;
  ASSERT_EQ(testing::RunCli("--help", &help), 0) << help;
  std::istringstream lines(help);
  bool in_commands = false;
  int listed = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("Subcommands:", 0) == 0) {
      in_commands = true;
      continue;
    }
    if (!in_commands || line.size() < 3 || line[0] != ' ' || line[2] == ' ') continue;
    const std::string name = line.substr(2, line.find(' ', 2) - 2);
    ++listed;
    if (name == "backends") continue;  // no example: it lists what is installed
    bool covered = false;
    for (const char* c : kCommands) covered = covered || std::string(c).rfind(name, 0) == 0;
    EXPECT_TRUE(covered) << "convcheck " << name << " is not in kCommands: its --help examples never run";
  }
  EXPECT_GE(listed, 12) << help;
}

TEST(HelpExamples, ExtractsOneLineAndBlockExamples) {
  EXPECT_EQ(Examples("Run it.\nExample: convcheck run --cases 3\nUsage: x\n"),
            std::vector<std::string>{"convcheck run --cases 3"});
  EXPECT_EQ(Examples("Examples:\n  convcheck a \\\n     --b\n  echo x | convcheck c -\n\nOptions:\n  --x\n"),
            (std::vector<std::string>{"convcheck a --b", "echo x | convcheck c -"}));
}

}  // namespace
}  // namespace convcheck
