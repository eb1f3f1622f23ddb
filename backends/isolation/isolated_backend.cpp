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
#include <csignal>
#include <cstdio>
#include <deque>
#include <iostream>

#include "backends/isolation/wire.h"
#include "backends/isolation/worker.h"

namespace convcheck {
namespace {

using isolation::kHello;
using isolation::kOutcomes;
using isolation::kRequest;
using isolation::MonotonicMicros;
using isolation::WorkerProgress;

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
  std::deque<size_t> pending;   // batch indices of its request not answered yet, in order
  size_t answered = 0;          // cases of its request answered so far
  // Per position in its request: the case's limit (s), and the shortest limit of the cases
  // after it, which bounds how long the parent may sleep without looking at the page again.
  std::vector<double> limits, later_min;
  WorkerProgress* progress = nullptr;  // shared page: which of them it runs, since when
  int output_fd = -1;           // memory file holding the worker's stdout and stderr
  off_t output_read = 0;        // bytes of it already read
  std::string output_pending;   // its last, unfinished line
  // Forked, its hello (the canary case's verdict) not read yet: it gets no request until then,
  // and the parent waits for the hello alongside the other workers' replies, so a respawn
  // after a crash does not stall the workers that are running cases.
  bool starting = false;
  uint64_t hello_deadline_us = 0;
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
  if (s.fd >= 0) {
    isolation::RemoveParentEnd(s.fd);
    close(s.fd);
  }
  s.fd = -1;
  const std::string why = EndProcess(s.pid, kill_first);
  s.pid = -1;
  s.inbox.clear();
  isolation::UnmapWorkerProgress(s.progress);
  s.progress = nullptr;
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

std::string EndProcess(int pid, bool kill_first) {
  if (pid <= 0) return "worker vanished";
  if (kill_first) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) return SignalName(WTERMSIG(status));
  if (WIFEXITED(status)) return "worker exited with status " + std::to_string(WEXITSTATUS(status));
  return "worker vanished";
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

