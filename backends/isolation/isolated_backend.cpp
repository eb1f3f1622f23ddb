// The parent side of crash isolation: worker slots, the dispatch loop, and turning a dead or
// silent worker into an outcome for exactly the case it was running.
#include "backends/isolation/isolated_backend.h"
#include "backends/isolation/process_state_lock.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <deque>
#include <iostream>

#include "backends/isolation/wire.h"
#include "backends/isolation/worker.h"

namespace convcheck {
namespace {

using Clock = std::chrono::steady_clock;
using isolation::kHello;
using isolation::kOutcome;
using isolation::kRequest;

// "5", "0.5": a limit as the user wrote it, not "5.000000".
std::string FormatSeconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

// A worker process and what it has been asked but has not answered yet.
struct Slot {
  pid_t pid = -1;
  int fd = -1;
  std::string inbox;            // bytes received, not yet parsed into frames
  std::deque<size_t> pending;   // batch indices sent to it, in order
  Clock::time_point deadline;   // when the case at pending.front() times out
  int output_fd = -1;           // memory file holding the worker's stdout and stderr
  off_t output_read = 0;        // bytes of it already read
  std::string output_pending;   // its last, unfinished line
  bool alive() const { return pid > 0; }
};

// Past this many bytes read, a worker's memory file is emptied so a chatty library cannot fill
// memory; a line printed while it is emptied may be lost.
constexpr off_t kOutputFileLimit = off_t{1} << 20;

// Reads what the worker printed since the last call into `sink`.
void DrainOutput(Slot& s, CapturedOutput& sink) {
  if (s.output_fd < 0) return;
  std::lock_guard<std::recursive_mutex> lock(isolation::ProcessStateLock());
  struct stat st {};
  if (fstat(s.output_fd, &st) != 0) return;
  char buf[65536];
  while (s.output_read < st.st_size) {
    const ssize_t k = pread(s.output_fd, buf, sizeof buf, s.output_read);
    if (k <= 0) break;
    sink.Append(std::string_view(buf, static_cast<size_t>(k)), &s.output_pending);
    s.output_read += k;
  }
  if (s.output_read >= kOutputFileLimit && ftruncate(s.output_fd, 0) == 0) {
    lseek(s.output_fd, 0, SEEK_SET);  // the worker shares this offset (the same open file)
    s.output_read = 0;
  }
}

// Closes the slot and reaps its process (killing it first when asked); returns why it ended.
std::string Reap(Slot& s, bool kill_first, CapturedOutput& sink) {
  std::lock_guard<std::recursive_mutex> lock(isolation::ProcessStateLock());
  if (s.fd >= 0) close(s.fd);
  s.fd = -1;
  std::string why = "worker vanished";
  if (s.pid > 0) {
    if (kill_first) kill(s.pid, SIGKILL);
    int status = 0;
    while (waitpid(s.pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status)) why = SignalName(WTERMSIG(status));
    else if (WIFEXITED(status)) why = "worker exited with status " + std::to_string(WEXITSTATUS(status));
  }
  s.pid = -1;
  s.inbox.clear();
  DrainOutput(s, sink);
  sink.EndOf(&s.output_pending);
  if (s.output_fd >= 0) close(s.output_fd);
  s.output_fd = -1;
  s.output_read = 0;
  return why;
}

}  // namespace

std::string SignalName(int n) {
  switch (n) {
    case SIGSEGV: return "SIGSEGV";
    case SIGFPE: return "SIGFPE";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGTRAP: return "SIGTRAP";
    case SIGSYS: return "SIGSYS";
    case SIGXCPU: return "SIGXCPU";
    case SIGPIPE: return "SIGPIPE";
    default: return "signal " + std::to_string(n);
  }
}

struct IsolatedBackend::Impl {
  BackendFactory factory;
  IsolationOptions opts;
  std::vector<Slot> slots;
  bool have_info = false;
  std::string name = "unavailable", version;
  std::vector<Device> devices;
  int64_t started = 0;
  std::string startup_error;  // why the last worker that failed to start was unhealthy
  bool hello_timed_out = false;
  std::shared_ptr<CapturedOutput> captured;  // never null

