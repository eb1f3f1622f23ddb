// Data for the sanity checks: a tensor file or a seeded synthetic generator, plus the labels or
// regression targets the checks and the training loop need. Torch-facing.
#pragma once

#include <string>
#include <vector>

#include <torch/torch.h>

namespace convcheck::sanity {

struct DataSet {
  torch::Tensor x;        // as given: may be an integer dtype or hold NaN (the IN checks see it)
  torch::Tensor labels;   // int64 [N] (classification); undefined until attached
  torch::Tensor targets;  // float [N, outputs] (regression); undefined until attached
  std::string description;
};

// Synthetic generators, all seeded (same seed, same data):
//   classes      class-structured images (smooth per-class templates + noise), z-scored
//   classes-unit the same images in [0, 1]
//   classes-raw  the same images as integer values 0..255 in float32 (unnormalized pixels)
//   classes-u8   the same images as uint8
//   gaussian     N(0, 1), no class structure
//   uniform      U[0, 1), no class structure
// `sample_shape` is one input without the batch dim ([C, H, W] or [F]); classification data
// gets `classes` labels. false with an error for an unknown name.
bool MakeSyntheticData(const std::string& name, const std::vector<int64_t>& sample_shape,
                       int64_t n, int64_t classes, uint64_t seed, DataSet* out,
                       std::string* error);
std::vector<std::string> SyntheticDataNames();

// Loads inputs (and optional labels/targets) from a file written by torch.save / torch::pickle_save
// (a tensor, a tuple/list (x, y) or a dict {"x", "y"}) or a TorchScript module whose attributes
// "x" [and "y"] are tensors. Integer y = labels, float y = targets.
bool LoadTensorData(const std::string& path, DataSet* out, std::string* error);

// Gives a data set the labels (classification, `outputs` classes) or standardized targets
// (regression, `outputs` columns) it lacks, from a fixed random teacher over the inputs, so that
// the loss is defined and learnable. Leaves existing labels/targets alone.
void AttachTargets(DataSet* data, bool regression, int64_t outputs, uint64_t seed);

// The inputs as float32, which is what the model consumes (NaN kept).
torch::Tensor ModelInput(const DataSet& data);

}  // namespace convcheck::sanity