  // Forks a worker into `s`, left starting until FinishStarting reads its hello (false when
  // the fork failed).
  bool Spawn(Slot& s);
  // Workers forked ahead, starting or ready, for slots whose worker dies. Every fork makes the
  // parent's writable pages copy-on-write again, and the parent then re-faults each page it
  // writes (17% of its in-run CPU in a default run, with ~20 crashes and timeouts, perf). Forking
  // the replacement and kSpares more at once pays those faults once for all of them; a spare
  // also runs its canary case while it waits, so a crash's replacement answers at once.
  static constexpr size_t kSpares = 3;
  std::vector<Slot> spares;
  // Puts a worker into `s`: a spare when there is one, else a fork (and, on a respawn, the
  // spares with it). False when no worker could be forked.
  bool Fill(Slot& s);
  bool ReadHello(Slot& s);
  // Reads a starting worker's hello, waiting for it up to its deadline; a worker that failed
  // it is reaped, and the first case waiting to run gets "worker could not start", so a
  // backend that cannot start still ends every batch.
  void FinishStarting(Slot& s);
  void EnsureInfo();
  void Finish(size_t index, BackendOutcome o) {
    out[index] = std::move(o);
    ++done;
  }
  void Fail(Slot& s, BackendOutcome for_current, bool kill_first);
  // Seconds the case at batch index `i` may run (looked up once per batch: the lookup matches
  // the case against the known deviations' families).
  std::vector<double> case_limits;
  double LimitFor(size_t i) const { return case_limits[i]; }
  // The case `s` is running (its position in `pending`, as the worker published it), the time,
  // in MonotonicMicros, at which that case's own limit runs out, and when the parent must look
  // again at the latest: the worker moves on without waking it, and a later case may have a
  // shorter limit (a known hang) than the one running now.
  struct Running {
    size_t position = 0;
    double limit_s = 0;
    uint64_t deadline_us = 0;
    uint64_t look_again_us = 0;
  };
  Running RunningCase(const Slot& s, uint64_t now_us) const {
    const WorkerProgress::Snapshot page = s.progress->Read();
    // The worker publishes a case before it sends the outcomes before it, so the published
    // position is never behind what was answered; the clamps only guard a corrupt page.
    const size_t in_request = std::clamp(page.position, s.answered, s.answered + s.pending.size() - 1);
    Running r;
    r.position = in_request - s.answered;
    r.limit_s = s.limits[in_request];
    r.deadline_us = page.start_us + static_cast<uint64_t>(r.limit_s * 1e6);
    r.look_again_us = std::min(r.deadline_us, now_us + static_cast<uint64_t>(s.later_min[in_request] * 1e6));
    return r;
  }
  // Sends each idle worker a request: a known hang alone, else RequestSize's share, at least
  // `smallest` cases.
  void Assign(const std::vector<ConvCase>& cases, size_t smallest);
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
  s.progress = isolation::MapWorkerProgress();
  auto undo = [&] {
    close(sv[0]);
    close(sv[1]);
    if (s.output_fd >= 0) close(s.output_fd);
    s.output_fd = -1;
    isolation::UnmapWorkerProgress(s.progress);
    s.progress = nullptr;
    return false;
  };
  if (!s.progress) return undo();
  // What the parent has buffered must not be printed a second time, by the child.
  std::cout.flush();
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return undo();
  if (pid == 0) {
    close(sv[0]);
    isolation::CloseParentEnds();  // so each worker's EOF depends on the parent alone
    for (const std::vector<Slot>* group : {&slots, &spares}) {
      for (const Slot& other : *group) {
        if (&other == &s) continue;
        if (other.output_fd >= 0) close(other.output_fd);
        isolation::UnmapWorkerProgress(other.progress);
      }
    }
    isolation::WorkerMain(sv[1], factory, opts.rlimit_mb, s.output_fd, s.progress);
  }
  close(sv[1]);
  s.pid = pid;
  s.fd = sv[0];
  isolation::AddParentEnd(s.fd);
  s.starting = true;
  s.hello_deadline_us = MonotonicMicros() + static_cast<uint64_t>(StartupMs()) * 1000;
  return true;
}

bool IsolatedBackend::Impl::Fill(Slot& s) {
  if (!spares.empty()) {
    s = std::move(spares.back());
    spares.pop_back();
    // It has had its canary case since it was forked; its hello is most likely waiting already.
    s.hello_deadline_us = MonotonicMicros() + static_cast<uint64_t>(StartupMs()) * 1000;
  } else {
    const bool respawn = started >= static_cast<int64_t>(slots.size());
    if (!Spawn(s)) return false;
    // A batch that lost one worker tends to lose more (the extreme generator's crashes).
    for (size_t k = 0; respawn && k < kSpares; ++k) {
      spares.emplace_back();
      if (!Spawn(spares.back())) {
        spares.pop_back();
        break;
      }
    }
  }
  ++started;
  return true;
}

void IsolatedBackend::Impl::FinishStarting(Slot& s) {
  s.starting = false;
  // ReadHello waits for the hello (at once when WaitOnce saw it readable); past the deadline
  // the worker has taken too long already.
  if (MonotonicMicros() >= s.hello_deadline_us) {
    hello_timed_out = true;
  } else if (ReadHello(s)) {
    fcntl(s.fd, F_SETFL, fcntl(s.fd, F_GETFL) | O_NONBLOCK);
    return;
  }
  // A worker that died before its hello (its canary case killed it) is reaped as it is, so
  // the reason names its signal rather than our SIGKILL.
  const std::string why = Reap(s, /*kill_first=*/hello_timed_out, *captured);
  if (startup_error.empty()) {
    startup_error = hello_timed_out ? "a worker did not finish its canary case within " + std::to_string(StartupMs() / 1000) + " s"
                                    : "a worker died before its canary case passed (" + why + ")";
  }
  if (!todo.empty()) {
    Finish(todo.front(), BackendOutcome::Crashed("worker could not start"));
    todo.pop_front();
  }
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
  // Outside a batch no worker is starting (RunBatch settles them), and no case waits to run.
  if (!have_info && !slots[0].alive() && Fill(slots[0])) FinishStarting(slots[0]);
}

// The worker died or hung: the case it was running (as it published) gets `for_current`; the
// other unanswered cases of its request go back to the front of the queue, in order, for a
// fresh worker. Those among them it had finished run again: their outcomes died with it.
void IsolatedBackend::Impl::Fail(Slot& s, BackendOutcome for_current, bool kill_first) {
  const size_t running = s.pending.empty() || !s.progress ? 0 : RunningCase(s, MonotonicMicros()).position;
  const std::string why = Reap(s, kill_first, *captured);
  if (s.pending.empty()) return;
  if (for_current.message.empty()) for_current.message = why;
  Finish(s.pending[running], std::move(for_current));
  s.pending.erase(s.pending.begin() + static_cast<std::ptrdiff_t>(running));
  while (!s.pending.empty()) {
    todo.push_front(s.pending.back());
    s.pending.pop_back();
  }
}

void IsolatedBackend::Impl::Assign(const std::vector<ConvCase>& cases, size_t smallest) {
  for (Slot& s : slots) {
    if (todo.empty()) return;
    if (!s.pending.empty() || s.starting) continue;
    if (!s.alive()) {
      if (!Fill(s)) {
        Finish(todo.front(), BackendOutcome::Crashed("worker could not start"));
        todo.pop_front();
      }
      continue;  // its hello comes through WaitOnce
    }
    // A case known to hang goes alone: the cases behind it in a request would wait out its limit.
    const size_t take = LimitFor(todo.front()) < opts.case_timeout_s
                            ? 1
                            : RequestSize(todo.size(), slots.size(), smallest);
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
    // The worker publishes each case as it starts it; until it starts the first, the clock of
    // the first runs from now.
    s.answered = 0;
    s.limits.resize(s.pending.size());
    s.later_min.assign(s.pending.size(), opts.case_timeout_s);
    for (size_t k = 0; k < s.pending.size(); ++k) s.limits[k] = LimitFor(s.pending[k]);
    for (size_t k = s.pending.size() - 1; k > 0; --k) s.later_min[k - 1] = std::min(s.later_min[k], s.limits[k]);
    s.progress->Publish(0, MonotonicMicros());
    if (!wire::SendFrame(s.fd, w.bytes())) Fail(s, BackendOutcome::Crashed(""), true);
  }
}

// Reads what a worker has sent; each outcomes frame answers the oldest cases of its request.
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
    int64_t count = 0;
    std::vector<BackendOutcome> outcomes;
    bool ok = r.U8(&tag) && tag == kOutcomes && r.I64(&count) && count >= 1 &&
              count <= static_cast<int64_t>(s.pending.size());
    for (int64_t i = 0; ok && i < count; ++i) {
      outcomes.emplace_back();
      ok = wire::GetOutcome(r, &outcomes.back());
    }
    if (!ok) {
      Fail(s, BackendOutcome::Crashed("corrupt reply from worker"), true);
      return;
    }
    for (BackendOutcome& o : outcomes) {
      Finish(s.pending.front(), std::move(o));
      s.pending.pop_front();
      ++s.answered;
    }
  }
  if (eof) Fail(s, BackendOutcome::Crashed(""), false);
}

