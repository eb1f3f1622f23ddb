// `convcheck sanity`: training-sanity checks of a model (issue #7). Torch-free here: the checks
// live in sanity/ and reach this command through the LibTorch plugin (its run_sanity), loaded
// only when a model is checked; --thresholds needs no framework.
#include <iostream>
#include <sstream>

#include "backends/plugin/plugin_loader.h"
#include "cli/command.h"
#include "cli/json_flag.h"
#include "cli/options.h"
#include "sanity/report_io.h"
#include "sanity/sanity.h"
#include "sanity/thresholds.h"

namespace convcheck::cli {
namespace {

struct SanityArgs {
  sanity::SanityConfig config;
  std::string input_shape;
  JsonFlag json;
  bool thresholds = false;
  bool quiet = false;
};

bool ParseShape(const std::string& text, std::vector<int64_t>* out) {
  std::stringstream s(text);
  std::string part;
  out->clear();
  while (std::getline(s, part, ',')) {
    try {
      size_t used = 0;
      const long long v = std::stoll(part, &used);
      if (used != part.size() || v <= 0) return false;
      out->push_back(v);
    } catch (const std::exception&) {
      return false;
    }
  }
  return out->size() >= 2;
}

void PrintThresholds(std::ostream& out) {
  for (const sanity::ThresholdRow& row : sanity::ThresholdTable()) {
    out << row.id << " | " << row.quantity << " | warn: " << row.warn << " | error: " << row.error
        << " | source: " << row.source << "\n";
  }
}

int RunSanityCommand(SanityArgs& args) {
  if (args.thresholds) {
    PrintThresholds(std::cout);
    return kOk;
  }
  if (args.config.model_path.empty() || !ParseShape(args.input_shape, &args.config.input_shape)) {
    std::cerr << "convcheck sanity: need --model and --input-shape N,C[,spatial...] (positive ints)\n";
    return kUsage;
  }
  sanity::SanityReport report;
  std::string error;
  const PluginV1* plugin = LoadPlugin("libtorch", &error);
  if (plugin && !plugin->run_sanity) error = "the LibTorch plugin was built without sanity checks";
  if (!plugin || !plugin->run_sanity) {
    std::cerr << "convcheck sanity: needs the LibTorch plugin: " << error << "\n";
    return kUsage;
  }
  if (!plugin->run_sanity(args.config, &report, &error)) {
    std::cerr << "convcheck sanity: " << error << "\n";
    return kUsage;
  }
  // With --json on stdout, the text goes to stderr so stdout holds one JSON document.
  std::ostream& out = args.json.ToStdout() ? std::cerr : std::cout;
  const sanity::SanityContext& c = report.context;
  out << "convcheck sanity: " << c.model << " (" << c.model_kind << ", " << c.task
            << "), data " << c.data << ", seed " << c.seed << ", LibTorch " << c.framework_version;
  if (c.train_steps > 0) {
    out << ", trained " << report.steps_run << "/" << c.train_steps << " steps ("
              << c.optimizer << ", lr " << c.lr << ")";
  }
  out << "\n";
  if (const std::string note = sanity::TrainingNote(report); !note.empty()) out << note << "\n";
  if (!args.quiet) sanity::PrintLayerShapes(report, out);
  sanity::PrintFindings(report, out);
  if (!args.quiet) sanity::PrintMeasurements(report, out);
  out << sanity::DiagnosisLine(report) << "\n";
  if (args.json.Requested() &&
      !sanity::WriteJsonFile(sanity::ReportToJson(report), args.json.target, &error)) {
    std::cerr << "convcheck sanity: " << error << "\n";
    return kUsage;
  }
  return report.HasError() ? kFound : kOk;
}

void Register(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<SanityArgs>();
  sanity::SanityConfig& c = args->config;
  CLI::App* cmd = app.add_subcommand(
      "sanity",
      "Training-sanity checks of a model (init scale, input normalization, dead units,\n"
      "constant output, batch mixing), at initialization and after --train K steps.\n"
      "Exit 0 when no error-level finding, 1 on any error-level finding, 2 on a usage error.\n"
      "Example: convcheck sanity --model examples/sanity/f0_layers.json --input-shape 1,1,61,72 \\\n"
      "           --data synthetic:classes-raw --train 20 --optimizer adam --lr 0.01");
  cmd->add_option("--model", c.model_path, "model: *.json layer list or a TorchScript file (torch.jit.save)");
  cmd->add_option("--input-shape", args->input_shape, "input shape N,C,H,W (N is ignored; the probe batch is --probe)");
  cmd->add_option("--data", c.data, "tensor file (torch.save: x, (x, y) or {x, y}) or synthetic:NAME "
                  "(classes, classes-unit, classes-raw, classes-u8, gaussian, uniform)")->capture_default_str();
  cmd->add_option("--task", c.task, "classification or regression (default: the layer list's task)")
      ->check(CLI::IsMember({"classification", "regression"}));
  cmd->add_option("--train", c.options.train_steps, "train K steps and check again")->check(AtLeast(0));
  cmd->add_option("--lr", c.options.lr, "learning rate")->capture_default_str()->check(Positive());
  cmd->add_option("--optimizer", c.options.optimizer, "sgd or adam")->capture_default_str()
      ->check(CLI::IsMember({"sgd", "adam"}));
  cmd->add_option("--check-every", c.options.check_every, "OUT-1 every N training steps (0: only at the end)")
      ->check(AtLeast(0));
  cmd->add_option("--patience", c.options.patience, "consecutive periodic OUT-1 errors that stop training")
      ->capture_default_str()->check(AtLeast(1));
  cmd->add_option("--probe", c.options.probe, "probe batch size (OUT-1 needs >= 64 distinct inputs)")
      ->capture_default_str()->check(AtLeast(1));
  cmd->add_option("--batch", c.options.batch, "training batch size")->capture_default_str()->check(AtLeast(1));
  cmd->add_option("--samples", c.samples, "synthetic data set size")->capture_default_str()->check(AtLeast(1));
  cmd->add_option("--seed", c.options.seed, "seed for init and synthetic data")->capture_default_str();
  cmd->add_flag("--pretrained", c.options.pretrained, "weights are trained: skip the INIT checks (visibly)");
  AddJsonFlag(cmd, &args->json, "the findings as JSON (schema_version, context, findings)");
  cmd->add_flag("--thresholds", args->thresholds, "print the threshold table and exit");
  cmd->add_flag("--quiet", args->quiet, "print the findings only");
  cmd->callback([args, exit_code] { *exit_code = RunSanityCommand(*args); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
