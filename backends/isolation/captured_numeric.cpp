#include "backends/isolation/captured_numeric.h"
#include "backends/isolation/process_state_lock.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace convcheck {
namespace {

// Redirects fds 1 and 2 into a memory file for one scope, then appends what was printed to the
// sink. It holds the process-state lock throughout (process_state_lock.h): the engine's backend
// thread neither forks a worker nor touches the sink while a numeric call runs and prints.
class Capture {
 public:
  Capture(int file, CapturedOutput* sink) : file_(sink ? file : -1), sink_(sink) {
    if (file_ < 0) return;
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    saved_out_ = dup(STDOUT_FILENO);
    saved_err_ = dup(STDERR_FILENO);
    dup2(file_, STDOUT_FILENO);
    dup2(file_, STDERR_FILENO);
  }
  ~Capture() {
    if (file_ < 0) return;
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    dup2(saved_out_, STDOUT_FILENO);
    dup2(saved_err_, STDERR_FILENO);
    close(saved_out_);
    close(saved_err_);
    struct stat st {};
    if (fstat(file_, &st) != 0 || st.st_size == 0) return;
    std::string bytes(static_cast<size_t>(st.st_size), '\0');
    const ssize_t k = pread(file_, bytes.data(), bytes.size(), 0);
    if (k > 0) {
      std::string pending;
      sink_->Append(std::string_view(bytes.data(), static_cast<size_t>(k)), &pending);
      sink_->EndOf(&pending);
    }
    if (ftruncate(file_, 0) == 0) lseek(file_, 0, SEEK_SET);
  }
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;

 private:
  std::lock_guard<std::recursive_mutex> lock_{isolation::ProcessStateLock()};  // first: held throughout
  int file_;
  CapturedOutput* sink_;  // null: the lock alone, nothing captured
  int saved_out_ = -1, saved_err_ = -1;
};

struct Shared {
  explicit Shared(std::shared_ptr<CapturedOutput> s)
      : file(s ? memfd_create("convcheck-numeric-output", MFD_CLOEXEC) : -1), sink(std::move(s)) {}
  ~Shared() {
    if (file >= 0) close(file);
  }
  int file;
  std::shared_ptr<CapturedOutput> sink;
};

class CapturingNumeric final : public NumericBackend {
 public:
  CapturingNumeric(std::shared_ptr<NumericBackend> inner, std::shared_ptr<Shared> shared)
      : inner_(std::move(inner)), shared_(std::move(shared)) {}
  std::string Name() const override { return inner_->Name(); }
  bool DeviceAvailable(Device device) const override {
    Capture c(shared_->file, shared_->sink.get());
    return inner_->DeviceAvailable(device);
  }
  NumericOutcome Forward(const ConvCase& c, const CaseData& data) override {
    Capture cap(shared_->file, shared_->sink.get());
    return inner_->Forward(c, data);
  }
  NumericOutcome Gradients(const ConvCase& c, const CaseData& data, const DoubleTensor& grad_output) override {
    Capture cap(shared_->file, shared_->sink.get());
    return inner_->Gradients(c, data, grad_output);
  }

 private:
  std::shared_ptr<NumericBackend> inner_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace

NumericFactory CapturingNumericFactory(NumericFactory factory, std::shared_ptr<CapturedOutput> sink) {
  if (!factory) return factory;
  return [factory = std::move(factory), sink = std::move(sink)]() -> std::shared_ptr<NumericBackend> {
    auto shared = std::make_shared<Shared>(sink);
    std::shared_ptr<NumericBackend> inner;
    {
      Capture c(shared->file, shared->sink.get());
      inner = factory();
    }
    if (!inner) return nullptr;
    return std::make_shared<CapturingNumeric>(std::move(inner), std::move(shared));
  };
}

}  // namespace convcheck
