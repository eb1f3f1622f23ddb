// convcheck: property-based conformance testing of convolution shape arithmetic.
#include <charconv>
#include <cstdint>
#include <iostream>
#include <sstream>

#include "case_io/text_file.h"
#include "cli/command.h"
#include "cli/exit_now.h"
#include "cli/options.h"

namespace convcheck::cli {

std::vector<Registrar>& Registry() {
  static std::vector<Registrar> registry;
  return registry;
}

bool ReadInput(const std::string& path, std::string* text, std::string* error) {
  return ReadTextFile(path, text, error);
}

namespace {

// The command a failure belongs to, for the one line the user sees ("convcheck report merge: ...").
std::string CommandName(CLI::App& app, int argc, char** argv) {
  std::string name;
  for (CLI::App* at = &app; !at->get_subcommands().empty();) {
    at = at->get_subcommands().front();
    name += (name.empty() ? "" : " ") + at->get_name();
  }
  if (!name.empty()) return name;
  return argc > 1 && argv[1][0] != '-' ? argv[1] : "";
}

// Every command's last line of defence: whatever escaped it (std::filesystem_error from a
// symlink loop, std::bad_alloc under a memory limit, c10::Error from LibTorch) becomes one line
// and exit 2, never `terminate called` and a core dump.
int Refuse(CLI::App& app, int argc, char** argv, const std::string& why) {
  std::string line = why.substr(0, why.find('\n'));
  if (line.size() > 500) line = line.substr(0, 500) + "...";
  const std::string command = CommandName(app, argc, argv);
  std::cerr << "convcheck" << (command.empty() ? "" : " " + command) << ": " << line << "\n";
  return kUsage;
}

// CLI11 converts integers with strtoll/strtoull and ignores ERANGE, so 99999999999999999999
// silently became 2^63−1 and -5 a huge unsigned. Every integer option, of every command, gets a
// check that refuses a value its type cannot hold instead.
void RefuseOutOfRangeIntegers(CLI::App* app) {
  for (CLI::Option* opt : app->get_options()) {
    const std::string type = opt->get_type_name();
    if (type != "INT" && type != "UINT") continue;
    const bool is_unsigned = type == "UINT";
    opt->check(CLI::Validator(
        [is_unsigned](std::string& text) -> std::string {
          const char* first = text.data() + (!text.empty() && text[0] == '+');
          const char* last = text.data() + text.size();
          std::errc ec;
          if (is_unsigned) {
            if (!text.empty() && text[0] == '-') return "expected a non-negative integer, got " + text;
            uint64_t v = 0;
            ec = std::from_chars(first, last, v).ec;
          } else {
            int64_t v = 0;
            ec = std::from_chars(first, last, v).ec;
          }
          if (ec == std::errc::result_out_of_range) {
            return text + " does not fit in " + (is_unsigned ? "uint64" : "int64");
          }
          return "";  // anything else is CLI11's to convert or refuse
        },
        "", "integer range"));
  }
  for (CLI::App* sub : app->get_subcommands([](CLI::App*) { return true; })) RefuseOutOfRangeIntegers(sub);
}

}  // namespace

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
  convcheck::cli::RefuseOutOfRangeIntegers(&app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, like every other input error (CLI11's own format adds a "Run with --help" line).
    return convcheck::cli::Refuse(app, argc, argv, std::string(e.what()) + " (see --help)");
  } catch (const std::bad_alloc&) {
    return convcheck::cli::Refuse(app, argc, argv, "out of memory (input too large for the memory limit)");
  } catch (const std::exception& e) {
    return convcheck::cli::Refuse(app, argc, argv, e.what());
  } catch (...) {
    return convcheck::cli::Refuse(app, argc, argv, "unexpected error of unknown type");
  }
  convcheck::cli::ExitNow(exit_code);
}