  // Creating the backend and running the canary case may load a framework, so a worker gets at
  // least 10 s; a worker starved by --rlimit-mb deadlocks (LibTorch 1.13 waits on a futex), so
  // it does not get the 120 s it once did, and a too-small limit is refused within a case timeout.
  int StartupMs() const { return static_cast<int>(std::max(10.0, opts.case_timeout_s) * 1000); }

  // State of one RunBatch call.
  const std::vector<ConvCase>* batch = nullptr;
  std::vector<BackendOutcome> out;
  // Set for a batch of recipe calls: pads[i] belongs to case i (RunPadded, RunPaddedBatch).
  const std::vector<std::vector<PadPair>>* pads = nullptr;
  std::deque<size_t> todo;
  size_t done = 0;

  bool Spawn(Slot& s);
  bool ReadHello(Slot& s);
  void EnsureInfo();
  void Finish(size_t index, BackendOutcome o) {
    out[index] = std::move(o);
    ++done;
  }
  void Fail(Slot& s, BackendOutcome for_current, bool kill_first);
  // Seconds the case at batch index `i` may run.
  double LimitFor(size_t i) const {
    return opts.known_hangs ? opts.known_hangs->For((*batch)[i], opts.case_timeout_s) : opts.case_timeout_s;
  }
  // Starts the clock of the case `s` runs now (its oldest pending one).
  void StartClock(Slot& s) const {
    s.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(LimitFor(s.pending.front())));
  }
  void Assign(const std::vector<ConvCase>& cases, size_t chunk);
  void Collect(Slot& s);
  void WaitOnce();
};

bool IsolatedBackend::Impl::Spawn(Slot& s) {
  std::lock_guard<std::recursive_mutex> lock(isolation::ProcessStateLock());
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return false;
  // Without a memory file (memfd_create refused) the worker prints where the parent does.
  s.output_fd = memfd_create("convcheck-worker-output", MFD_CLOEXEC);
  s.output_read = 0;
  // What the parent has buffered must not be printed a second time, by the child.
  std::cout.flush();
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    close(sv[0]);
    close(sv[1]);
    if (s.output_fd >= 0) close(s.output_fd);
    s.output_fd = -1;
    return false;
  }
  if (pid == 0) {
    close(sv[0]);
    for (const Slot& other : slots) {
      if (other.fd >= 0) close(other.fd);  // so each worker's EOF depends on the parent alone
      if (other.output_fd >= 0 && &other != &s) close(other.output_fd);
    }
    isolation::WorkerMain(sv[1], factory, opts.rlimit_mb, s.output_fd);
  }
  close(sv[1]);
  s.pid = pid;
  s.fd = sv[0];
  ++started;
  if (!ReadHello(s)) {
    // A worker that died before its hello (its canary case killed it) is reaped as it is, so
    // the reason names its signal rather than our SIGKILL.
    const std::string why = Reap(s, /*kill_first=*/hello_timed_out, *captured);
    if (startup_error.empty()) {
      startup_error = hello_timed_out ? "a worker did not finish its canary case within " + std::to_string(StartupMs() / 1000) + " s"
                                      : "a worker died before its canary case passed (" + why + ")";
    }
    return false;
  }
  fcntl(s.fd, F_SETFL, fcntl(s.fd, F_GETFL) | O_NONBLOCK);
  return true;
}

// The hello proves the backend was created; it also tells the parent the backend's identity.
bool IsolatedBackend::Impl::ReadHello(Slot& s) {
  pollfd p{s.fd, POLLIN, 0};
  hello_timed_out = poll(&p, 1, StartupMs()) <= 0;
  if (hello_timed_out) return false;
  std::string payload;
  if (!wire::ReceiveFrame(s.fd, &payload)) return false;
  wire::Reader r(payload);
  uint8_t tag = 0;
  std::string health, n, v;
  Dims devs;
  if (!r.U8(&tag) || tag != kHello || !r.Str(&health) || !r.Str(&n) || !r.Str(&v) || !r.DimList(&devs)) return false;
  if (!health.empty()) {
    startup_error = health;
    return false;
  }
  if (!have_info) {
    name = n;
    version = v;
    for (int64_t d : devs) devices.push_back(static_cast<Device>(d));
    have_info = true;
  }
  return true;
}

