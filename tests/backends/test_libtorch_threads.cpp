// The LibTorch backends run on one thread and start none: the harness parallelizes across
// worker processes, and a worker that started a thread pool paid for threads it never used
// (at::set_num_threads creates caffe2's pthreadpool at one thread per core before shrinking it).
// Every pthread_create of this test binary, the libraries' included, goes through the counter
// below, which forwards to libc's. Only where LibTorch is built in and no sanitizer runs: ASan
// intercepts pthread_create itself, and a definition here would bypass its interceptor for every
// test of the binary.
#include "tests/backends/sanitized_build.h"

#if defined(CONVCHECK_HAVE_TORCH) && !defined(CONVCHECK_SANITIZED_BUILD)
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <memory>

#include "backends/backend.h"
#include "backends/numeric_backend.h"
#include "case_io/case_json.h"
#include "oracles/tensor_values.h"

namespace {

std::atomic<int> threads_created{0};

}  // namespace

extern "C" int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*), void* arg) {
  using Create = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
  static const auto libc_create = reinterpret_cast<Create>(dlsym(RTLD_NEXT, "pthread_create"));
  ++threads_created;
  return libc_create(thread, attr, start, arg);
}

namespace convcheck {
namespace {

// Large enough that LibTorch would split it over an OpenMP team of more than one thread.
ConvCase BigConv() {
  return ParseCaseText(R"({"op":"conv2d","input":[4,16,64,64],"out_channels":16,"kernel":3,"padding":1})").value.value();
}

TEST(LibTorchThreads, TheShapeBackendRunsOnOneThreadAndStartsNone) {
  const int before = threads_created;
  std::unique_ptr<Backend> backend = MakeDefaultBackend();
  ASSERT_NE(backend, nullptr) << "the LibTorch plugin did not load";
  EXPECT_EQ(backend->Run(BigConv()).kind, BackendOutcome::Kind::kShape);
  EXPECT_EQ(threads_created - before, 0);
  void* gomp = dlopen("libgomp.so.1", RTLD_LAZY | RTLD_NOLOAD);
  if (gomp) {
    EXPECT_EQ(reinterpret_cast<int (*)()>(dlsym(gomp, "omp_get_max_threads"))(), 1);
    dlclose(gomp);
  }
}

TEST(LibTorchThreads, TheNumericBackendRunsOnOneThreadAndStartsNone) {
  const int before = threads_created;
  std::unique_ptr<NumericBackend> numeric = MakeDefaultNumericBackend();
  ASSERT_NE(numeric, nullptr) << "the LibTorch plugin did not load";
  const ConvCase c = BigConv();
  EXPECT_EQ(numeric->Forward(c, MakeCaseData(c)).kind, NumericOutcome::Kind::kValues);
  EXPECT_EQ(threads_created - before, 0);
}

}  // namespace
}  // namespace convcheck

#endif  // CONVCHECK_HAVE_TORCH && !CONVCHECK_SANITIZED_BUILD
