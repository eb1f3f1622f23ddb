// What a framework prints inside the workers is captured, deduplicated and counted, and never
// reaches the parent's terminal (it broke the live progress line and --json on stdout).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "backends/isolation/captured_numeric.h"
#include "backends/isolation/captured_output.h"
#include "backends/isolation/isolated_backend.h"
#include "oracles/output_shape.h"

namespace convcheck {
namespace {

TEST(NormalizeLibraryLine, DropsGlogTimeAndThreadSoWorkersLinesMatch) {
  EXPECT_EQ(NormalizeLibraryLine("W20261202 08:33:12.697007 15207 Convolution.cpp:895] Warning: x"),
            "W Convolution.cpp:895] Warning: x");
  EXPECT_EQ(NormalizeLibraryLine("E1202 08:33:12.697007  4711 file.cc:1] boom\r"), "E file.cc:1] boom");
  EXPECT_EQ(NormalizeLibraryLine("WARNING: Logging before InitGoogleLogging() is written to STDERR  "),
            "WARNING: Logging before InitGoogleLogging() is written to STDERR");
  EXPECT_EQ(NormalizeLibraryLine("W12 not glog"), "W12 not glog");
}

TEST(CapturedOutput, CountsEachDistinctLineAcrossWorkersAndPartialWrites) {
  CapturedOutput out;
  std::string worker1, worker2;
  out.Append("W1202 08:00:00.000001 1 a.cc:1] same\nhal", &worker1);
  out.Append("W1202 09:00:00.000002 2 a.cc:1] same\n", &worker2);
  out.Append("f a line\n", &worker1);
  out.Append("no newline at the end", &worker2);
  out.EndOf(&worker2);
  ASSERT_EQ(out.Lines().size(), 3u);
  EXPECT_EQ(out.Lines()[0].text, "W a.cc:1] same");
  EXPECT_EQ(out.Lines()[0].count, 2);
  EXPECT_EQ(out.Lines()[1].text, "half a line");
  EXPECT_EQ(out.Lines()[2].text, "no newline at the end");
  EXPECT_EQ(out.Total(), 4);
}

// Prints the way libraries do: on creation (glog's first line), per case on stderr, and to
// buffered stdout; out_channels 13 prints and then dies, so the line must survive the crash.
class ChattyBackend final : public Backend {
 public:
  ChattyBackend() { std::fprintf(stderr, "WARNING: Logging before InitGoogleLogging() is written to STDERR\n"); }
  std::string Name() const override { return "chatty"; }
  std::string Version() const override { return "1"; }
  std::vector<Device> Devices() const override { return {Device::kCpu}; }
  BackendOutcome Run(const ConvCase& c) override {
    std::fprintf(stderr, "W20261202 08:33:12.%06d %d Convolution.cpp:895] Warning: per case\n",
                 static_cast<int>(c.out_channels), static_cast<int>(getpid()));
    std::cout << "stdout from the library" << std::endl;
    if (c.out_channels == 13) std::abort();
    return BackendOutcome::Shape(OutputShape(c).shape());
  }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override { return RunEach(*this, cases); }
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>&) override { return Run(c); }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override { return RunPaddedEach(*this, calls); }
};

// Everything written to this process's stdout and stderr while `f` runs.
template <typename F>
std::string ParentOutputDuring(F f) {
  std::fflush(nullptr);
  char path[] = "/tmp/convcheck-captured-XXXXXX";
  const int tmp = mkstemp(path);
  const int saved_out = dup(1), saved_err = dup(2);
  dup2(tmp, 1);
  dup2(tmp, 2);
  f();
  std::fflush(nullptr);
  dup2(saved_out, 1);
  dup2(saved_err, 2);
  close(saved_out);
  close(saved_err);
  close(tmp);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  unlink(path);
  return text.str();
}

TEST(IsolatedBackend, CapturesWhatWorkersPrintInsteadOfPrintingIt) {
  IsolationOptions options;
  options.jobs = 2;
  options.captured = std::make_shared<CapturedOutput>();
  std::vector<ConvCase> cases;
  for (int64_t oc : {1, 2, 3, 13, 4, 5}) {
    ConvCase c = DefaultCase(Op::kConv2d, {1, 1, 8, 8}, oc);
    c.kernel = {3, 3};
    cases.push_back(c);
  }
  std::vector<BackendOutcome> out;
  int64_t workers = 0;
  const std::string printed = ParentOutputDuring([&] {
    IsolatedBackend isolated([] { return std::make_unique<ChattyBackend>(); }, options);
    out = isolated.RunBatch(cases);
    workers = isolated.WorkersStarted();
  });
  EXPECT_EQ(printed, "") << "a worker's output reached the parent's terminal";
  ASSERT_EQ(out.size(), cases.size());
  EXPECT_EQ(out[3].kind, BackendOutcome::Kind::kCrashed);
  std::map<std::string, int64_t> counts;
  for (const CapturedLine& l : options.captured->Lines()) counts[l.text] = l.count;
  // Each worker process (2, or 3 when the crashed one is respawned) prints once on creation
  // and once for its canary case; the six cases print once each, the aborting one included.
  ASSERT_GE(workers, 2);
  EXPECT_EQ(counts["WARNING: Logging before InitGoogleLogging() is written to STDERR"], workers);
  EXPECT_EQ(counts["W Convolution.cpp:895] Warning: per case"], 6 + workers);
  EXPECT_EQ(counts["stdout from the library"], 6 + workers);
}

// The numeric backend runs in the parent: what it prints on creation and in every call is
// captured too, and every call of the interface reaches the wrapped backend.
class ChattyNumeric final : public NumericBackend {
 public:
  explicit ChattyNumeric(int* calls) : calls_(calls) { std::fprintf(stderr, "created\n"); }
  std::string Name() const override { return (++*calls_, "chatty 1"); }
  bool DeviceAvailable(Device) const override { return Say(); }
  NumericOutcome Forward(const ConvCase&, const CaseData&) override {
    Say();
    return NumericOutcome::Skipped("forward");
  }
  NumericOutcome Gradients(const ConvCase&, const CaseData&, const DoubleTensor&) override {
    Say();
    return NumericOutcome::Skipped("gradients");
  }

