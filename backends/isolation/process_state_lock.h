// One lock for the process-wide state that the engine's two threads share: fork(), the stdout
// and stderr descriptors and the CapturedOutput the workers and the numeric calls print into.
// The engine's backend thread spawns workers (fork) and reads their output while its judging
// thread runs LibTorch numeric calls with fds 1 and 2 redirected. Unguarded, a worker forked in
// the middle of a LibTorch call could inherit a lock that call holds and hang in its first op,
// the parent's buffered text could be flushed into the numeric capture, and two threads could
// append to one CapturedOutput. Recursive: reaping a worker that failed to start drains its
// output under the lock its spawn already holds.
#pragma once

#include <mutex>

namespace convcheck::isolation {

std::recursive_mutex& ProcessStateLock();

// The parent's ends of its workers' sockets (shape workers and the numeric worker). A child
// forked for one worker inherits every descriptor, and while it keeps another worker's end open
// that worker never sees EOF when the parent closes its own: it waits on, and so does the
// parent that reaps it. Register and unregister under ProcessStateLock (which every fork holds).
void AddParentEnd(int fd);
void RemoveParentEnd(int fd);
// In a child just forked (under the lock): closes every registered parent end.
void CloseParentEnds();

}  // namespace convcheck::isolation
