#include "cli/json_flag.h"

#include <iostream>

#include <nlohmann/json.hpp>

#include "reports/atomic_file.h"

namespace convcheck::cli {

void AddJsonFlag(CLI::App* cmd, JsonFlag* flag) {
  // expected(0, 1) with a default of "-": `--json` alone means stdout.
  cmd->add_option("--json", flag->target, "print the answer as JSON (to stdout, or --json=FILE to write FILE)")
      ->expected(0, 1)
      ->default_str("-");
}

bool EmitJson(const JsonFlag& flag, const nlohmann::json& doc, const std::string& command) {
  const std::string text = doc.dump(2) + "\n";
  std::string error;
  if (!report::WriteFileAtomically(flag.target, text, &error)) {
    std::cerr << "convcheck " << command << ": --json: " << error << "\n";
    return false;
  }
  return true;
}

}  // namespace convcheck::cli
