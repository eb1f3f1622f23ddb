// Subcommands register themselves: each cli/cmd_*.cpp defines one REGISTER_COMMAND, so adding a
// command never edits main.cpp. The exit code convention is the same for every command:
// 0 success/conforming, 1 a divergence or an invalid case found, 2 a usage or input error,
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace convcheck::cli {

// 3: a requested property, the backend or the device executed no check (engine/run_summary.h).
enum ExitCode { kOk = 0, kFound = 1, kUsage = 2, kNothingChecked = 3 };

// A command adds its CLI11 subcommand; its callback returns the exit code through `exit_code`.
using Registrar = std::function<void(CLI::App& app, int* exit_code)>;

std::vector<Registrar>& Registry();

struct RegisterCommand {
  explicit RegisterCommand(Registrar r) { Registry().push_back(std::move(r)); }
};

// Reads a whole file ("-" = stdin). On failure returns false with a one-line error.
bool ReadInput(const std::string& path, std::string* text, std::string* error);

}  // namespace convcheck::cli

#define CONVCHECK_REGISTER_COMMAND(fn) \
  static const ::convcheck::cli::RegisterCommand convcheck_register_##fn(fn)
