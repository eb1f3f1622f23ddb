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

// A factory whose backends hold the process-state lock (process_state_lock.h) through each call
// and, when `sink` is set, print into it instead of the terminal. Every numeric backend of a run
// goes through it: OpenCV's forks a child per forward, and a worker forked by the engine's
// backend thread meanwhile would inherit that child's pipe and the forward would never see EOF.
// The backend it returns is null when `factory`'s is.
NumericFactory CapturingNumericFactory(NumericFactory factory, std::shared_ptr<CapturedOutput> sink);

}  // namespace convcheck