 private:
  bool Say() const {
    ++*calls_;
    std::fprintf(stderr, "W1202 08:00:00.000001 7 Convolution.cpp:895] Warning: numeric\n");
    std::cout << "to stdout" << std::endl;
    return true;
  }
  int* calls_;
};

TEST(CapturingNumericFactory, CapturesTheParentsNumericBackendAndForwardsEveryCall) {
  auto sink = std::make_shared<CapturedOutput>();
  int calls = 0;
  const NumericFactory factory = CapturingNumericFactory(
      [&] { return std::shared_ptr<NumericBackend>(std::make_shared<ChattyNumeric>(&calls)); }, sink);
  std::string name;
  NumericOutcome forward, gradients;
  bool available = false;
  const std::string printed = ParentOutputDuring([&] {
    std::shared_ptr<NumericBackend> b = factory();
    name = b->Name();
    available = b->DeviceAvailable(Device::kCpu);
    forward = b->Forward(ConvCase{}, CaseData{});
    gradients = b->Gradients(ConvCase{}, CaseData{}, DoubleTensor{});
  });
  EXPECT_EQ(printed, "") << "the numeric backend's output reached the terminal";
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(name, "chatty 1");
  EXPECT_TRUE(available);
  EXPECT_EQ(forward.message, "forward");
  EXPECT_EQ(gradients.message, "gradients");
  std::map<std::string, int64_t> counts;
  for (const CapturedLine& l : sink->Lines()) counts[l.text] = l.count;
  EXPECT_EQ(counts["created"], 1);
  EXPECT_EQ(counts["W Convolution.cpp:895] Warning: numeric"], 3);
  EXPECT_EQ(counts["to stdout"], 3);
}

}  // namespace
}  // namespace convcheck
