// `convcheck sanity`: training-sanity checks of a model (issue #7) — what the CLI needs, torch-free.
// The checks themselves and the torch-facing entry point are in checks.h and check_model.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sanity/finding.h"

namespace convcheck::sanity {

// How to check and train; parsed once from the command line and passed by const reference.
struct SanityOptions {
  std::string task = "classification";  // or "regression" (MSE; OUT-1 uses sigma(y_hat)/sigma(y))
  int train_steps = 0;                  // --train K: checks again after K steps
  double lr = 0.01;
  std::string optimizer = "sgd";        // or "adam"
  int check_every = 0;                  // OUT-1 every N steps during training (0: only at the end)
  int patience = 2;                     // consecutive OUT-1 errors that stop training early
  int64_t probe = 64;                   // probe batch (OUT-1 needs >= 64 distinct inputs)
  int64_t batch = 32;                   // training batch
  uint64_t seed = 1;
  bool pretrained = false;              // INIT checks skip, visibly
};

struct SanityConfig {
  std::string model_path;            // *.json: layer list; anything else: TorchScript
  std::vector<int64_t> input_shape;  // [N, C, *spatial] or [N, F]; N is ignored
  std::string data = "synthetic:classes";  // a tensor file or synthetic:<name>
  std::string task;                  // empty: the layer list's "task", else classification
  int64_t samples = 512;             // synthetic data set size
  SanityOptions options;
};

// Loads the model and data of `config` and runs every check (and training when asked).
// false with a one-line error on bad input: unreadable model, shape mismatch, unknown data.
bool RunSanity(const SanityConfig& config, SanityReport* report, std::string* error);

}  // namespace convcheck::sanity
