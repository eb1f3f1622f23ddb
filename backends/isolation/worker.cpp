#include "backends/isolation/worker.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <exception>
#include <new>
#include <optional>
#include <vector>

#include "backends/isolation/peak_memory.h"
#include "backends/isolation/wire.h"

namespace convcheck::isolation {
namespace {

bool g_memory_limited = false;  // set once, before the backend exists, by LimitResources

// Bytes currently mapped (VmSize), from /proc/self/statm; 0 when unreadable.
uint64_t MappedBytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long long pages = 0;
  const int n = std::fscanf(f, "%llu", &pages);
  std::fclose(f);
  return n == 1 ? pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) : 0;
}

void LimitResources(uint64_t rlimit_mb) {
  if (rlimit_mb == 0) return;
  const uint64_t limit = MappedBytes() + (rlimit_mb << 20);
  const rlimit as{limit, limit};
  g_memory_limited = setrlimit(RLIMIT_AS, &as) == 0;
}

// An allocation our own RLIMIT_AS refused says nothing about the framework: with the limit on,
// LibTorch's "can't allocate memory" and std::bad_alloc are a skip with that reason, never a
// divergence (issue #16: --rlimit-mb 64 turned tiny cases into "LibTorch" findings).
bool RefusedByOurLimit(const std::string& message) {
  return g_memory_limited && (message.find("can't allocate memory") != std::string::npos ||
                              message.find("Cannot allocate memory") != std::string::npos ||
                              message.find("bad_alloc") != std::string::npos);
}

const char* const kMemoryLimitSkip = "memory limit (--rlimit-mb refused an allocation)";

// A backend must not throw; one that does has broken its contract the way a framework does when
// an exception escapes a noexcept boundary, so it is a crash, with the message kept.
BackendOutcome SafeRun(Backend* backend, const ConvCase& c, const std::vector<PadPair>* pads) {
  if (!backend) return BackendOutcome::Skipped("the worker could not create its backend (see `convcheck backends`)");
  try {
    BackendOutcome o = pads ? backend->RunPadded(c, *pads) : backend->Run(c);
    if (o.kind == BackendOutcome::Kind::kRejected && RefusedByOurLimit(o.message)) {
      return BackendOutcome::Skipped(kMemoryLimitSkip);
    }
    if (o.message.size() > 4096) o.message.resize(4096);  // keep frames small
    return o;
  } catch (const std::bad_alloc&) {
    if (g_memory_limited) return BackendOutcome::Skipped(kMemoryLimitSkip);
    return BackendOutcome::Crashed("uncaught exception: std::bad_alloc");
  } catch (const std::exception& e) {
    if (RefusedByOurLimit(e.what())) return BackendOutcome::Skipped(kMemoryLimitSkip);
    return BackendOutcome::Crashed(std::string("uncaught exception: ") + e.what());
  } catch (...) {
    return BackendOutcome::Crashed("uncaught exception of unknown type");
  }
}

// A worker proves it can run the smallest real case before any of its verdicts count: a
// 1x1x4x4 conv2d with a 3x3 kernel must come back as an answer (a shape or a rejection; whether
// the answer is right is the properties' business). A crash kills the worker before its hello;
// an escaping exception or an allocation our limit refused is reported here. "" when healthy.
std::string CanaryProblem(Backend* backend) {
  if (!backend) return "";  // a build without a backend has nothing to prove (its cases skip)
  ConvCase c = DefaultCase(Op::kConv2d, {1, 1, 4, 4}, 1);
  c.kernel = {3, 3};
  const BackendOutcome o = SafeRun(backend, c, nullptr);
  if (o.kind == BackendOutcome::Kind::kShape || o.kind == BackendOutcome::Kind::kRejected) return "";
  return "the canary case (conv2d 1x1x4x4, kernel 3) failed: " + o.message;
}

bool SendHello(int fd, Backend* backend) {
  wire::Writer w;
  w.U8(kHello);
  w.Str(CanaryProblem(backend));
  w.Str(backend ? backend->Name() : "none");
  w.Str(backend ? backend->Version() : "");
  Dims devices;
  if (backend) {
    for (Device d : backend->Devices()) devices.push_back(static_cast<int64_t>(d));
  }
  w.DimList(devices);
  return wire::SendFrame(fd, w.bytes());
}

