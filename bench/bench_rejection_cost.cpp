// What a rejected case costs against an accepted case of the same size (issue #11), on the bare
// at:: loop and through convcheck's LibTorch backend, first with LibTorch's default backtrace
// capture and then with it off (DisableTorchErrorBacktraces, what every convcheck process does).
//
// Usage: bench_rejection_cost [repeats=300]
#include <chrono>
#include <iostream>

#include <torch/torch.h>

#include "backends/libtorch/libtorch_backend.h"
#include "backends/libtorch/no_backtraces.h"

namespace {

using Clock = std::chrono::steady_clock;

// Accepted: a 3x3 kernel over 16x16. Rejected: the same tensors but a 17x17 kernel, larger
// than the input (LibTorch: "Kernel size can't be greater than actual input size").
convcheck::ConvCase Case(int64_t kernel) {
  convcheck::ConvCase c;
  c.op = convcheck::Op::kConv2d;
  c.input = {1, 4, 16, 16};
  c.out_channels = 8;
  c.kernel = {kernel, kernel};
  c.stride = {1, 1};
  c.padding = {0, 0};
  c.output_padding = {0, 0};
  c.dilation = {1, 1};
  return c;
}

// Microseconds per case of the bare functional call (tensors made, op called, error caught).
double BareMicros(int64_t kernel, int repeats) {
  const at::Tensor x = at::zeros({1, 4, 16, 16});
  int64_t sink = 0;
  const auto t0 = Clock::now();
  for (int i = 0; i < repeats; ++i) {
    try {
      const at::Tensor w = at::zeros({8, 4, kernel, kernel});
      sink += at::conv2d(x, w).size(-1);
    } catch (const c10::Error& e) {
      sink += static_cast<int64_t>(std::string(e.what_without_backtrace()).size() > 0);
    }
  }
  const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / repeats;
  return sink >= 0 ? us : -1;
}

double BackendMicros(convcheck::Backend& backend, int64_t kernel, int repeats) {
  const convcheck::ConvCase c = Case(kernel);
  const auto t0 = Clock::now();
  for (int i = 0; i < repeats; ++i) backend.Run(c);
  return std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / repeats;
}

void Row(const char* what, double accepted_us, double rejected_us) {
  std::cout << what << ": accepted " << accepted_us << " us, rejected " << rejected_us
            << " us, rejected/accepted " << rejected_us / accepted_us << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = argc > 1 ? std::stoi(argv[1]) : 300;
  at::set_num_threads(1);
  BareMicros(3, 50);  // warm-up: allocator, oneDNN primitives
  // Default LibTorch: few repeats, each rejection symbolizes a backtrace (milliseconds).
  const int slow = std::max(10, repeats / 10);
  Row("bare at::conv2d, backtraces on ", BareMicros(3, repeats), BareMicros(17, slow));
  convcheck::DisableTorchErrorBacktraces();
  Row("bare at::conv2d, backtraces off", BareMicros(3, repeats), BareMicros(17, repeats));
  // The backend turns them off itself when it is created.
  std::unique_ptr<convcheck::Backend> backend = convcheck::MakeLibTorchBackend(1);
  BackendMicros(*backend, 3, 50);
  Row("convcheck LibTorch backend     ", BackendMicros(*backend, 3, repeats),
      BackendMicros(*backend, 17, repeats));
  return 0;
}
