// `convcheck run`: the conformance run (random cases through oracle and backend).
#include <chrono>
#include <cstdlib>
#include <iostream>

#include "harness/cli/command.h"
#include "harness/cli/options.h"
#include "harness/corpus.h"
#include "harness/isolation/cli_flags.h"
#include "harness/interrupt.h"
#include "harness/runner.h"
#include "harness/progress.h"
#include "harness/run_report.h"
#include "reports/outputs.h"

namespace convcheck::cli {
namespace {

struct RunArgs {
  RunConfig config;
  std::string ops = "all";
  std::string dtypes = "float32,float64,bfloat16";
  std::string device = "cpu";
  std::string corpus = DefaultCorpusDir();
  bool no_shrink = false;
  report::OutputPaths outputs;     // --report, --junit, --markdown, --html (issue #6)
  std::string shard;               // --shard i/N, or N with i from JOB_COMPLETION_INDEX
  std::string progress = "auto";   // --progress
  double progress_interval = 10;   // --progress-interval
  IsolationArgs isolation;  // --jobs, --no-isolation, --rlimit-mb, --case-timeout
  bool no_extreme = false;
  bool no_save = false;
};

// Saves each new minimized divergence into the corpus (issue #5); duplicates are skipped.
void SaveDivergences(const RunSummary& s, const RunConfig& config, const Backend& backend) {
  if (config.regressions_dir.empty() || s.divergences.empty()) return;
  int saved = 0, known = 0;
  for (const CaseResult& r : s.divergences) {
    std::string detail;
    const CorpusEntry e = EntryFromResult(r, backend.Name() + " " + backend.Version(),
                                          "found by convcheck run --seed " + std::to_string(config.seed));
    const SaveStatus status = SaveEntry(config.regressions_dir, e, &detail);
    if (status == SaveStatus::kFailed) std::cerr << "convcheck run: cannot save regression: " << detail << "\n";
    saved += status == SaveStatus::kSaved;
    known += status == SaveStatus::kDuplicate;
  }
  std::cout << "saved " << saved << " new regressions into " << config.regressions_dir << " (" << known
            << " already there)\n";
}

int RunRun(RunArgs& args) {
  std::string error;
  RunConfig& config = args.config;
  if (!ParseOpList(args.ops, &config.ops, &error) ||
      !ParseDTypeList(args.dtypes, &config.dtypes, &error)) {
    std::cerr << "convcheck run: " << error << "\n";
    return kUsage;
  }
  config.device = *ParseDeviceName(args.device);
  config.shrink = !args.no_shrink;
  config.known_dir = args.corpus + "/known";
  if (!args.shard.empty() && !ParseShardSpec(args.shard, std::getenv("JOB_COMPLETION_INDEX"),
                                             &config.shard_index, &config.shard_count, &error)) {
    std::cerr << "convcheck run: " << error << "\n";
    return kUsage;
  }
  // Isolation makes the extreme generator safe to run, so it is on by default with it.
  if (!args.isolation.disabled && !args.no_extreme) config.extreme = true;
  if (!args.no_save) config.regressions_dir = args.corpus + "/regressions";
  std::unique_ptr<Backend> backend = MakeSelectedBackend(args.isolation);
  if (!backend) {
    std::cerr << "convcheck run: built without LibTorch (CONVCHECK_WITH_TORCH=OFF): no backend\n";
    return kUsage;
  }
  KnownDeviations known;
  if (auto err = KnownDeviations::Load(config.known_dir, backend->Name(), backend->Version(), &known)) {
    std::cerr << "convcheck run: " << *err << "\n";
    return kUsage;
  }
  std::cout << "convcheck run: " << backend->Name() << " " << backend->Version() << ", device "
            << DeviceName(config.device) << ", seed " << config.seed << ", "
            << known.records().size() << " known deviations loaded\n";
  InstallInterruptHandler();
  const auto started = std::chrono::system_clock::now();
  KernelStrideRecorder recorder(*backend, known, config.memory_limit_bytes);
  ProgressPrinter progress(std::cerr, ChooseProgressMode(args.progress, config.quiet),
                           args.progress_interval);
  const RunSummary summary = RunConformance(config, recorder, known, std::cout, progress.Fn());
  progress.Finish();
  PrintSummary(summary, std::cout);
  // Written even when interrupted (the report says incomplete); each file atomically.
  if (args.outputs.any()) {
    const report::Report rep = BuildRunReport(summary, config, MakeRunContext(*backend, started),
                                              known, recorder.counts());
    if (!report::WriteOutputs(rep, args.outputs, &error)) {
      std::cerr << "convcheck run: " << error << "\n";
      return kUsage;
    }
  }
  SaveDivergences(summary, config, *backend);
  if (summary.interrupted) return kUsage;
  return summary.unexpected() > 0 ? kFound : kOk;
}

void Register(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Draw random cases (valid, edge and invalid) for the chosen ops, run each through the\n"
      "oracle and LibTorch, and print a summary per op. Exit 0 when every case agrees or\n"
      "matches a known deviation, 1 on an unexpected divergence, 2 on a usage error.\n"
      "Example: convcheck run --seed 7 --cases 5000 --ops conv2d,conv_transpose2d");
  cmd->add_option("--seed", args->config.seed, "random seed (every case is reproducible from seed + index)")->capture_default_str();
  cmd->add_option("--cases", args->config.cases, "number of cases")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--seconds", args->config.seconds, "time budget instead of --cases")->check(CLI::PositiveNumber);
  cmd->add_option("--ops", args->ops, "comma-separated ops, or all")->capture_default_str();
  cmd->add_option("--dtype", args->dtypes, "comma-separated dtypes")->capture_default_str();
  cmd->add_option("--device", args->device, "cpu or cuda (cuda cases are skipped, visibly, without a GPU)")
      ->check(CLI::IsMember({"cpu", "cuda"}))->capture_default_str();
  cmd->add_flag("--extreme", args->config.extreme, "also draw parameters near 2^31, 2^32, 2^62, 2^63-1 and zero-sized dims (may allocate a lot: run in isolation)");
  cmd->add_option("--corpus", args->corpus, "corpus folder (known deviations in <corpus>/known)")->capture_default_str();
  cmd->add_option("--max-printed", args->config.max_printed, "reproducer blocks printed in full")->capture_default_str();
  cmd->add_flag("--no-shrink", args->no_shrink, "report divergences as drawn, without minimizing");
  cmd->add_flag("--quiet", args->config.quiet, "print only the summary");
  cmd->add_option("--properties", args->config.properties,
                  "extra properties to run besides ShapeAgrees/ValidityAgrees (comma-separated; default all; 'none' for none): "
                  "RoundTripRestoresInput, StackAnalysisAgrees, SolverSolutionsHold, ConventionRecipeMatches, "
                  "ValuesMatchReference, TransposeIsAdjoint, GradientIsTranspose, DevicesAgree")->delimiter(',');
  cmd->add_option("--numeric-rate", args->config.numeric_rate, "share of cases (0-1) offered to each numeric property (values, adjoint, gradients, devices)")->capture_default_str()->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--report", args->outputs.json, "write the report JSON here (atomically; marked incomplete after Ctrl-C)");
  cmd->add_option("--junit", args->outputs.junit, "write JUnit XML here");
  cmd->add_option("--markdown", args->outputs.markdown, "write a Markdown summary here");
  cmd->add_option("--html", args->outputs.html, "write a self-contained HTML report here");
  cmd->add_option("--shard", args->shard, "run shard i of N: \"i/N\", or \"N\" with i from JOB_COMPLETION_INDEX");
  cmd->add_option("--progress", args->progress, "auto (live on a terminal, lines in CI or a pipe), live, lines, off")
      ->check(CLI::IsMember({"auto", "live", "lines", "off"}))->capture_default_str();
  cmd->add_option("--progress-interval", args->progress_interval, "seconds between progress lines off a terminal")->capture_default_str();
  AddIsolationFlags(cmd, &args->isolation);
  cmd->add_flag("--no-extreme", args->no_extreme, "do not draw the extreme generator's cases (on by default with isolation)");
  cmd->add_flag("--no-save", args->no_save, "do not save new minimized divergences into <corpus>/regressions");
  cmd->callback([args, exit_code] { *exit_code = RunRun(*args); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
