// `convcheck shape CASE.json|-`: the oracle alone (no framework needed).
#include <iostream>

#include "cli/command.h"
#include "oracles/explain.h"
#include "case_io/case_json.h"
#include "oracles/output_shape.h"

namespace convcheck::cli {
namespace {

struct ShapeArgs {
  std::string input;
  bool explain = false;
};

int RunShape(const ShapeArgs& args) {
  std::string text, error;
  const bool inline_json = !args.input.empty() && args.input.front() == '{';
  if (inline_json) text = args.input;
  else if (!ReadInput(args.input, &text, &error)) {
    std::cerr << "convcheck shape: " << error << "\n";
    return kUsage;
  }
  const CaseParseResult parsed = ParseCaseText(text);
  if (!parsed.ok()) {
    std::cerr << "convcheck shape: " << (inline_json ? "" : args.input + ": ") << parsed.error << "\n";
    return kUsage;
  }
  if (args.explain) {
    for (const std::string& line : ExplainShape(*parsed.value)) std::cout << line << "\n";
  }
  const ShapeResult r = OutputShape(*parsed.value);
  if (!args.explain) {
    if (r.ok()) std::cout << FormatDims(r.shape()) << "\n";
    else std::cout << "invalid: " << RuleName(r.violation().rule) << ": " << r.violation().message << "\n";
  }
  return r.ok() ? kOk : kFound;
}

void Register(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ShapeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "shape",
      "Predict the output shape of one case (oracle only), or name the rule it breaks.\n"
      "Exit 0 when valid, 1 when invalid, 2 on malformed input.\n"
      "Example:\n"
      "  convcheck shape '{\"op\":\"conv2d\",\"input\":[1,128,24,24],\"out_channels\":256,"
      "\"kernel\":3,\"stride\":2,\"padding\":1}' --explain");
  cmd->add_option("case", args->input, "case JSON file, '-' for stdin, or inline JSON")->required();
  cmd->add_flag("--explain", args->explain, "show the formula with the numbers substituted, per dim");
  cmd->callback([args, exit_code] { *exit_code = RunShape(*args); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
