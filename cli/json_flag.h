// `--json [FILE]`, one meaning in every answer command (shape, invert, solve, stack, convert):
// the answer as one JSON document on stdout, or written atomically to FILE. Flag parsing and
// output only; the documents are built by the command from library results.
#pragma once

#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json_fwd.hpp>

namespace convcheck::cli {

struct JsonFlag {
  std::string target;  // "" not asked, "-" stdout, else a file path
  bool Requested() const { return !target.empty(); }
  bool ToStdout() const { return target == "-"; }
};

// Adds --json (no value: stdout; --json FILE or --json=FILE: that file). `what` names the
// document in --help ("the answer").
void AddJsonFlag(CLI::App* cmd, JsonFlag* flag, const std::string& what = "the answer as JSON");

// Writes the document where the flag says; false after printing "convcheck <command>: ..." when
// the file cannot be written.
bool EmitJson(const JsonFlag& flag, const nlohmann::json& doc, const std::string& command);

// For the engine commands (run, replay), whose JSON document is the report: --json [FILE] is
// --report FILE, or the report on stdout. False with one line when both are given.
bool JsonAsReport(const JsonFlag& flag, std::string* report_path, std::string* error);

}  // namespace convcheck::cli
