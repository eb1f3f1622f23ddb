// The numeric properties run their LibTorch backend in the parent process (cli/engine_flags.h),
// where its first warning printed glog's "Logging before InitGoogleLogging()" and LibTorch's
// Convolution.cpp warning onto the terminal once per run, through the live progress line. This
// decorator captures the parent's stdout and stderr while the backend is created and while each
// call runs, into the same CapturedOutput as the workers' output.
#pragma once

#include <functional>
#include <memory>

#include "backends/isolation/captured_output.h"
#include "backends/numeric_backend.h"

namespace convcheck {

using NumericFactory = std::function<std::shared_ptr<NumericBackend>()>;

// A factory whose backends print into `sink` instead of the terminal; `factory` itself when
// `sink` is null. The backend it returns is null when `factory`'s is.
NumericFactory CapturingNumericFactory(NumericFactory factory, std::shared_ptr<CapturedOutput> sink);

}  // namespace convcheck
