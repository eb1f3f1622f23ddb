// PyTorch source text as a case: `nn.ConvTranspose2d(256, 128, 3, stride=2, padding=1)` or
// `F.conv2d(x, w, stride=2)`, as written in a user's model, parsed (never evaluated) into the
// case format — and a case printed back as the module that runs it. The text goes through the
// JSON codec (case_json.h), so it accepts exactly the values a case file does.
#pragma once

#include <optional>
#include <string>

#include "case_io/case_json.h"
#include "case_io/stack_json.h"

namespace convcheck {

// What the text cannot say: the input shape (--input), and for functional calls whose weight
// is a variable, the weight shape (--weight).
struct PyTorchGiven {
  std::optional<Dims> input;
  std::optional<Dims> weight;
};

// Accepts nn.ConvNd / nn.ConvTransposeNd (prefix `nn.`, `torch.nn.` or none) with positional and
// keyword arguments, and F.convNd / F.conv_transposeNd (prefix `F.`, `torch.nn.functional.`,
// `torch.`), whose input and weight may be `torch.randn(1, 3, 8, 8)`-style shapes; and the pool,
// nn.Flatten and nn.Linear modules a stack reads (layer_pytorch_parse.h), on --input. An
// `in_channels` that disagrees with the input becomes an explicit weight_shape, so the oracle
// rejects the case as PyTorch would. Errors are one line: "nn.Conv2d: kernel_size: required".
CaseParseResult ParsePyTorchCase(const std::string& text, const PyTorchGiven& given);

// A list of layers: `nn.Sequential(...)`, a Python list, or one layer per line (`self.x = ...`
// names the layer "x"). Shape-preserving modules (activations, norms, dropout) are skipped;
// pools, nn.Flatten and nn.Linear become layers (case_io/layer_pytorch_parse.h).
StackParseResult ParsePyTorchStack(const std::string& text);

// True when the text is Python rather than JSON (it starts with a name, or `[` then a name).
bool LooksLikePyTorch(const std::string& text);

// The module that runs the case: `nn.ConvTranspose2d(256, 128, kernel_size=3, stride=2,
// padding=1, output_padding=1)`; arguments at their default are left out, per-dim values that
// agree print as one integer. Channel counts print as given when `in_channels`/`out_channels`
// are not empty (solve prints "C").
std::string PyTorchModule(const ConvCase& c, const std::string& in_channels = "",
                          const std::string& out_channels = "");

// "(3, 3)", "(3,)" — a Python tuple.
std::string PyTuple(const Dims& d);

}  // namespace convcheck