void IsolatedBackend::Impl::EnsureInfo() {
  if (!have_info && !slots[0].alive()) Spawn(slots[0]);
}

// The worker died or hung: the case it was running gets `for_current`, the cases queued behind
// it go back to the front of the queue for a fresh worker.
void IsolatedBackend::Impl::Fail(Slot& s, BackendOutcome for_current, bool kill_first) {
  const std::string why = Reap(s, kill_first, *captured);
  if (s.pending.empty()) return;
  if (for_current.message.empty()) for_current.message = why;
  Finish(s.pending.front(), std::move(for_current));
  s.pending.pop_front();
  while (!s.pending.empty()) {
    todo.push_front(s.pending.back());
    s.pending.pop_back();
  }
}

void IsolatedBackend::Impl::Assign(const std::vector<ConvCase>& cases, size_t chunk) {
  for (Slot& s : slots) {
    if (todo.empty()) return;
    if (!s.pending.empty()) continue;
    if (!s.alive() && !Spawn(s)) {
      Finish(todo.front(), BackendOutcome::Crashed("worker could not start"));
      todo.pop_front();
      continue;
    }
    const size_t take = std::min(chunk, todo.size());
    wire::Writer w;
    w.U8(kRequest);
    w.I64(static_cast<int64_t>(take));
    for (size_t k = 0; k < take; ++k) {
      s.pending.push_back(todo.front());
      todo.pop_front();
      PutCase(w, cases[s.pending.back()]);
      w.U8(pads ? 1 : 0);
      if (pads) {
        const std::vector<PadPair>& mine = (*pads)[s.pending.back()];
        w.I64(static_cast<int64_t>(mine.size()));
        for (const PadPair& p : mine) {
          w.I64(p.left);
          w.I64(p.right);
        }
      }
    }
    StartClock(s);
    if (!wire::SendFrame(s.fd, w.bytes())) Fail(s, BackendOutcome::Crashed(""), true);
  }
}

// Reads what a worker has sent; each complete outcome frame answers its oldest pending case.
void IsolatedBackend::Impl::Collect(Slot& s) {
  char buf[65536];
  bool eof = false;
  while (true) {
    const ssize_t k = read(s.fd, buf, sizeof buf);
    if (k > 0) {
      s.inbox.append(buf, static_cast<size_t>(k));
      continue;
    }
    if (k < 0 && errno == EINTR) continue;
    eof = (k == 0) || (errno != EAGAIN && errno != EWOULDBLOCK);
    break;
  }
  std::string payload;
  while (!s.pending.empty() && wire::TakeFrame(&s.inbox, &payload)) {
    wire::Reader r(payload);
    uint8_t tag = 0;
    BackendOutcome o;
    if (!r.U8(&tag) || tag != kOutcome || !wire::GetOutcome(r, &o)) {
      Fail(s, BackendOutcome::Crashed("corrupt reply from worker"), true);
      return;
    }
    Finish(s.pending.front(), std::move(o));
    s.pending.pop_front();
    if (!s.pending.empty()) StartClock(s);
  }
  if (eof) Fail(s, BackendOutcome::Crashed(""), false);
}