// 20 ms: a crash re-runs at most that much finished work, and a worker wakes its parent at most
// 50 times a second (a request of small cases takes about a millisecond, so it sends once).
constexpr uint64_t kFlushAfterUs = 20000;

bool SendOutcomes(int fd, const std::vector<BackendOutcome>& outcomes) {
  wire::Writer w;
  w.U8(kOutcomes);
  w.I64(static_cast<int64_t>(outcomes.size()));
  for (const BackendOutcome& o : outcomes) wire::PutOutcome(w, o);
  return wire::SendFrame(fd, w.bytes());
}

struct Call {
  ConvCase c;
  std::optional<std::vector<PadPair>> pads;
};

bool ServeRequest(int fd, Backend* backend, WorkerProgress* progress, const std::string& payload) {
  wire::Reader r(payload);
  uint8_t tag = 0;
  int64_t count = 0;
  if (!r.U8(&tag) || tag != kRequest || !r.I64(&count) || count < 0 ||
      count > static_cast<int64_t>(kMaxRequestCases)) {
    return false;
  }
  std::vector<Call> calls(static_cast<size_t>(count));
  for (Call& call : calls) {
    uint8_t has_pads = 0;
    if (!GetCase(r, &call.c) || !r.U8(&has_pads)) return false;
    if (has_pads) {
      int64_t n = 0;
      if (!r.I64(&n) || n < 0 || n > 8) return false;
      call.pads.emplace(static_cast<size_t>(n));
      for (PadPair& p : *call.pads) {
        if (!r.I64(&p.left) || !r.I64(&p.right)) return false;
      }
    }
  }
  // Outcomes go back in one frame per request, so the parent wakes once per request rather than
  // once per case. A crash loses the outcomes not sent yet (their cases run again elsewhere), so
  // what has waited kFlushAfterUs goes back before the next case starts.
  std::vector<BackendOutcome> unsent;
  uint64_t oldest_unsent_us = 0;
  for (size_t i = 0; i < calls.size(); ++i) {
    const uint64_t now = MonotonicMicros();
    // Published first: when the parent reads the frame below, case i is already the running one.
    progress->Publish(i, now);
    if (!unsent.empty() && now - oldest_unsent_us >= kFlushAfterUs) {
      if (!SendOutcomes(fd, unsent)) return false;
      unsent.clear();
    }
    if (unsent.empty()) oldest_unsent_us = now;
    const PeakProbe probe;  // this worker runs one case at a time: its peak is the case's
    BackendOutcome o = SafeRun(backend, calls[i].c, calls[i].pads ? &*calls[i].pads : nullptr);
    o.peak_bytes = probe.GrowthBytes();
    unsent.push_back(std::move(o));
    // A library's printf to stdout is buffered (stdout is a file now); a later case's crash
    // would drop it, and it belongs to this case.
    std::fflush(nullptr);
  }
  return unsent.empty() || SendOutcomes(fd, unsent);
}

}  // namespace

void BecomeWorkerProcess() {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::signal(SIGINT, SIG_IGN);
  for (int s : {SIGSEGV, SIGFPE, SIGABRT, SIGBUS, SIGILL}) std::signal(s, SIG_DFL);
  const rlimit no_core{0, 0};  // crashing cases are expected; core files are not wanted
  setrlimit(RLIMIT_CORE, &no_core);
}

void WorkerMain(int fd, const BackendFactory& factory, uint64_t rlimit_mb, int output_fd, WorkerProgress* progress) {
  BecomeWorkerProcess();
  if (output_fd >= 0) {
    // The terminal (and a --json document on stdout) belong to the parent; what the framework
    // prints goes to the parent's memory file (dup2 clears close-on-exec; nothing execs here).
    dup2(output_fd, STDOUT_FILENO);
    dup2(output_fd, STDERR_FILENO);
    close(output_fd);
  }
  LimitResources(rlimit_mb);
  std::unique_ptr<Backend> backend = factory ? factory() : nullptr;
  std::fflush(nullptr);
  if (!SendHello(fd, backend.get())) _exit(0);
  std::string payload;
  while (wire::ReceiveFrame(fd, &payload)) {
    if (!ServeRequest(fd, backend.get(), progress, payload)) break;
  }
  // _exit: the parent's atexit handlers and buffered output belong to the parent.
  _exit(0);
}

}  // namespace convcheck::isolation
