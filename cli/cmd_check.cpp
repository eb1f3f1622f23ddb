// `convcheck check FILE.jsonl`: each case of a file through the engine, one verdict line per check.
#include <filesystem>
#include <iostream>
#include <sstream>

#include "case_io/case_json.h"
#include "case_io/pytorch_text.h"
#include "cli/case_arg.h"
#include "cli/backend_loop.h"
#include "cli/command.h"
#include "cli/engine_flags.h"
#include "cli/json_flag.h"
#include "engine/case_lines.h"
#include "engine/engine.h"
#include "engine/interrupt.h"
#include "engine/reproducer.h"
#include "engine/result_json.h"
#include "reports/atomic_file.h"

namespace convcheck::cli {
namespace {

struct CheckArgs {
  std::string file;
  std::string input;   // for PyTorch text
  std::string weight;
  JsonFlag json;
  EngineArgs engine;
};

void PrintText(const CaseItem& item, const CaseResult& r) {
  std::cout << item.source << ": " << VerdictName(r.verdict);
  if (r.xfail) std::cout << " (xfail " << *r.xfail << ")";
  std::cout << "  " << r.property << "  " << OpName(r.c.op) << "  oracle "
            << DescribeExpectation(r.expected) << "  backend " << DescribeOutcome(r.outcome) << "\n";
}

// Text lines on stdout unless the JSON lines go there; JSON lines for --json FILE collect in
// `json_lines` (written atomically once the run ends). `backend` tags each JSON line
// ("libtorch 1.13.1"), so several --backend runs stay apart.
void PrintResults(const std::vector<CaseItem>& items, const std::vector<CaseResults>& results,
                  const JsonFlag& json, const std::string& backend, std::string* json_lines) {
  for (size_t i = 0; i < items.size(); ++i) {
    for (const CaseResult& r : results[i]) {
      if (!json.ToStdout()) PrintText(items[i], r);
      if (!json.Requested()) continue;
      nlohmann::json j = CaseResultToJson(r);
      j["line"] = items[i].index;
      j["backend"] = backend;
      if (json.ToStdout()) std::cout << j.dump() << "\n";
      else *json_lines += j.dump() + "\n";
    }
  }
}

// Parses the file into items (engine/case_lines.h); malformed lines are reported and counted.
std::vector<CaseItem> ReadItems(const std::string& file, const std::string& text, int* malformed) {
  std::vector<std::string> errors;
  std::vector<CaseItem> items = ReadCaseLines(file, text, &errors);
  for (const std::string& e : errors) std::cerr << e << "\n";
  *malformed += static_cast<int>(errors.size());
  return items;
}

// One PyTorch layer given inline, as one item.
std::vector<CaseItem> ReadPyTorchItem(const CheckArgs& args, int* malformed) {
  const std::optional<ConvCase> c = ReadCaseArg({args.file, args.input, args.weight}, "check");
  if (!c) {
    ++*malformed;
    return {};
  }
  CaseItem item;
  item.c = *c;
  item.index = 1;
  item.source = "pytorch";
  return {item};
}

int RunCheck(CheckArgs& args) {
  std::string text, error;
  std::error_code ec;
  const bool pytorch = LooksLikePyTorch(args.file);
  if (!pytorch && args.file != "-" && std::filesystem::is_directory(args.file, ec)) {
    std::cerr << "convcheck check: " << args.file << ": is a folder; give a .jsonl file of cases (convcheck replay reads corpus folders)\n";
    return kUsage;
  }
  if ((!pytorch && !ReadInput(args.file, &text, &error)) || !FinishEngineArgs(&args.engine, &error)) {
    std::cerr << "convcheck check: " << error << "\n";
    return kUsage;
  }
  int malformed = 0;
  const std::vector<CaseItem> items =
      pytorch ? ReadPyTorchItem(args, &malformed) : ReadItems(args.file, text, &malformed);
  if (malformed > 0) return kUsage;
  if (items.empty()) {
    std::cerr << "convcheck check: " << args.file << ": no cases (expected one JSON case per line)\n";
    return kUsage;
  }
  InstallInterruptHandler();
  std::ostream& out = args.json.ToStdout() ? std::cerr : std::cout;
  std::string json_lines;
  int code = ForEachBackend(args.engine, "check", out,
                            [&](EngineArgs& engine_args, Backend& backend, Session& session, const NumericSetup& numeric) {
    Engine engine(engine_args.config, backend, session.known(), numeric, out);
    constexpr size_t kBatch = 256;
    for (size_t start = 0; start < items.size() && !InterruptRequested(); start += kBatch) {
      const std::vector<CaseItem> batch(items.begin() + start, items.begin() + std::min(items.size(), start + kBatch));
      PrintResults(batch, engine.JudgeBatch(batch), args.json, backend.Name() + " " + backend.Version(), &json_lines);
    }
    return session.Conclude(engine.Finish(InterruptRequested()), engine_args.config, backend);
  });
  if (args.json.Requested() && !args.json.ToStdout() &&
      !report::WriteFileAtomically(args.json.target, json_lines, &error)) {
    std::cerr << "convcheck check: --json: " << error << "\n";
    code = kUsage;
  }
  return code;
}

void Register(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "Run each case of a .jsonl file (one case per line; blank lines and # comments skipped)\n"
      "through the oracle, LibTorch (in isolated workers) and every property, and print one\n"
      "verdict per check. The summary, reports and exit codes are those of convcheck run:\n"
      "0 all agree (or are known deviations), 1 a divergence, 2 a malformed line, an empty file\n"
      "or a folder, 3 a requested check that never ran.\n"
      "Examples:\n"
      "  convcheck check 'nn.ConvTranspose1d(4, 4, 3, stride=2, output_padding=1)' --input 1,4,16\n"
      "  convcheck check 'nn.Conv2d(3, 8, 3, padding=\"same\")' --input 1,3,32,32 --json --no-save\n"
      "  echo '{\"op\":\"conv2d\",\"input\":[1,3,24,24],\"out_channels\":8,\"kernel\":3}' | convcheck check -");
  cmd->add_option("file", args->file, "cases, one JSON object per line ('-' for stdin), or one PyTorch layer "
                  "('nn.Conv2d(3, 8, 3)') with --input")->required();
  cmd->add_option("--input", args->input, "with a PyTorch layer: the input shape N,C,...");
  cmd->add_option("--weight", args->weight, "with F.conv*(x, w): the weight shape");
  AddJsonFlag(cmd, &args->json, "one JSON verdict per line (case, expectation, outcome, verdict)");
  cmd->add_flag("--no-shrink", args->engine.no_shrink, "(cases from a file have no shrink tree; accepted for symmetry with run)");
  AddEngineFlags(cmd, &args->engine);
  cmd->callback([args, exit_code] { *exit_code = RunCheck(*args); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
