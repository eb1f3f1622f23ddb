// The engine's two helper threads (engine/pending_batch.h): one runs the batched backend calls,
// the other the numeric checks, while the calling thread judges. Each lives as long as the
// process: an isolated worker is forked by whichever thread asks for it and is set to die with
// that thread (PR_SET_PDEATHSIG fires when the forking *thread* ends), so a thread per batch
// would kill the workers it spawned as soon as its batch was done.
#pragma once

#include <functional>
#include <future>

namespace convcheck {

// Queues `task` on the backend thread (started on first use); tasks run one at a time, in the
// order they were queued. The future is ready when `task` has run; it carries what it threw.
std::shared_future<void> RunOnBackendThread(std::function<void()> task);

// The same for the numeric thread: the numeric checks wait for their worker's answers, so they
// wait there, and the judging thread goes on with the base properties meanwhile.
std::shared_future<void> RunOnNumericThread(std::function<void()> task);

}  // namespace convcheck
