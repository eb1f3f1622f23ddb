// The parent's proxy and the worker's loop of IsolatedNumericFactory. One request at a time: a
// numeric check waits for its call anyway (on the engine's numeric thread, which runs the checks
// one after another), so a single worker, asked synchronously, keeps the framework out of the
// judging process without changing what runs when.
#include "backends/isolation/isolated_numeric.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>

#include "backends/isolation/isolated_backend.h"
#include "backends/isolation/process_state_lock.h"
#include "backends/isolation/wire.h"
#include "backends/isolation/worker.h"
#include "backends/isolation/worker_progress.h"

namespace convcheck {
namespace {

enum Tag : uint8_t { kHello = 1, kForward = 2, kGradients = 3, kReply = 4 };

// A worker that loads a framework may take a while before its hello.
constexpr double kStartSeconds = 60;

void PutTensor(Writer& w, const DoubleTensor& t) {
  w.DimList(t.shape);
  w.Str(std::string(reinterpret_cast<const char*>(t.data.data()), t.data.size() * sizeof(double)));
}

bool GetTensor(Reader& r, DoubleTensor* t) {
  std::string bytes;
  if (!r.DimList(&t->shape) || !r.Str(&bytes) || bytes.size() % sizeof(double) != 0) return false;
  t->data.resize(bytes.size() / sizeof(double));
  if (!bytes.empty()) std::memcpy(t->data.data(), bytes.data(), bytes.size());
  return true;
}

void PutData(Writer& w, const CaseData& d) {
  for (const DoubleTensor* t : {&d.input, &d.weight, &d.bias, &d.running_mean, &d.running_var}) PutTensor(w, *t);
}

bool GetData(Reader& r, CaseData* d) {
  for (DoubleTensor* t : {&d->input, &d->weight, &d->bias, &d->running_mean, &d->running_var}) {
    if (!GetTensor(r, t)) return false;
  }
  return true;
}

void PutNumericOutcome(Writer& w, const NumericOutcome& o) {
  w.U8(static_cast<uint8_t>(o.kind));
  PutTensor(w, o.output);
  PutTensor(w, o.input_grad);
  PutTensor(w, o.weight_grad);
  w.Str(o.message);
}

bool GetNumericOutcome(Reader& r, NumericOutcome* o) {
  uint8_t kind = 0;
  if (!r.U8(&kind) || kind > static_cast<uint8_t>(NumericOutcome::Kind::kTimedOut)) return false;
  o->kind = static_cast<NumericOutcome::Kind>(kind);
  return GetTensor(r, &o->output) && GetTensor(r, &o->input_grad) && GetTensor(r, &o->weight_grad) &&
         r.Str(&o->message);
}

// A backend must not throw (numeric_backend.h); one that does broke its contract the way a
// framework does when an exception escapes a noexcept boundary: a crash, with the message.
NumericOutcome Serve(NumericBackend& backend, const std::string& payload, bool* ok) {
  Reader r(payload);
  uint8_t tag = 0;
  ConvCase c;
  CaseData data;
  DoubleTensor grad_output;
  *ok = r.U8(&tag) && (tag == kForward || tag == kGradients) && GetCase(r, &c) && GetData(r, &data) &&
        (tag == kForward || GetTensor(r, &grad_output));
  if (!*ok) return {};
  try {
    return tag == kForward ? backend.Forward(c, data) : backend.Gradients(c, data, grad_output);
  } catch (const std::exception& e) {
    return NumericOutcome::Crashed(std::string("uncaught exception: ") + e.what());
  } catch (...) {
    return NumericOutcome::Crashed("uncaught exception of unknown type");
  }
}

[[noreturn]] void NumericWorkerMain(int fd, const NumericFactory& factory) {
  isolation::BecomeWorkerProcess();
  std::shared_ptr<NumericBackend> backend = factory ? factory() : nullptr;
  Writer hello;
  hello.U8(kHello);
  hello.U8(backend ? 1 : 0);
  hello.Str(backend ? backend->Name() : "");
  hello.U8(backend && backend->DeviceAvailable(Device::kCuda) ? 1 : 0);
  std::fflush(nullptr);
  if (!wire::SendFrame(fd, hello.bytes()) || !backend) _exit(0);
  std::string payload;
  while (wire::ReceiveFrame(fd, &payload)) {
    bool ok = false;
    const NumericOutcome o = Serve(*backend, payload, &ok);
    if (!ok) break;
    // What the framework printed belongs to this call: out before the reply lets the parent go on.
    std::fflush(nullptr);
    Writer reply;
    reply.U8(kReply);
    PutNumericOutcome(reply, o);
    if (!wire::SendFrame(fd, reply.bytes())) break;
  }
  _exit(0);
}

// Waits up to `seconds` for `fd` to be readable: false on a timeout.
bool Readable(int fd, double seconds) {
  const uint64_t deadline = isolation::MonotonicMicros() + static_cast<uint64_t>(seconds * 1e6);
  while (true) {
    const uint64_t now = isolation::MonotonicMicros();
    if (now >= deadline) return false;
    pollfd p{fd, POLLIN, 0};
    const int ms = static_cast<int>(std::min<uint64_t>((deadline - now) / 1000 + 1, 3600 * 1000));
    const int n = poll(&p, 1, ms);
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return true;  // let the read report it
  }
}

class IsolatedNumeric final : public NumericBackend {
 public:
  IsolatedNumeric(NumericFactory factory, double call_timeout_s, std::shared_ptr<const CaseTimeLimit> known_hangs)
      : factory_(std::move(factory)), timeout_s_(call_timeout_s), known_hangs_(std::move(known_hangs)) {}
  ~IsolatedNumeric() override { Stop(false); }
  IsolatedNumeric(const IsolatedNumeric&) = delete;
  IsolatedNumeric& operator=(const IsolatedNumeric&) = delete;

