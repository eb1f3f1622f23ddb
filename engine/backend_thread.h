// The one thread that runs the engine's batched backend calls while the calling thread judges
// (engine/pending_batch.h). It lives as long as the process: an isolated worker is forked by
// whichever thread asks for it and is set to die with that thread (PR_SET_PDEATHSIG fires when
// the forking *thread* ends), so a thread per batch would kill the workers it spawned as soon as
// its batch was done.
#pragma once

#include <functional>
#include <future>

namespace convcheck {

// Queues `task` on the backend thread (started on first use); tasks run one at a time, in the
// order they were queued. The future is ready when `task` has run; it carries what it threw.
std::shared_future<void> RunOnBackendThread(std::function<void()> task);

}  // namespace convcheck
