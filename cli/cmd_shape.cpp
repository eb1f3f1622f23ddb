// `convcheck shape CASE`: the oracle alone (no framework needed).
#include <iostream>

#include <nlohmann/json.hpp>

#include "case_io/case_json.h"
#include "case_io/pytorch_text.h"
#include "cli/case_arg.h"
#include "cli/command.h"
#include "cli/json_flag.h"
#include "oracles/explain.h"
#include "oracles/output_shape.h"

namespace convcheck::cli {
namespace {

struct ShapeArgs {
  CaseArg c;
  bool explain = false;
  JsonFlag json;
};

nlohmann::json ShapeJson(const ConvCase& c, const ShapeResult& r) {
  nlohmann::json j = {{"case", CaseToJson(c)}, {"valid", r.ok()}, {"pytorch", PyTorchModule(c)}};
  if (r.ok()) {
    j["output"] = r.shape();
  } else {
    j["rule"] = RuleName(r.violation().rule);
    j["message"] = r.violation().message;
  }
  return j;
}

int RunShape(const ShapeArgs& args) {
  const std::optional<ConvCase> c = ReadCaseArg(args.c, "shape");
  if (!c) return kUsage;
  const ShapeResult r = OutputShape(*c);
  if (args.json.Requested()) {
    if (!EmitJson(args.json, ShapeJson(*c, r), "shape")) return kUsage;
    if (args.json.ToStdout()) return r.ok() ? kOk : kFound;
  }
  if (args.explain) {
    for (const std::string& line : ExplainShape(*c)) std::cout << line << "\n";
  } else if (r.ok()) {
    std::cout << FormatDims(r.shape()) << "\n";
  } else {
    std::cout << "invalid: " << RuleName(r.violation().rule) << ": " << r.violation().message << "\n";
  }
  std::cout << "pytorch: " << PyTorchModule(*c) << "\n";
  return r.ok() ? kOk : kFound;
}

void Register(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ShapeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "shape",
      "Predict the output shape of one case (oracle only), or name the rule it breaks, and print\n"
      "the PyTorch module that runs it. The case is PyTorch text as written in a model (parsed,\n"
      "never run), or the case JSON. Exit 0 when valid, 1 when invalid, 2 on malformed input.\n"
      "Examples:\n"
      "  convcheck shape 'nn.ConvTranspose2d(256, 128, 3, stride=2, padding=1)' --input 1,256,12,12\n"
      "  convcheck shape '{\"op\":\"conv2d\",\"input\":[1,128,24,24],\"out_channels\":256,"
      "\"kernel\":3,\"stride\":2,\"padding\":1}' --explain");
  AddCaseArg(cmd, &args->c);
  cmd->add_flag("--explain", args->explain, "show the formula with the numbers substituted, per dim");
  AddJsonFlag(cmd, &args->json);
  cmd->callback([args, exit_code] { *exit_code = RunShape(*args); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
