// `convcheck run`: the conformance run (generated cases through the engine).
#include <cstdlib>
#include <iostream>

#include "cli/backend_loop.h"
#include "cli/command.h"
#include "cli/engine_flags.h"
#include "cli/json_flag.h"
#include "cli/options.h"
#include "engine/engine.h"
#include "engine/interrupt.h"
#include "engine/progress.h"
#include "engine/run_report.h"

namespace convcheck::cli {
namespace {

struct RunArgs {
  EngineArgs engine;
  std::string ops = "all";
  std::string dtypes = "float32,float64,bfloat16";
  std::string device = "cpu";
  std::string shard;               // --shard i/N, or N with i from JOB_COMPLETION_INDEX
  std::string progress = "auto";   // --progress
  double progress_interval = 10;   // --progress-interval
  bool no_extreme = false;
  JsonFlag json;                   // the report JSON (--report), or on stdout
};

int RunRun(RunArgs& args) {
  std::string error;
  RunConfig& config = args.engine.config;
  if (!ParseOpList(args.ops, &config.ops, &error) ||
      !ParseDTypeList(args.dtypes, &config.dtypes, &error) ||
      !FinishEngineArgs(&args.engine, &error) ||
      !JsonAsReport(args.json, &args.engine.session.outputs.json, &error)) {
    std::cerr << "convcheck run: " << error << "\n";
    return kUsage;
  }
  config.device = *ParseDeviceName(args.device);
  if (!args.shard.empty() && !ParseShardSpec(args.shard, std::getenv("JOB_COMPLETION_INDEX"),
                                             &config.shard_index, &config.shard_count, &error)) {
    std::cerr << "convcheck run: " << error << "\n";
    return kUsage;
  }
  // Isolation makes the extreme generator safe to run, so it is on by default with it.
  if (!args.engine.no_isolation && !args.no_extreme) config.extreme = true;
  InstallInterruptHandler();
  // With the report on stdout, the text goes to stderr.
  std::ostream& text = args.json.ToStdout() ? std::cerr : std::cout;
  return ForEachBackend(args.engine, "run", text,
                        [&](EngineArgs& engine, Backend& backend, Session& session, const NumericSetup& numeric) {
    const RunConfig& cfg = engine.config;
    text << "device " << DeviceName(cfg.device) << ", seed " << cfg.seed << "\n";
    ProgressPrinter progress(std::cerr, ChooseProgressMode(args.progress, cfg.quiet), args.progress_interval);
    const RunSummary summary = RunConformance(cfg, backend, session.known(), text, progress.Fn(), numeric);
    progress.Finish();
    return session.Conclude(summary, cfg, backend);
  });
}

void Register(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<RunArgs>();
  RunConfig& config = args->engine.config;
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Draw random cases (valid, edge, invalid and extreme) for the chosen ops, run each through\n"
      "the oracle, LibTorch (in isolated workers) and every property, and print a summary per op\n"
      "and per property. Writes nothing unless asked: reports where --report/--junit/--markdown/\n"
      "--html say, new regressions into <corpus>/regressions (see --corpus).\n"
      "Exit 0 when every check agrees or matches a known deviation, 1 on an unexpected divergence\n"
      "or XPASS, 2 on a usage error or interruption, 3 when a requested property, the backend or\n"
      "the device executed no check (--allow-skipped accepts that).\n"
      "Example: convcheck run --seed 7 --cases 300 --ops conv2d,conv_transpose2d --no-save");
  cmd->add_option("--seed", config.seed, "random seed (every case is reproducible from seed + index)")->capture_default_str();
  cmd->add_option("--cases", config.cases, "number of cases")->capture_default_str()->check(AtLeast(1));
  cmd->add_option("--seconds", config.seconds, "time budget instead of --cases")->check(Positive());
  cmd->add_option("--ops", args->ops, "comma-separated ops, or all")->capture_default_str();
  cmd->add_option("--dtype", args->dtypes, "comma-separated dtypes")->capture_default_str();
  cmd->add_option("--device", args->device, "cpu or cuda (without a GPU cuda cases are skipped, and the run exits 3)")
      ->check(CLI::IsMember({"cpu", "cuda"}))->capture_default_str();
  cmd->add_flag("--extreme", config.extreme, "also draw parameters near 2^31, 2^32, 2^62, 2^63-1 and zero-sized dims (on by default with isolation)");
  cmd->add_flag("--no-extreme", args->no_extreme, "do not draw the extreme generator's cases");
  cmd->add_flag("--no-shrink", args->engine.no_shrink, "report divergences as drawn, without minimizing");
  cmd->add_option("--shard", args->shard, "run shard i of N: \"i/N\" with i counted from 1 (1/4 ... 4/4), or \"N\" alone with the "
                  "0-based index from JOB_COMPLETION_INDEX (as a Kubernetes Indexed Job sets it: 0 ... N-1)");
  cmd->add_option("--progress", args->progress, "auto (live on a terminal, lines in CI or a pipe), live, lines, off")
      ->check(CLI::IsMember({"auto", "live", "lines", "off"}))->capture_default_str();
  cmd->add_option("--progress-interval", args->progress_interval, "seconds between progress lines off a terminal")->capture_default_str();
  AddEngineFlags(cmd, &args->engine);
  AddJsonFlag(cmd, &args->json, "the report JSON, as --report writes it,");
  cmd->callback([args, exit_code] { *exit_code = RunRun(*args); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
