// Values everywhere: check and replay run the numeric properties on request (--values), or for
// one case whose line is a corpus entry naming the property. The case: LibTorch 1.13.1's CPU
// bfloat16 conv_transpose1d with kernel 3, padding 1 computes a forward conv, whose shape happens
// to be the right one, so only the values show it.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "properties/cpu_flags.h"
#include "tests/support/run_cli.h"

namespace convcheck {
namespace {

namespace fs = std::filesystem;

// The bug lives in LibTorch's oneDNN bfloat16 path, which 1.13 takes only on CPUs with
// AVX-512 BW, VL and DQ (mkldnn_bf16_device_check, aten/src/ATen/native/mkldnn/Utils.h); other
// CPUs refuse the case ("slow_conv_transpose2d_out_cpu" not implemented for 'BFloat16'), so
// there is no wrong value to find. The skip names the reason; ctest reports it as skipped.
#ifdef CONVCHECK_HAVE_TORCH
#define REQUIRE_TORCH()                                                                        \
  if (!CpuHasFlags({"avx512bw", "avx512vl", "avx512dq"}))                                      \
  GTEST_SKIP() << "this CPU lacks AVX-512 BW/VL/DQ: LibTorch 1.13 refuses bfloat16 "           \
                  "conv_transpose here instead of computing the wrong values this test needs"
#else
#define REQUIRE_TORCH() GTEST_SKIP() << "built without LibTorch: check and replay have no backend"
#endif

const char* kCase =
    R"({"op":"conv_transpose1d","input":[1,2,5],"out_channels":2,"kernel":3,"padding":1,"dtype":"bfloat16"})";

// A folder with an empty corpus (no known deviation explains anything) and `lines` as cases.jsonl.
fs::path Folder(const std::string& name, const std::string& lines) {
  const fs::path dir = fs::temp_directory_path() / ("convcheck-values-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "corpus" / "known");
  std::ofstream(dir / "cases.jsonl") << lines;
  return dir;
}

int Cli(const std::string& args, const fs::path& dir, std::string* out) {
  return testing::RunCli(args, out, dir.string());
}

TEST(ValuesOnRequest, CheckWithoutValuesSeesOnlyTheRightShape) {
  REQUIRE_TORCH();
  const fs::path dir = Folder("plain", std::string(kCase) + "\n");
  std::string out;
  EXPECT_EQ(Cli("check cases.jsonl --no-save", dir, &out), 0) << out;
  EXPECT_EQ(out.find("ValuesMatchReference"), std::string::npos) << out;
}

TEST(ValuesOnRequest, CheckWithValuesFindsTheWrongValues) {
  REQUIRE_TORCH();
  const fs::path dir = Folder("flag", std::string(kCase) + "\n");
  std::string out;
  EXPECT_EQ(Cli("check cases.jsonl --no-save --values", dir, &out), 1) << out;
  EXPECT_NE(out.find("cases.jsonl:1: value_mismatch  ValuesMatchReference"), std::string::npos) << out;
}

TEST(ValuesOnRequest, ACaseLineNamingTheValuePropertyGetsItAlone) {
  REQUIRE_TORCH();
  const std::string entry = std::string(R"({"format": 1, "property": "ValuesMatchReference", "case": )") + kCase + "}";
  const fs::path dir = Folder("entry", std::string(kCase) + "\n" + entry + "\n");
  std::string out;
  EXPECT_EQ(Cli("check cases.jsonl --no-save --properties none", dir, &out), 1) << out;
  EXPECT_EQ(out.find("cases.jsonl:1: value_mismatch"), std::string::npos) << "line 1 did not ask: " << out;
  EXPECT_NE(out.find("cases.jsonl:2: value_mismatch  ValuesMatchReference"), std::string::npos) << out;
}

TEST(ValuesOnRequest, ReplayOfACaseFileWithValuesFindsThemToo) {
  REQUIRE_TORCH();
  const fs::path dir = Folder("replay", std::string(kCase) + "\n");
  std::string out;
  EXPECT_EQ(Cli("replay cases.jsonl --no-save --values", dir, &out), 1) << out;
  EXPECT_NE(out.find("ValuesMatchReference"), std::string::npos) << out;
}

TEST(ValuesOnRequest, ALineNamingAnUnknownPropertyIsRefused) {
  const std::string entry = std::string(R"({"format": 1, "property": "ValuesMatch", "case": )") + kCase + "}";
  const fs::path dir = Folder("unknown", entry + "\n");
  std::string out;
  EXPECT_EQ(Cli("check cases.jsonl --no-save", dir, &out), 2) << out;
  EXPECT_NE(out.find("cases.jsonl:1: property: unknown property \"ValuesMatch\""), std::string::npos) << out;
}

}  // namespace
}  // namespace convcheck
