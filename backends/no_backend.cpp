// Built instead of libtorch_backend.cpp when CONVCHECK_WITH_TORCH is OFF: no backend exists,
// and commands that need one say so.
#include "backends/backend.h"

namespace convcheck {

std::unique_ptr<Backend> MakeDefaultBackend() { return nullptr; }

}  // namespace convcheck
