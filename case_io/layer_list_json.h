// The layer list shared with `convcheck sanity --model` (sanity/layer_spec.h): a JSON list, or
// an object with "layers", of {"type": "conv"|"convT"|"maxpool"|"avgpool"|"linear"|"flatten"|
// "relu"|"tanh"|"sigmoid"|"batchnorm"|"dropout", ...}. Read here as a stack of cases, so
// `convcheck stack` traces the same file `sanity` trains. A conv layer is a case without
// "input" (its keys go to the case codec); a pool takes the pool keys of
// case_io/layer_case_json.h, with padding "same" meaning TF/Keras SAME pooling. Training-only
// keys (init, bias_init, p) are accepted and ignored; "task" and "pretrained" likewise.
#pragma once

#include <string>

#include "case_io/stack_json.h"

namespace convcheck {

// Parses a stack in either form: the case-format list of case_io/stack_json.h ("op" layers) or
// the typed layer list above. `rank` (1..3) is the spatial rank the typed conv and pool layers
// get (the input's); 0 takes it from the longest per-dim list, else 2. Never throws; errors
// name the layer: "layer 3 (maxpool): kernel: required key is missing".
StackParseResult ParseLayerListText(const std::string& text, int rank);

}  // namespace convcheck