  // Starts the first worker; false when its factory made no backend. A worker that died while
  // starting leaves a backend whose calls report it (each starts another worker).
  bool Start() {
    const std::string problem = Spawn();
    if (!problem.empty()) name_ = "numeric worker (" + problem + ")";
    return !problem.empty() || available_;
  }

  std::string Name() const override { return name_; }
  bool DeviceAvailable(Device device) const override { return device == Device::kCpu || cuda_; }

  NumericOutcome Forward(const ConvCase& c, const CaseData& data) override {
    Writer w;
    w.U8(kForward);
    PutCase(w, c);
    PutData(w, data);
    return Call(w.bytes(), LimitFor(c));
  }
  NumericOutcome Gradients(const ConvCase& c, const CaseData& data, const DoubleTensor& grad_output) override {
    Writer w;
    w.U8(kGradients);
    PutCase(w, c);
    PutData(w, data);
    PutTensor(w, grad_output);
    return Call(w.bytes(), LimitFor(c));
  }

 private:
  // Forks a worker and reads its hello; "" when it is ready, else why not (the worker is gone).
  std::string Spawn() {
    std::lock_guard<std::recursive_mutex> lock(isolation::ProcessStateLock());
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return std::string("socketpair: ") + std::strerror(errno);
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) {
      close(fds[0]);
      close(fds[1]);
      return std::string("fork: ") + std::strerror(errno);
    }
    if (pid == 0) {
      close(fds[0]);
      isolation::CloseParentEnds();  // the shape workers' ends: their EOF is the parent's alone
      NumericWorkerMain(fds[1], factory_);
    }
    close(fds[1]);
    pid_ = pid;
    fd_ = fds[0];
    isolation::AddParentEnd(fd_);
    std::string payload;
    if (!Readable(fd_, kStartSeconds)) return Stop(true) + " before it said hello (" + std::to_string(static_cast<int>(kStartSeconds)) + " s)";
    if (!wire::ReceiveFrame(fd_, &payload)) return Stop(false) + " while it started";
    Reader r(payload);
    uint8_t tag = 0, has = 0, cuda = 0;
    std::string name;
    if (!r.U8(&tag) || tag != kHello || !r.U8(&has) || !r.Str(&name) || !r.U8(&cuda)) return Stop(true) + ": corrupt hello";
    available_ = has != 0;
    if (!available_) {
      Stop(false);
      return "";
    }
    name_ = name;
    cuda_ = cuda != 0;
    return "";
  }

  // Ends the worker (killing it first when asked) and says how it ended: "SIGSEGV", ...
  std::string Stop(bool kill_first) {
    std::lock_guard<std::recursive_mutex> lock(isolation::ProcessStateLock());
    if (fd_ >= 0) {
      isolation::RemoveParentEnd(fd_);
      close(fd_);
    }
    fd_ = -1;
    const std::string why = EndProcess(pid_, kill_first);
    pid_ = -1;
    return why;
  }

  double LimitFor(const ConvCase& c) const { return known_hangs_ ? known_hangs_->For(c, timeout_s_) : timeout_s_; }

  NumericOutcome Call(const std::string& request, double limit_s) {
    if (fd_ < 0) {
      const std::string problem = Spawn();
      if (!problem.empty()) return NumericOutcome::Crashed("the numeric worker could not start: " + problem);
      if (!available_) return NumericOutcome::Skipped("the numeric worker's backend could not be created");
    }
    if (!wire::SendFrame(fd_, request)) return NumericOutcome::Crashed(Stop(false));
    if (!Readable(fd_, limit_s)) {
      Stop(true);
      char limit[32];
      std::snprintf(limit, sizeof limit, "%g", limit_s);
      return NumericOutcome::TimedOut(std::string("per-call limit of ") + limit + " s");
    }
    std::string payload;
    if (!wire::ReceiveFrame(fd_, &payload)) return NumericOutcome::Crashed(Stop(false));
    Reader r(payload);
    uint8_t tag = 0;
    NumericOutcome o;
    if (!r.U8(&tag) || tag != kReply || !GetNumericOutcome(r, &o)) {
      Stop(true);
      return NumericOutcome::Crashed("corrupt reply from the numeric worker");
    }
    return o;
  }

  NumericFactory factory_;
  double timeout_s_;
  std::shared_ptr<const CaseTimeLimit> known_hangs_;
  pid_t pid_ = -1;
  int fd_ = -1;
  bool available_ = false;
  std::string name_;
  bool cuda_ = false;
};

}  // namespace

NumericFactory IsolatedNumericFactory(NumericFactory factory, double call_timeout_s,
                                      std::shared_ptr<const CaseTimeLimit> known_hangs) {
  if (!factory) return factory;
  // Every numeric property calls the factory (each copy of it); they share one worker, whose
  // framework caches (oneDNN's kernels and primitives) then serve them all, as they did when the
  // calls ran in one process. Four workers cost a default run a third more CPU.
  auto shared = std::make_shared<std::weak_ptr<NumericBackend>>();
  return [factory = std::move(factory), call_timeout_s, known_hangs = std::move(known_hangs),
          shared]() -> std::shared_ptr<NumericBackend> {
    if (std::shared_ptr<NumericBackend> running = shared->lock()) return running;
    auto backend = std::make_shared<IsolatedNumeric>(factory, call_timeout_s, known_hangs);
    if (!backend->Start()) return nullptr;
    *shared = backend;
    return backend;
  };
}

}  // namespace convcheck
