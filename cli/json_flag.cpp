#include "cli/json_flag.h"

#include <iostream>

#include <nlohmann/json.hpp>

#include "reports/atomic_file.h"

namespace convcheck::cli {

void AddJsonFlag(CLI::App* cmd, JsonFlag* flag, const std::string& what) {
  // expected(0, 1) with a default of "-": `--json` alone means stdout.
  cmd->add_option("--json", flag->target, "print " + what + " (to stdout, or --json=FILE to write FILE)")
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

bool JsonAsReport(const JsonFlag& flag, std::string* report_path, std::string* error) {
  if (!flag.Requested()) return true;
  if (!report_path->empty()) {
    *error = "--json and --report both name the report JSON; give one";
    return false;
  }
  *report_path = flag.target;
  return true;
}

}  // namespace convcheck::cli