void IsolatedBackend::Impl::WaitOnce() {
  std::vector<pollfd> fds;
  std::vector<Slot*> busy;
  Clock::time_point first = Clock::time_point::max();
  for (Slot& s : slots) {
    if (s.pending.empty()) continue;
    fds.push_back({s.fd, POLLIN, 0});
    busy.push_back(&s);
    first = std::min(first, s.deadline);
  }
  if (busy.empty()) return;
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(first - Clock::now());
  const int ms = static_cast<int>(std::max<int64_t>(0, wait.count()) + 1);
  if (poll(fds.data(), fds.size(), ms) < 0 && errno != EINTR) return;
  for (size_t i = 0; i < busy.size(); ++i) {
    if (fds[i].revents != 0) Collect(*busy[i]);
  }
  for (Slot* s : busy) {
    if (!s->pending.empty() && Clock::now() >= s->deadline) {
      const double limit = LimitFor(s->pending.front());
      const std::string why = limit < opts.case_timeout_s ? "the known hang's per-case limit of " : "per-case limit of ";
      Fail(*s, BackendOutcome::TimedOut(why + FormatSeconds(limit) + " s"), /*kill_first=*/true);
    }
  }
}

IsolatedBackend::IsolatedBackend(BackendFactory factory, IsolationOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->factory = std::move(factory);
  impl_->opts = options;
  impl_->opts.jobs = std::max(1, options.jobs);
  impl_->opts.chunk = std::max(1, options.chunk);
  impl_->slots.resize(static_cast<size_t>(impl_->opts.jobs));
  impl_->captured = options.captured ? options.captured : std::make_shared<CapturedOutput>();
}

IsolatedBackend::~IsolatedBackend() {
  for (Slot& s : impl_->slots) {
    if (s.alive()) Reap(s, /*kill_first=*/true, *impl_->captured);
  }
}

std::string IsolatedBackend::Name() const {
  impl_->EnsureInfo();
  return impl_->name;
}

std::string IsolatedBackend::Version() const {
  impl_->EnsureInfo();
  return impl_->version;
}

std::vector<Device> IsolatedBackend::Devices() const {
  impl_->EnsureInfo();
  return impl_->devices;
}

int64_t IsolatedBackend::WorkersStarted() const { return impl_->started; }

const CapturedOutput& IsolatedBackend::Captured() const { return *impl_->captured; }

std::string IsolatedBackend::StartupProblem() {
  impl_->EnsureInfo();
  if (impl_->have_info) return "";
  std::string why = impl_->startup_error.empty() ? "no worker could start" : impl_->startup_error;
  // The worker's own last words (a library's error) are the likeliest explanation.
  const auto& lines = impl_->captured->Lines();
  if (!lines.empty()) why += "; the worker printed: " + lines.back().text;
  return why;
}

BackendOutcome IsolatedBackend::Run(const ConvCase& c) { return RunBatch({c}).front(); }

BackendOutcome IsolatedBackend::RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) {
  return RunPaddedBatch({PaddedCall{c, pads}}).front();
}

std::vector<BackendOutcome> IsolatedBackend::RunPaddedBatch(const std::vector<PaddedCall>& calls) {
  std::vector<ConvCase> cases;
  std::vector<std::vector<PadPair>> pads;
  cases.reserve(calls.size());
  pads.reserve(calls.size());
  for (const PaddedCall& call : calls) {
    cases.push_back(call.c);
    pads.push_back(call.pads);
  }
  impl_->pads = &pads;
  std::vector<BackendOutcome> out = RunBatch(cases);
  impl_->pads = nullptr;
  return out;
}

std::vector<BackendOutcome> IsolatedBackend::RunBatch(const std::vector<ConvCase>& cases) {
  Impl& m = *impl_;
  m.batch = &cases;
  m.out.assign(cases.size(), BackendOutcome{});
  m.todo.clear();
  for (size_t i = 0; i < cases.size(); ++i) m.todo.push_back(i);
  m.done = 0;
  const size_t per_worker = (cases.size() + m.slots.size() - 1) / m.slots.size();
  const size_t chunk = std::clamp<size_t>(per_worker, 1, static_cast<size_t>(m.opts.chunk));
  while (m.done < cases.size()) {
    m.Assign(cases, chunk);
    m.WaitOnce();
  }
  for (Slot& s : m.slots) DrainOutput(s, *m.captured);
  return std::move(m.out);
}

}  // namespace convcheck
