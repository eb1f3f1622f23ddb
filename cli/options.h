// Parsing of the list-valued flags shared by several commands (--ops, --dtype, --device).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "oracles/conv_case.h"

namespace convcheck::cli {

// "conv2d,conv_transpose2d" or "all"; false with an error naming the bad entry.
bool ParseOpList(const std::string& text, std::vector<Op>* out, std::string* error);
// "float32,bfloat16"
bool ParseDTypeList(const std::string& text, std::vector<DType>* out, std::string* error);

// An integer flag's lower bound, said plainly ("--cases: must be at least 1, got 0"), instead of
// CLI11's PositiveNumber, whose message prints the double range (a 300-digit bound).
CLI::Validator AtLeast(int64_t min);
// A number (integer or not) flag that must be > 0.
CLI::Validator Positive();

// For `convcheck bogus`: the unknown command named, with the list of commands; nullopt when the
// first argument is a known command or a flag.
std::optional<std::string> UnknownCommand(const CLI::App& app, int argc, char** argv);

}  // namespace convcheck::cli
