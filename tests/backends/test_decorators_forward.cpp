// Every Backend decorator forwards every call of the interface. A decorator that once dropped
// RunPadded made a property skip every case of every run, unnoticed; this is the test that
// would have caught it. The inner backend answers each call distinctly, so an answer that did
// not come from it (a default, a skip) fails here.
#include <memory>

#include <gtest/gtest.h>

#include "backends/capable_backend.h"
#include "backends/isolation/isolated_backend.h"
#include "engine/property_prefetch.h"
#include "engine/timed_backend.h"

namespace convcheck {
namespace {

class DistinctAnswers final : public Backend {
 public:
  std::string Name() const override { return "distinct"; }
  std::string Version() const override { return "7.7"; }
  std::vector<Device> Devices() const override { return {Device::kCpu, Device::kCuda}; }
  BackendOutcome Run(const ConvCase& c) override { return BackendOutcome::Shape({1, c.out_channels}); }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override {
    return RunEach(*this, cases);
  }
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override {
    return BackendOutcome::Shape({3, c.out_channels, static_cast<int64_t>(pads.size()), pads[0].left, pads[0].right});
  }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override { return RunPaddedEach(*this, calls); }
};

// Each decorator in the code base, wrapped around DistinctAnswers.
std::vector<std::pair<std::string, std::unique_ptr<Backend>>> Decorators() {
  std::vector<std::pair<std::string, std::unique_ptr<Backend>>> all;
  IsolationOptions options;
  options.jobs = 2;
  all.emplace_back("IsolatedBackend",
                   std::make_unique<IsolatedBackend>([] { return std::make_unique<DistinctAnswers>(); }, options));
  static DistinctAnswers timed_inner;
  all.emplace_back("TimedBackend", std::make_unique<TimedBackend>(timed_inner));
  static DistinctAnswers cached_inner;  // an empty cache: every call must reach the inner backend
  all.emplace_back("CachedBackend", std::make_unique<CachedBackend>(cached_inner));
  all.emplace_back("CapableBackend", std::make_unique<CapableBackend>(std::make_unique<DistinctAnswers>(), AllCapabilities()));
  return all;
}

TEST(Decorators, ForwardEveryCallOfTheBackendInterface) {
  DistinctAnswers inner;
  ConvCase c = DefaultCase(Op::kConv2d, {1, 2, 5, 5}, 4);
  ConvCase d = DefaultCase(Op::kConv2d, {1, 2, 5, 5}, 6);
  const std::vector<PadPair> pads = {{2, 3}, {0, 1}};
  for (auto& [name, backend] : Decorators()) {
    SCOPED_TRACE(name);
    EXPECT_EQ(backend->Name(), inner.Name());
    EXPECT_EQ(backend->Version(), inner.Version());
    EXPECT_EQ(backend->Devices(), inner.Devices());
    EXPECT_EQ(backend->Run(c).shape, inner.Run(c).shape);
    const std::vector<BackendOutcome> batch = backend->RunBatch({c, d, c});
    ASSERT_EQ(batch.size(), 3u);
    EXPECT_EQ(batch[1].shape, inner.Run(d).shape);
    const BackendOutcome padded = backend->RunPadded(c, pads);
    EXPECT_EQ(padded.kind, BackendOutcome::Kind::kShape) << padded.message;
    EXPECT_EQ(padded.shape, inner.RunPadded(c, pads).shape);
    const std::vector<BackendOutcome> padded_batch = backend->RunPaddedBatch({{c, pads}, {d, pads}});
    ASSERT_EQ(padded_batch.size(), 2u);
    EXPECT_EQ(padded_batch[1].kind, BackendOutcome::Kind::kShape) << padded_batch[1].message;
    EXPECT_EQ(padded_batch[1].shape, inner.RunPadded(d, pads).shape);
  }
}

}  // namespace
}  // namespace convcheck
