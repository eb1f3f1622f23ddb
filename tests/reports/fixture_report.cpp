#include "fixture_report.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "reports/summarize.h"
#include "reports/tool_info.h"

namespace convcheck::report::testing {
namespace {

Context FixedContext() {
  Context c;
  c.tool_version = ToolVersion();
  c.git_revision = ToolGitRevision();
  c.framework = "libtorch";
  c.framework_version = "1.13.1";
  c.devices = {"cpu"};
  c.dtypes = {"float32", "bfloat16"};
  c.seed = 7;
  c.shard_count = 1;
  c.shards = {0};
  c.budget_cases = 1000;
  c.start_time = UtcTimestamp(std::chrono::system_clock::now());
  c.end_time = c.start_time;
  c.host_cpus = 2;
  c.command_line = "convcheck run --seed 7 --cases 1000 --report out.json";
  c.cases = 1000;
  c.seconds = 12.5;
  return c;
}

Failure ShapeFailure() {
  Failure f;
  f.property = "ShapeAgrees";
  f.verdict = Verdict::kShapeMismatch;
  f.op = Op::kConvTranspose2d;
  f.where = "dim 2";
  f.occurrences = 3;
  f.minimal_case = DefaultCase(Op::kConvTranspose2d, {1, 2, 5, 5}, 3);
  f.minimal_case.stride = {2, 2};
  f.expectation = "valid: [1, 3, 9, 9]";
  f.outcome = "shape [1, 3, 10, 9]";
  // Two distinct messages within the signature, one occurrence merged from an older report.
  f.messages = {{"shape [1, 3, 10, 9]", 1}, {"shape [1, 3, 12, 11]", 1}};
  f.cpp_repro = "at::conv_transpose2d(torch::zeros({1, 2, 5, 5}), ...).sizes()";
  f.python_repro = "import torch; print(F.conv_transpose2d(torch.zeros(1, 2, 5, 5), ...).shape)";
  return f;
}

Failure ValidityFailure() {
  Failure f;
  f.property = "ValidityAgrees";
  f.verdict = Verdict::kBackendOnlyRejected;
  f.op = Op::kConv1d;
  f.where = "";
  f.occurrences = 1;
  f.minimal_case = DefaultCase(Op::kConv1d, {1, 4, 8}, 2);
  f.minimal_case.kernel = {3};
  f.expectation = "valid: [1, 2, 6]";
  f.outcome = "rejected: Expected <weight> & \"input\" | 'sizes' to match";
  f.detail = "message has <, &, \", ' and |";
  f.cpp_repro = "at::conv1d(torch::zeros({1, 4, 8}), torch::zeros({2, 4, 3}), ...).sizes()";
  f.python_repro = "import torch; print(F.conv1d(torch.zeros(1, 4, 8), torch.zeros(2, 4, 3)).shape)";
  return f;
}

}  // namespace

Report FixedReport() {
  Report r;
  r.context = FixedContext();
  CountsRow shape{"ShapeAgrees", Op::kConvTranspose2d, Device::kCpu, DType::kFloat32, {}, 2, {}};
  shape.by_verdict[static_cast<size_t>(Verdict::kAgree)] = 595;
  shape.by_verdict[static_cast<size_t>(Verdict::kShapeMismatch)] = 5;
  CountsRow validity{"ValidityAgrees", Op::kConv1d, Device::kCpu, DType::kBFloat16, {}, 0, {}};
  validity.by_verdict[static_cast<size_t>(Verdict::kBothRejected)] = 398;
  validity.by_verdict[static_cast<size_t>(Verdict::kBackendOnlyRejected)] = 1;
  validity.by_verdict[static_cast<size_t>(Verdict::kSkipped)] = 1;
  // Every check skipped, with reasons (the JUnit testcase is <skipped> and says why).
  CountsRow devices{"DevicesAgree", Op::kConv2d, Device::kCuda, DType::kFloat32, {}, 0, {}};
  devices.by_verdict[static_cast<size_t>(Verdict::kSkipped)] = 43;
  devices.skipped_by_reason = {{"no CUDA device", 40}, {"work cap", 3}};
  r.counts = {validity, devices, shape};
  r.failures = {ValidityFailure(), ShapeFailure()};
  r.known = {{"torch-1.13-transpose-extra-row", "ShapeAgrees", "https://example.org/issue/1", 2, 40},
             {"torch-1.13-bf16-refusal", "ValidityAgrees", "fixed upstream? | see PR 2", 0, 12}};
  r.kernel_stride = {{"3", "2", 300, 3}, {"1", "1", 500, 0}, {"8+", "5+", 200, 1}};
  r.timings = {{"backend", "libtorch 1.13.1 (shapes)", 125, 2.5},
               {"judge", "oracle + Judge + tallies (base properties)", 1000, 0.25},
               {"property", "RoundTripRestoresInput", 1000, 0.5}};
  Summarize(&r);
  return r;
}

const std::map<std::string, std::string>& GoldenPlaceholders() {
  static const std::map<std::string, std::string> p = {
      {"{{TIME}}", "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"},
      {"{{VERSION}}", "[0-9A-Za-z.+-]+"},
      {"{{REVISION}}", "[0-9a-f]*"}};
  return p;
}

namespace {

// The next placeholder in `golden` at or after `from`: its position and name.
std::pair<size_t, std::string> NextPlaceholder(const std::string& golden, size_t from) {
  std::pair<size_t, std::string> best{std::string::npos, ""};
  for (const auto& [name, pattern] : GoldenPlaceholders()) {
    const size_t at = golden.find(name, from);
    if (at < best.first) best = {at, name};
  }
  return best;
}

std::string LineAt(const std::string& text, size_t pos) {
  const size_t begin = text.rfind('\n', pos == 0 ? 0 : pos - 1);
  const size_t start = begin == std::string::npos ? 0 : begin + 1;
  return text.substr(start, text.find('\n', start) - start);
}

std::string Mismatch(const std::string& golden, size_t g, const std::string& actual, size_t a) {
  return "golden differs at byte " + std::to_string(a) + "\n  golden: " + LineAt(golden, g) +
         "\n  actual: " + LineAt(actual, a);
}

}  // namespace

std::string GoldenMismatch(const std::string& golden, const std::string& actual) {
  size_t g = 0, a = 0;
  while (true) {
    const auto [at, name] = NextPlaceholder(golden, g);
    const size_t literal = (at == std::string::npos ? golden.size() : at) - g;
    if (actual.compare(a, literal, golden, g, literal) != 0) {
      size_t k = 0;
      while (k < literal && a + k < actual.size() && actual[a + k] == golden[g + k]) ++k;
      return Mismatch(golden, g + k, actual, a + k);
    }
    g += literal;
    a += literal;
    if (at == std::string::npos) break;
    std::smatch m;
    const std::string rest = actual.substr(a, 200);
    if (!std::regex_search(rest, m, std::regex(GoldenPlaceholders().at(name)),
                           std::regex_constants::match_continuous)) {
      return Mismatch(golden, g, actual, a) + " (placeholder " + name + ")";
    }
    g += name.size();
    a += static_cast<size_t>(m.length(0));
  }
  if (a != actual.size()) return Mismatch(golden, g, actual, a) + " (actual is longer)";
  return "";
}

namespace {

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t at = s->find(from); at != std::string::npos; at = s->find(from, at + to.size())) {
    s->replace(at, from.size(), to);
  }
}

}  // namespace

std::string CheckGolden(const std::string& name, const std::string& actual, const Report& fixture) {
  const std::string path = std::string(CONVCHECK_SOURCE_DIR) + "/tests/reports/golden/" + name;
  const char* update = std::getenv("CONVCHECK_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::string golden = actual;
    ReplaceAll(&golden, fixture.context.start_time, "{{TIME}}");
    ReplaceAll(&golden, fixture.context.tool_version, "{{VERSION}}");
    ReplaceAll(&golden, fixture.context.git_revision, "{{REVISION}}");
    std::ofstream(path) << golden;
    return "";
  }
  std::ifstream in(path);
  if (!in) return path + ": golden file missing (run with CONVCHECK_UPDATE_GOLDEN=1)";
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string mismatch = GoldenMismatch(buf.str(), actual);
  return mismatch.empty() ? "" : path + ": " + mismatch;
}

}  // namespace convcheck::report::testing