void IsolatedBackend::Impl::WaitOnce() {
  std::vector<pollfd> fds;
  std::vector<Slot*> busy;
  uint64_t first = UINT64_MAX;
  const uint64_t now = MonotonicMicros();
  for (Slot& s : slots) {
    if (s.pending.empty() && !s.starting) continue;
    fds.push_back({s.fd, POLLIN, 0});
    busy.push_back(&s);
    first = std::min(first, s.starting ? s.hello_deadline_us : RunningCase(s, now).look_again_us);
  }
  if (busy.empty()) return;
  const int ms = static_cast<int>(std::min<uint64_t>(first > now ? (first - now) / 1000 : 0, 3600 * 1000) + 1);
  if (poll(fds.data(), fds.size(), ms) < 0 && errno != EINTR) return;
  for (size_t i = 0; i < busy.size(); ++i) {
    Slot& s = *busy[i];
    if (s.starting) {
      if (fds[i].revents != 0 || MonotonicMicros() >= s.hello_deadline_us) FinishStarting(s);
    } else if (fds[i].revents != 0) {
      Collect(s);
    }
  }
  for (Slot* s : busy) {
    if (s->pending.empty() || s->starting) continue;
    const uint64_t checked = MonotonicMicros();
    const Running running = RunningCase(*s, checked);
    if (checked >= running.deadline_us) {
      const double limit = running.limit_s;
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
  impl_->opts.min_chunk = std::clamp(options.min_chunk, 1, static_cast<int>(isolation::kMaxRequestCases));
  impl_->slots.resize(static_cast<size_t>(impl_->opts.jobs));
  impl_->captured = options.captured ? options.captured : std::make_shared<CapturedOutput>();
}

IsolatedBackend::~IsolatedBackend() {
  for (Slot& s : impl_->slots) {
    if (s.alive()) Reap(s, /*kill_first=*/true, *impl_->captured);
  }
  // A spare that never served printed only what every worker prints as it starts, and ran no
  // case: its output is not the run's.
  CapturedOutput unused;
  for (Slot& s : impl_->spares) Reap(s, /*kill_first=*/true, unused);
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

size_t RequestSize(size_t left, size_t workers, size_t smallest) {
  workers = std::max<size_t>(workers, 1);
  const size_t share = (left + workers - 1) / workers;
  return std::min({left, std::max({(share + 1) / 2, smallest, size_t{1}}), isolation::kMaxRequestCases});
}

std::vector<BackendOutcome> IsolatedBackend::RunBatch(const std::vector<ConvCase>& cases) {
  Impl& m = *impl_;
  m.batch = &cases;
  m.out.assign(cases.size(), BackendOutcome{});
  m.todo.clear();
  m.case_limits.assign(cases.size(), m.opts.case_timeout_s);
  for (size_t i = 0; i < cases.size(); ++i) {
    if (m.opts.known_hangs) m.case_limits[i] = m.opts.known_hangs->For(cases[i], m.opts.case_timeout_s);
    // A case of a family known to hang goes first: it holds its worker for its whole limit,
    // and at the front of the batch the other workers run the rest meanwhile, where at the end
    // they would wait for it with nothing to do.
    if (m.case_limits[i] < m.opts.case_timeout_s) m.todo.push_front(i);
    else m.todo.push_back(i);
  }
  m.done = 0;
  // A batch smaller than min_chunk per worker is still spread over all of them.
  const size_t per_worker = (cases.size() + m.slots.size() - 1) / m.slots.size();
  const size_t smallest = std::clamp<size_t>(per_worker, 1, static_cast<size_t>(m.opts.min_chunk));
  while (m.done < cases.size()) {
    m.Assign(cases, smallest);
    m.WaitOnce();
  }
  // No worker is left half-started between batches: what it prints while it starts belongs to
  // this batch's output, and the count of workers started matches the workers that answered.
  for (Slot& s : m.slots) {
    if (s.starting) m.FinishStarting(s);
    DrainOutput(s, *m.captured);
  }
  return std::move(m.out);
}

}  // namespace convcheck
