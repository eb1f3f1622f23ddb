// Crash isolation for the numeric properties: a NumericBackend decorator that runs every call of
// another numeric backend in a forked worker process, one call at a time. The framework then
// never runs in the process that judges the run: a numeric call that kills its worker (oneDNN's
// bfloat16 convolution_backward segfaults on some CPUs) becomes that check's crash verdict, one
// that runs past its limit a timeout, and the next call starts a fresh worker.
#pragma once

#include <memory>

#include "backends/isolation/case_time_limit.h"
#include "backends/numeric_backend.h"

namespace convcheck {

// A factory whose backend forwards every call to a worker process in which `factory` made the
// real one. The worker starts when the factory is first called (a run that samples no numeric
// check never starts one) and again on the first call after a crash or a timeout; each call may
// run `call_timeout_s` seconds. The factory and its copies hand out that one backend while it
// lives. Null when the worker's `factory` returned null (no such plugin). A call on a case of a
// family known to hang gets `known_hangs`' shorter limit instead (null: every call gets
// call_timeout_s), as the shape workers' cases do.
// Create it, and call it, under the parent's usual capture (CapturingNumericFactory outside
// this one): the worker inherits the captured stdout and stderr.
NumericFactory IsolatedNumericFactory(NumericFactory factory, double call_timeout_s,
                                      std::shared_ptr<const CaseTimeLimit> known_hangs = nullptr);

}  // namespace convcheck
