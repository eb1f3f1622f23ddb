// The ground-truth suite of issue #7: healthy models are never flagged at error level; every
// planted fault F0..F10 is flagged by its specific ID; each over 5 seeds. A failure prints the
// model JSON, the equivalent command line and the findings table.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sanity/thresholds.h"
#include "tests/sanity/sanity_fixtures.h"

namespace convcheck::sanity {
namespace {

using testing::Check;
using testing::Mlp;
using testing::Reproducer;
using testing::SanityRun;
using testing::SmallCnn;

constexpr uint64_t kSeeds[] = {1, 2, 3, 4, 5};

std::string ReadExample(const std::string& name) {
  std::ifstream in(std::string(CONVCHECK_SOURCE_DIR) + "/examples/sanity/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Expects `id` at `level` or worse, at step 0 (at_step0) or after training (otherwise).
void ExpectFlag(const SanityRun& run, const SanityReport& r, const std::string& id, Level level,
                bool at_step0 = true) {
  bool found = false;
  for (const Finding& f : r.findings) {
    found |= f.id == id && f.level >= level && (at_step0 ? f.step == 0 : f.step > 0);
  }
  EXPECT_TRUE(found) << "expected " << id << " (" << LevelName(level) << ") "
                     << (at_step0 ? "at init" : "after training") << Reproducer(run, r);
}

void ExpectHealthy(const SanityRun& run, const SanityReport& r) {
  EXPECT_FALSE(r.HasError()) << "a healthy model was flagged at error level" << Reproducer(run, r);
}

SanityRun Healthy(const std::string& model, const std::string& data, uint64_t seed) {
  SanityRun run;
  run.model_json = model;
  run.data = data;
  run.options.seed = seed;
  run.options.train_steps = 40;
  run.options.optimizer = "adam";
  run.options.lr = 1e-3;
  return run;
}

TEST(SanityHealthy, SmallCnnDefaultInitZScoredInput) {
  for (uint64_t seed : kSeeds) {
    const SanityRun run = Healthy(SmallCnn("default"), "classes", seed);
    ExpectHealthy(run, Check(run));
  }
}

TEST(SanityHealthy, SmallCnnDefaultInitUnitInput) {
  for (uint64_t seed : kSeeds) {
    const SanityRun run = Healthy(SmallCnn("default"), "classes-unit", seed);
    ExpectHealthy(run, Check(run));
  }
}

TEST(SanityHealthy, TenLayerMlpHeInit) {
  for (uint64_t seed : kSeeds) {
    SanityRun run = Healthy(Mlp(10, 128, 10, "he", "classification", "lecun"), "classes", seed);
    run.input_shape = {1, 64};
    ExpectHealthy(run, Check(run));
  }
}

TEST(SanityHealthy, CnnWithBatchNorm) {
  for (uint64_t seed : kSeeds) {
    const SanityRun run = Healthy(SmallCnn("default", "", /*batchnorm=*/true), "classes", seed);
    ExpectHealthy(run, Check(run));
  }
}

TEST(SanityHealthy, RegressionWithStandardizedTargets) {
  for (uint64_t seed : kSeeds) {
    const SanityRun run = Healthy(SmallCnn("default", "", false, "regression", 8), "classes", seed);
    const SanityReport r = Check(run);
    ExpectHealthy(run, r);
    EXPECT_GT(r.Latest("rho"), kThresholds.out1_warn) << Reproducer(run, r);
  }
}

// F0: the user's regression CNN (normal std 1 everywhere, raw pixels, Adam lr 0.01).
TEST(SanityFaults, F0UserRegressionCnn) {
  for (uint64_t seed : kSeeds) {
    SanityRun run;
    run.model_json = ReadExample("f0_layers.json");
    run.input_shape = {1, 1, 61, 72};
    run.data = "classes-raw";
    run.samples = 96;
    run.options.seed = seed;
    // Adam kills the dense layer's units a few more per step; periodic OUT-1 checks stop the
    // run at the collapse (patience 1), and a small batch keeps this heavy model's steps cheap.
    run.options.train_steps = 60;
    run.options.check_every = 5;
    run.options.patience = 1;
    run.options.optimizer = "adam";
    run.options.lr = 0.01;
    run.options.batch = 4;
    const SanityReport r = Check(run);
    ExpectFlag(run, r, "INIT-2", Level::kError);
    ExpectFlag(run, r, "IN-2", Level::kWarn);
    ExpectFlag(run, r, "ACT-1", Level::kError);
    ExpectFlag(run, r, "OUT-1", Level::kError, /*at_step0=*/false);
  }
}

// F1: classification CNN, normal std 1, raw 0..255, SGD lr 0.01, 100 steps.
TEST(SanityFaults, F1ClassifierNormalStd1RawPixels) {
  for (uint64_t seed : kSeeds) {
    SanityRun run;
    run.model_json = ReadExample("f1_layers.json");
    run.data = "classes-raw";
    run.options.seed = seed;
    run.options.train_steps = 100;
    const SanityReport r = Check(run);
    for (const char* id : {"INIT-2", "INIT-4", "INIT-5"}) ExpectFlag(run, r, id, Level::kError);
    ExpectFlag(run, r, "IN-2", Level::kWarn);
    ExpectFlag(run, r, "OUT-1", Level::kError, /*at_step0=*/false);
  }
}

TEST(SanityFaults, F2DefaultInitRawPixels) {
  for (uint64_t seed : kSeeds) {
    SanityRun run;
    run.model_json = SmallCnn("default");
    run.data = "classes-raw";
    run.options.seed = seed;
    const SanityReport r = Check(run);
    ExpectFlag(run, r, "IN-2", Level::kWarn);
    ExpectFlag(run, r, "ACT-1", Level::kWarn);
    EXPECT_FALSE(r.Has("INIT-2")) << Reproducer(run, r);
  }
}

TEST(SanityFaults, F3AllZeroInit) {
  for (uint64_t seed : kSeeds) {
    SanityRun run;
    run.model_json = SmallCnn("zeros");
    run.options.seed = seed;
    const SanityReport r = Check(run);
    for (const char* id : {"INIT-1", "ACT-2", "OUT-1"}) ExpectFlag(run, r, id, Level::kError);
  }
}

TEST(SanityFaults, F4Constant001Init) {
  for (uint64_t seed : kSeeds) {
    SanityRun run;
    run.model_json = SmallCnn("constant(0.01)");
    run.options.seed = seed;
    ExpectFlag(run, Check(run), "INIT-1", Level::kError);
  }
}

TEST(SanityFaults, F5HiddenBiasesMinus10) {
  for (uint64_t seed : kSeeds) {
    SanityRun run;
    run.model_json = SmallCnn("default", "constant(-10)");
    run.options.seed = seed;
    const SanityReport r = Check(run);
    ExpectFlag(run, r, "ACT-2", Level::kError);
    ExpectFlag(run, r, "OUT-1", Level::kError);
  }
}

TEST(SanityFaults, F6TwentyLayerMlpDefaultInitCollapsesAndHeTwinPasses) {
  for (uint64_t seed : kSeeds) {
    SanityRun run;
    run.model_json = Mlp(20, 128, 10, "default");
    run.input_shape = {1, 64};
    run.options.seed = seed;
    ExpectFlag(run, Check(run), "OUT-1", Level::kError);
    run.model_json = Mlp(20, 128, 10, "he", "classification", "lecun");
    const SanityReport twin = Check(run);
    EXPECT_FALSE(twin.Has("OUT-1")) << "He-init twin flagged" << Reproducer(run, twin);
    ExpectHealthy(run, twin);
  }
}

TEST(SanityFaults, F7TinyNormalInit) {
  for (uint64_t seed : kSeeds) {
    SanityRun run;
    run.model_json = SmallCnn("normal(0.0001)");
    run.options.seed = seed;
    ExpectFlag(run, Check(run), "INIT-2", Level::kError);
  }
}

TEST(SanityFaults, F8NaNOrUint8Input) {
  for (uint64_t seed : kSeeds) {
    SanityRun run;
    run.model_json = SmallCnn("default");
    run.options.seed = seed;
    DataSet nan_data;
    std::string error;
    ASSERT_TRUE(MakeSyntheticData("classes", {1, 28, 28}, run.samples, 10, seed, &nan_data, &error));
    nan_data.x[seed % run.samples][0][3][4] = std::nan("");
    ExpectFlag(run, Check(run, &nan_data), "IN-1", Level::kError);
    run.data = "classes-u8";
    ExpectFlag(run, Check(run), "IN-1", Level::kError);
  }
}

TEST(SanityFaults, F9ZeroVarianceChannel) {
  for (uint64_t seed : kSeeds) {
    SanityRun run;
    run.model_json = SmallCnn("default");
    run.input_shape = {1, 3, 28, 28};
    run.options.seed = seed;
    DataSet data;
    std::string error;
    ASSERT_TRUE(MakeSyntheticData("classes", {3, 28, 28}, run.samples, 10, seed, &data, &error));
    data.x.select(1, static_cast<int64_t>(seed % 3)).fill_(0.25);
    const SanityReport r = Check(run, &data);
    ExpectFlag(run, r, "IN-3", Level::kWarn);
    EXPECT_FALSE(r.HasError()) << Reproducer(run, r);
  }
}

}  // namespace
}  // namespace convcheck::sanity
