// Built instead of libtorch_numeric.cpp when CONVCHECK_WITH_TORCH is OFF: no numeric backend
// exists, and numeric properties and tests say so (skipped, never passed).
#include "backends/numeric_backend.h"

namespace convcheck {

std::unique_ptr<NumericBackend> MakeDefaultNumericBackend() { return nullptr; }

}  // namespace convcheck
