// The one case argument of shape, invert and check: a case JSON file, '-' for stdin, inline
// JSON, or PyTorch text (`nn.Conv2d(3, 8, 3)`, `F.conv2d(x, w)`), with --input and --weight for
// what the text cannot say. Flag parsing only; the parsers live in case_io/.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "oracles/conv_case.h"

namespace convcheck::cli {

struct CaseArg {
  std::string value;
  std::string input;   // "1,256,12,12"
  std::string weight;  // "128,256,3,3", for F.conv*(x, w) with a variable w
};

// Adds the positional `case` argument and --input / --weight to `cmd`.
void AddCaseArg(CLI::App* cmd, CaseArg* arg);

// The case, or nullopt after printing one line "convcheck <command>: <why>" to stderr. --input
// also replaces the input of a JSON case.
std::optional<ConvCase> ReadCaseArg(const CaseArg& arg, const std::string& command);

// "1,256,12,12" as dims; false when an entry is not a non-negative integer or the list is empty.
bool ParseDimsFlag(const std::string& text, Dims* out);

}  // namespace convcheck::cli
