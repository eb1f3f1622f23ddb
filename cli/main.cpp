// convcheck: property-based conformance testing of convolution shape arithmetic.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "cli/options.h"

namespace convcheck::cli {

std::vector<Registrar>& Registry() {
  static std::vector<Registrar> registry;
  return registry;
}

bool ReadInput(const std::string& path, std::string* text, std::string* error) {
  std::ostringstream buf;
  if (path == "-") {
    buf << std::cin.rdbuf();
  } else {
    std::ifstream in(path);
    if (!in) {
      *error = path + ": cannot open file";
      return false;
    }
    buf << in.rdbuf();
  }
  *text = buf.str();
  return true;
}

}  // namespace convcheck::cli

int main(int argc, char** argv) {
  CLI::App app{
      "convcheck: checks convolution shape arithmetic (output shapes, validity rules,\n"
      "invertibility) against an analytic oracle and against LibTorch.\n"
      "Exit codes: 0 conforming, 1 divergence/invalid case found, 2 usage or input error."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "convcheck 0.1.0");
  int exit_code = convcheck::cli::kOk;
  for (const auto& reg : convcheck::cli::Registry()) reg(app, &exit_code);
  if (const auto unknown = convcheck::cli::UnknownCommand(app, argc, argv)) {
    std::cerr << "convcheck: " << *unknown << "\n";
    return convcheck::cli::kUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return convcheck::cli::kUsage;
  }
  return exit_code;
}
