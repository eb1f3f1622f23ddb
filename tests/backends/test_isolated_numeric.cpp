// The numeric properties' isolation: a planted numeric backend that segfaults or hangs on some
// cases. Each such call must come back as a crash or a timeout, the next call must be answered
// by a fresh worker, and the values of the other calls must arrive intact.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <optional>
#include <sstream>

#include "backends/isolation/isolated_numeric.h"
#include "engine/engine.h"
#include "properties/numeric_properties.h"
#include "tests/backends/sanitized_build.h"
#include "tests/support/unused_backend.h"

namespace convcheck {
namespace {

// out_channels that trigger a planted fault; other cases get their input back as the output,
// with the process id in the message so a test can tell workers apart.
constexpr int64_t kSegfault = 13, kHang = 29;

class PlantedNumeric final : public NumericBackend {
 public:
  std::string Name() const override { return "planted 1"; }
  bool DeviceAvailable(Device device) const override { return device == Device::kCpu; }
  NumericOutcome Forward(const ConvCase& c, const CaseData& data) override {
    if (c.out_channels == kSegfault) std::raise(SIGSEGV);
    if (c.out_channels == kHang) {
      while (true) pause();
    }
    NumericOutcome o;
    o.output = data.input;
    o.message = std::to_string(getpid());
    return o;
  }
  NumericOutcome Gradients(const ConvCase& c, const CaseData& data, const DoubleTensor& grad_output) override {
    NumericOutcome o = Forward(c, data);
    o.input_grad = grad_output;
    o.weight_grad = data.weight;
    return o;
  }
};

ConvCase CaseWith(int64_t out_channels) {
  ConvCase c = DefaultCase(Op::kConv1d, {1, 2, 6}, out_channels);
  c.kernel = {3};
  return c;
}

std::shared_ptr<NumericBackend> Isolated(double timeout_s = 5) {
  return IsolatedNumericFactory([] { return std::make_shared<PlantedNumeric>(); }, timeout_s)();
}

TEST(IsolatedNumeric, ValuesCrossTheWireIntact) {
  const std::shared_ptr<NumericBackend> numeric = Isolated();
  ASSERT_NE(numeric, nullptr);
  EXPECT_EQ(numeric->Name(), "planted 1");
  EXPECT_TRUE(numeric->DeviceAvailable(Device::kCpu));
  EXPECT_FALSE(numeric->DeviceAvailable(Device::kCuda));
  const ConvCase c = CaseWith(3);
  const CaseData data = MakeCaseData(c);
  const DoubleTensor gy = DrawTensor({1, 3, 4}, c.dtype, 0, DataStream::kGradOutput);
  const NumericOutcome o = numeric->Gradients(c, data, gy);
  ASSERT_EQ(o.kind, NumericOutcome::Kind::kValues) << o.message;
  EXPECT_EQ(o.output.shape, data.input.shape);
  EXPECT_EQ(o.output.data, data.input.data);
  EXPECT_EQ(o.input_grad.data, gy.data);
  EXPECT_EQ(o.weight_grad.shape, data.weight.shape);
  EXPECT_EQ(o.weight_grad.data, data.weight.data);
  EXPECT_NE(o.message, std::to_string(getpid())) << "the call must run in another process";
}

TEST(IsolatedNumeric, ACrashIsThatCallsOutcomeAndTheNextCallGetsAFreshWorker) {
  CONVCHECK_SKIP_WHEN_SANITIZED("the planted faults are undefined behaviour the sanitizers report first");
  const std::shared_ptr<NumericBackend> numeric = Isolated();
  ASSERT_NE(numeric, nullptr);
  const ConvCase ok = CaseWith(3), bad = CaseWith(kSegfault);
  const NumericOutcome before = numeric->Forward(ok, MakeCaseData(ok));
  ASSERT_EQ(before.kind, NumericOutcome::Kind::kValues) << before.message;
  const NumericOutcome crash = numeric->Forward(bad, MakeCaseData(bad));
  EXPECT_EQ(crash.kind, NumericOutcome::Kind::kCrashed);
  EXPECT_EQ(crash.message, "SIGSEGV");
  const NumericOutcome after = numeric->Forward(ok, MakeCaseData(ok));
  ASSERT_EQ(after.kind, NumericOutcome::Kind::kValues) << after.message;
  EXPECT_NE(after.message, before.message) << "a new worker answers after a crash";
}

TEST(IsolatedNumeric, AHangIsATimeoutWithinItsLimit) {
  CONVCHECK_SKIP_WHEN_SANITIZED("the planted faults are undefined behaviour the sanitizers report first");
  const std::shared_ptr<NumericBackend> numeric = Isolated(0.3);
  ASSERT_NE(numeric, nullptr);
  const ConvCase hang = CaseWith(kHang), ok = CaseWith(3);
  const NumericOutcome o = numeric->Forward(hang, MakeCaseData(hang));
  EXPECT_EQ(o.kind, NumericOutcome::Kind::kTimedOut);
  EXPECT_EQ(o.message, "per-call limit of 0.3 s");
  EXPECT_EQ(numeric->Forward(ok, MakeCaseData(ok)).kind, NumericOutcome::Kind::kValues);
}

// A family a known deviation records as a hang gets the record's shorter limit on the numeric
// worker too (a GradientIsTranspose hang otherwise held every replay for the whole 5 s); other
// calls keep the run's limit.
TEST(IsolatedNumeric, AKnownHangGetsItsShorterLimitAndOtherCallsKeepTheRunsLimit) {
  CONVCHECK_SKIP_WHEN_SANITIZED("the planted faults are undefined behaviour the sanitizers report first");
  auto known = std::make_shared<CaseTimeLimit>();
  known->Set([](const ConvCase& c) -> std::optional<double> {
    return c.out_channels == kHang ? std::optional<double>(0.3) : std::nullopt;
  });
  const std::shared_ptr<NumericBackend> numeric =
      IsolatedNumericFactory([] { return std::make_shared<PlantedNumeric>(); }, 30, known)();
  ASSERT_NE(numeric, nullptr);
  const ConvCase hang = CaseWith(kHang), ok = CaseWith(3);
  const auto start = std::chrono::steady_clock::now();
  const NumericOutcome o = numeric->Gradients(hang, MakeCaseData(hang), DrawTensor({1, kHang, 4}, hang.dtype, 0, DataStream::kGradOutput));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(o.kind, NumericOutcome::Kind::kTimedOut) << o.message;
  EXPECT_EQ(o.message, "per-call limit of 0.3 s");
  EXPECT_LT(seconds, 10) << "the hang waited out the run's 30 s limit, not its own";
  EXPECT_EQ(numeric->Forward(ok, MakeCaseData(ok)).kind, NumericOutcome::Kind::kValues);
}

TEST(IsolatedNumeric, NoBackendInTheWorkerMeansNone) {
  EXPECT_EQ(IsolatedNumericFactory([] { return std::shared_ptr<NumericBackend>(); }, 5)(), nullptr);
  EXPECT_FALSE(IsolatedNumericFactory(nullptr, 5)) << "no factory stays no factory";
}

// Through a numeric property: the crash is that check's verdict, with the signal, and the
// property goes on judging other cases.
TEST(IsolatedNumeric, APropertyReportsTheCrashAsItsVerdict) {
  CONVCHECK_SKIP_WHEN_SANITIZED("the planted faults are undefined behaviour the sanitizers report first");
  NumericSetup setup;
  setup.factory = IsolatedNumericFactory([] { return std::make_shared<PlantedNumeric>(); }, 5);
  ValuesMatchReference values(setup);
  testing::UnusedBackend shapes;  // numeric properties ask no shapes
  const std::optional<CaseResult> crashed = values.Check(CaseWith(kSegfault), shapes);
  ASSERT_TRUE(crashed.has_value());
  EXPECT_EQ(VerdictName(crashed->verdict), VerdictName(Verdict::kCrash)) << crashed->detail;
  EXPECT_EQ(crashed->detail, "forward crashed the numeric worker: SIGSEGV");
  const std::optional<CaseResult> next = values.Check(CaseWith(3), shapes);
  ASSERT_TRUE(next.has_value());
  EXPECT_NE(next->verdict, Verdict::kCrash) << next->detail;
}

}  // namespace
}  // namespace convcheck
