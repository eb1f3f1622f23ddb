// `convcheck check FILE.jsonl`: each case through oracle and backend, one verdict per case.
#include <iostream>
#include <sstream>

#include "harness/cli/command.h"
#include "harness/cli/options.h"
#include "harness/known_deviations.h"
#include "harness/reproducer.h"
#include "harness/result_json.h"
#include "harness/runner.h"
#include "oracles/io/case_json.h"

namespace convcheck::cli {
namespace {

struct CheckArgs {
  std::string file;
  bool json = false;
  std::string corpus = DefaultCorpusDir();
};

void PrintText(int line, const CaseResult& r) {
  std::cout << "line " << line << ": " << VerdictName(r.verdict);
  if (r.xfail) std::cout << " (xfail " << *r.xfail << ")";
  std::cout << "  " << OpName(r.c.op) << "  oracle " << DescribeExpectation(r.expected)
            << "  backend " << DescribeOutcome(r.outcome) << "\n";
}

int RunCheck(const CheckArgs& args) {
  std::string text, error;
  if (!ReadInput(args.file, &text, &error)) {
    std::cerr << "convcheck check: " << error << "\n";
    return kUsage;
  }
  std::unique_ptr<Backend> backend = MakeDefaultBackend();
  if (!backend) {
    std::cerr << "convcheck check: built without LibTorch (CONVCHECK_WITH_TORCH=OFF): no backend\n";
    return kUsage;
  }
  KnownDeviations known;
  if (auto err = KnownDeviations::Load(args.corpus + "/known", backend->Name(), backend->Version(), &known)) {
    std::cerr << "convcheck check: " << *err << "\n";
    return kUsage;
  }
  std::istringstream lines(text);
  std::string line;
  int number = 0, malformed = 0, divergent = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[line.find_first_not_of(" \t")] == '#') continue;
    const CaseParseResult parsed = ParseCaseText(line);
    if (!parsed.ok()) {
      std::cerr << args.file << ":" << number << ": " << parsed.error << "\n";
      ++malformed;
      continue;
    }
    CaseResult r = CheckCase(*parsed.value, *backend, uint64_t{1} << 30);
    const bool failed = !IsAgreement(r.verdict) && r.verdict != Verdict::kSkipped;
    if (failed) {
      if (auto k = known.Match(r)) r.xfail = known.records()[*k].id;
      else ++divergent;
    }
    if (args.json) {
      nlohmann::json j = CaseResultToJson(r);
      j["line"] = number;
      std::cout << j.dump() << "\n";
    } else {
      PrintText(number, r);
    }
  }
  if (malformed > 0) return kUsage;
  return divergent > 0 ? kFound : kOk;
}

void Register(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "Run each case of a .jsonl file (one case per line; blank lines and # comments skipped)\n"
      "through the oracle and LibTorch and print one verdict per case.\n"
      "Exit 0 when all agree (or are known deviations), 1 on a divergence, 2 on a malformed line.\n"
      "Example: convcheck check corpus/seeds/worked_examples.jsonl --json");
  cmd->add_option("file", args->file, "cases, one JSON object per line ('-' for stdin)")->required();
  cmd->add_flag("--json", args->json, "one JSON verdict per line: case, expectation, outcome, verdict");
  cmd->add_option("--corpus", args->corpus, "corpus folder (known deviations in <corpus>/known)")->capture_default_str();
  cmd->callback([args, exit_code] { *exit_code = RunCheck(*args); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
