// One result of a training-sanity check (issue #7): which check, how bad, where, the measured
// value against its threshold, and what the user should do. Plain data, torch-free, so the CLI
// and report writers never include torch.
#pragma once

#include <cmath>
#include <string>
#include <vector>

namespace convcheck::sanity {

// kInfo records a visible skip ("INIT checks skipped: pretrained weights") or a note; only
// kError makes `convcheck sanity` exit 1.
enum class Level { kInfo, kWarn, kError };

const char* LevelName(Level level);

struct Finding {
  std::string id;         // "INIT-2", "OUT-1", ...
  Level level = Level::kWarn;
  std::string layer;      // "layers[0]:conv.weight"; empty when model-wide
  double measured = std::nan("");  // NaN when the check has no single number
  std::string threshold;  // human form of the limit crossed: "r* in [0.5, 2]"
  std::string message;    // what happened and what to do
  int step = 0;           // training step the check ran at (0 = at initialization)
};

// A raw measurement kept for reports even when no threshold is crossed (rho, r*, L0, dead
// fraction), so a healthy run still documents what it saw.
struct Measurement {
  std::string name;   // "rho", "r*", "L0", "dead_fraction", "act_rms", "sigma_ratio"
  std::string layer;  // empty when model-wide
  double value = std::nan("");
  int step = 0;
};

// Where the findings came from; written as the JSON context block.
struct SanityContext {
  std::string model;         // path or description
  std::string model_kind;    // "layers" or "torchscript"
  std::string task;          // "classification" or "regression"
  std::vector<long long> input_shape;
  std::string data;          // file path or "synthetic:<name>"
  unsigned long long seed = 0;
  int train_steps = 0;
  std::string optimizer;
  double lr = 0;
  std::string framework_version;  // LibTorch version
};

// The output shape of one layer for the given input (N included), in the model's order.
struct LayerShape {
  std::string layer;  // "layers[0]:conv", or a TorchScript child's name
  std::vector<long long> shape;
};

struct SanityReport {
  SanityContext context;
  std::vector<Finding> findings;
  std::vector<Measurement> measurements;
  int steps_run = 0;  // training steps actually taken (early stop on NaN loss or patience)
  // Each layer's output shape; empty with the reason when the model cannot be split in layers.
  std::vector<LayerShape> layer_shapes;
  std::string layer_shapes_unavailable;

  bool HasError() const;
  // True when some finding has this id at `level` or worse.
  bool Has(const std::string& id, Level at_least = Level::kWarn) const;
  // The measurement named `name` (and `layer` when non-empty) at the latest step; NaN if none.
  double Latest(const std::string& name, const std::string& layer = "") const;
};

}  // namespace convcheck::sanity
