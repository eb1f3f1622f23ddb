// The torch-facing entry point: run every check on a built model and a data set, train when
// asked, and collect findings and measurements. Tests call this directly with their own models
// and data (NaN inputs, scripted batch-mixing modules...).
#pragma once

#include "sanity/data.h"
#include "sanity/model.h"
#include "sanity/sanity.h"

namespace convcheck::sanity {

// Checks at step 0 (INIT, IN, ACT, OUT-1, OUT-3); with options.train_steps = K > 0, trains K
// steps (fewer when the loss turns NaN or OUT-1 errors persist for `patience` periodic checks)
// and checks again (ACT, OUT-1, OUT-2). Attaches labels/targets to `data` when it has none.
// Never throws for a model that runs; a LibTorch error escapes as c10::Error.
SanityReport CheckModel(SanityModel& model, DataSet& data, const SanityOptions& options);

}  // namespace convcheck::sanity
