// Orchestration: the checks at step 0, training with periodic checks, the checks after
// training; and RunSanity, which loads the model and data a SanityConfig names.
#include <torch/version.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "backends/libtorch/no_backtraces.h"
#include "case_io/text_file.h"
#include "sanity/check_model.h"
#include "sanity/checks.h"
#include "sanity/thresholds.h"

namespace convcheck::sanity {
namespace {

// Rows [begin, begin + n) of a data set (with its labels/targets), wrapping around.
DataSet Rows(const DataSet& d, int64_t begin, int64_t n) {
  const int64_t total = d.x.size(0);
  const torch::Tensor idx = torch::arange(begin, begin + n, torch::kLong).remainder(total);
  DataSet out;
  out.x = d.x.index_select(0, idx);
  if (d.labels.defined()) out.labels = d.labels.index_select(0, idx);
  if (d.targets.defined()) out.targets = d.targets.index_select(0, idx);
  return out;
}

std::unique_ptr<torch::optim::Optimizer> MakeOptimizer(SanityModel& model, const SanityOptions& o) {
  if (o.optimizer == "adam") {
    return std::make_unique<torch::optim::Adam>(model.Parameters(), torch::optim::AdamOptions(o.lr));
  }
  return std::make_unique<torch::optim::SGD>(model.Parameters(), torch::optim::SGDOptions(o.lr));
}

// OUT-1 on the probe batch; the finding's level (or kInfo when nothing was found).
Level ProbeOutput(SanityModel& model, const DataSet& probe, bool regression, int step,
                  SanityReport* report) {
  const torch::Tensor x = ModelInput(probe);
  const ProbeTrace trace = model.Probe(x);
  const size_t before = report->findings.size();
  CheckConstantOutput(x, trace.output, regression ? probe.targets : torch::Tensor(), step, report);
  Level worst = Level::kInfo;
  for (size_t i = before; i < report->findings.size(); ++i) {
    worst = std::max(worst, report->findings[i].level);
  }
  return worst;
}

// Trains up to K steps; returns the steps taken. Stops on a non-finite loss, or when periodic
// OUT-1 checks (every check_every steps) find an error `patience` times in a row: the earlier
// errors of that streak are dropped so one collapse is one finding.
int Train(SanityModel& model, const DataSet& data, const DataSet& probe, bool regression,
          const SanityOptions& o, SanityReport* report) {
  auto optimizer = MakeOptimizer(model, o);
  int streak = 0;
  for (int step = 1; step <= o.train_steps; ++step) {
    const DataSet batch = Rows(data, (step - 1) * o.batch, o.batch);
    optimizer->zero_grad();
    torch::Tensor loss = PerSampleLoss(model.Forward(ModelInput(batch)), batch, regression).mean();
    if (!torch::isfinite(loss).item<bool>()) {
      report->findings.push_back({"TRAIN", Level::kInfo, "", loss.item<double>(), "finite loss",
                                  "loss became non-finite at step " + std::to_string(step) +
                                      "; training stopped (OUT-1 reports the output)",
                                  step});
      return step;
    }
    loss.backward();
    optimizer->step();
    if (o.check_every <= 0 || step % o.check_every != 0 || step == o.train_steps) continue;
    const size_t before = report->findings.size();
    const bool error = ProbeOutput(model, probe, regression, step, report) == Level::kError;
    report->findings.resize(before);  // the final check reports the output; this one only stops
    streak = error ? streak + 1 : 0;
    if (streak >= std::max(o.patience, 1)) {
      report->findings.push_back({"TRAIN", Level::kInfo, "", static_cast<double>(streak),
                                  "patience " + std::to_string(o.patience),
                                  "OUT-1 error persisted for " + std::to_string(streak) +
                                      " periodic checks; training stopped early at step " +
                                      std::to_string(step),
                                  step});
      return step;
    }
  }
  return o.train_steps;
}

void CheckAfterTraining(SanityModel& model, const DataSet& probe, bool regression, int step,
                        SanityReport* report) {
  const torch::Tensor x = ModelInput(probe);
  const ProbeTrace trace = model.Probe(x);
  CheckActivations(trace, step, report);
  CheckConstantOutput(x, trace.output, regression ? probe.targets : torch::Tensor(), step, report);
  CheckIgnoresInput(model, x, probe, regression, step, report);
}

}  // namespace

SanityReport CheckModel(SanityModel& model, DataSet& data, const SanityOptions& o) {
  SanityReport report;
  const bool regression = o.task == "regression";
  const torch::Tensor x0 = ModelInput(data).slice(0, 0, 1);
  int64_t outputs = 0;
  {
    torch::NoGradGuard no_grad;
    outputs = model.Eval(torch::nan_to_num(x0)).flatten(1).size(1);
  }
  AttachTargets(&data, regression, outputs, o.seed);
  const DataSet probe = Rows(data, 0, std::min<int64_t>(o.probe, data.x.size(0)));
  CheckInputs(data.x, &report);
  if (o.pretrained) {
    report.findings.push_back({"INIT", Level::kInfo, "", std::nan(""), "-",
                               "INIT-1/2/4/5 skipped: pretrained weights (they judge fresh inits)", 0});
  } else {
    CheckInitialization(model.Weights(), &report);
  }
  const torch::Tensor xp = ModelInput(probe);
  const ProbeTrace trace = model.Probe(xp);
  if (!regression && !o.pretrained) CheckInitLoss(trace.output.flatten(1), probe.labels, &report);
  CheckActivations(trace, 0, &report);
  CheckConstantOutput(xp, trace.output, regression ? probe.targets : torch::Tensor(), 0, &report);
  CheckCrossSample(model, xp, 0, &report);
  if (o.train_steps > 0) {
    report.steps_run = Train(model, data, probe, regression, o, &report);
    CheckAfterTraining(model, probe, regression, report.steps_run, &report);
  }
  return report;
}

namespace {

std::unique_ptr<SanityModel> LoadModel(const SanityConfig& c, std::string* task, std::string* error) {
  const bool json = c.model_path.size() >= 5 &&
                    c.model_path.compare(c.model_path.size() - 5, 5, ".json") == 0;
  if (!json) return LoadScriptModel(c.model_path, error);
  std::string text;
  if (!ReadTextFile(c.model_path, &text, error)) return nullptr;
  ModelSpec spec;
  if (!ParseModelSpec(text, &spec, error)) return (*error = c.model_path + ": " + *error, nullptr);
  *task = spec.task;
  if (spec.pretrained) *task += "+pretrained";
  return BuildLayerModel(spec, c.input_shape, c.options.seed, error);
}

bool LoadData(const SanityConfig& c, int64_t classes, DataSet* data, std::string* error) {
  const std::string prefix = "synthetic:";
  if (c.data.rfind(prefix, 0) != 0) return LoadTensorData(c.data, data, error);
  std::vector<int64_t> sample(c.input_shape.begin() + 1, c.input_shape.end());
  const int64_t n = std::max<int64_t>(c.samples, c.options.probe + c.options.batch);
  return MakeSyntheticData(c.data.substr(prefix.size()), sample, n, classes, c.options.seed, data,
                           error);
}

}  // namespace

bool RunSanity(const SanityConfig& config, SanityReport* report, std::string* error) {
  // Every rejected shape would otherwise symbolize a backtrace nobody reads (issue #11).
  DisableTorchErrorBacktraces();
  if (config.input_shape.size() < 2) return (*error = "--input-shape needs at least N,C", false);
  std::string model_task;
  std::unique_ptr<SanityModel> model = LoadModel(config, &model_task, error);
  if (!model) return false;
  SanityOptions options = config.options;
  options.pretrained = options.pretrained || model_task.find("+pretrained") != std::string::npos;
  model_task = model_task.substr(0, model_task.find('+'));
  options.task = !config.task.empty() ? config.task : !model_task.empty() ? model_task : "classification";
  std::vector<int64_t> probe_shape = config.input_shape;
  probe_shape[0] = 1;
  int64_t outputs = 0;
  try {
    torch::NoGradGuard no_grad;
    outputs = model->Eval(torch::zeros(probe_shape)).flatten(1).size(1);
  } catch (const c10::Error& e) {
    std::string what = e.what_without_backtrace();
    return (*error = "model does not accept --input-shape: " + what.substr(0, what.find('\n')), false);
  }
  DataSet data;
  if (!LoadData(config, options.task == "regression" ? 10 : outputs, &data, error)) return false;
  try {
    *report = CheckModel(*model, data, options);
  } catch (const c10::Error& e) {
    std::string what = e.what_without_backtrace();
    return (*error = "LibTorch error while checking: " + what.substr(0, what.find('\n')), false);
  }
  try {
    // N as given: a reader compares these with their own code's shapes.
    report->layer_shapes = model->Shapes(config.input_shape, &report->layer_shapes_unavailable);
  } catch (const c10::Error& e) {
    std::string what = e.what_without_backtrace();
    report->layer_shapes_unavailable = "LibTorch error: " + what.substr(0, what.find('\n'));
  }
  SanityContext& ctx = report->context;
  ctx.model = config.model_path;
  ctx.model_kind = model->Kind();
  ctx.task = options.task;
  ctx.input_shape.assign(config.input_shape.begin(), config.input_shape.end());
  ctx.data = data.description;
  ctx.seed = options.seed;
  ctx.train_steps = options.train_steps;
  ctx.optimizer = options.optimizer;
  ctx.lr = options.lr;
  ctx.framework_version = TORCH_VERSION;
  return true;
}

}  // namespace convcheck::sanity
