// `convcheck fuzz TARGET --seconds N`: runs a built libFuzzer target (CONVCHECK_FUZZ=ON, clang)
// with flags that suit it, so nobody has to remember them. The seed corpus is read from
// corpus/fuzz/<target>/; new inputs go to a scratch folder (merge them with -merge=1).
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "cli/command.h"
#include "cli/options.h"

namespace convcheck::cli {
namespace {

namespace fs = std::filesystem;

struct FuzzArgs {
  std::string target;
  int seconds = 600;
  std::string binary;  // default: <dir of convcheck>/fuzz/<target>
  std::string corpus = "corpus";  // the checkout's corpus when run from its root
  std::string out = "fuzz-out";
  std::vector<std::string> extra;
};

// Per target: longest input worth mutating, per-input time limit (s), RSS limit (MiB).
struct TargetFlags {
  int max_len, timeout_s, rss_limit_mb;
};

const std::map<std::string, TargetFlags>& Targets() {
  // A case needs ~20-60 bytes (generators/byte_decoder.h); JSON text a few hundred. The
  // differential target allows 2 GiB of address space per case plus LibTorch itself.
  static const std::map<std::string, TargetFlags> targets = {
      {"conv_diff_fuzzer", {128, 20, 4096}},
      {"case_parser_fuzzer", {4096, 5, 2048}},
  };
  return targets;
}

std::string SelfDir() {
  std::error_code ec;
  return fs::read_symlink("/proc/self/exe", ec).parent_path().string();
}

// libFuzzer's exit codes for a finding (set explicitly below); anything else that is not 0 means
// the fuzzer did not run as asked (a bad -dict, a wrong binary, a bad flag).
constexpr int kCrashExit = 77, kTimeoutExit = 70, kOomExit = 71;

// Runs argv in `dir`, so that whatever libFuzzer writes to its working directory (fuzz-N.log in
// fork mode, crash-* without -artifact_prefix) lands in the output folder.
int Exec(const std::vector<std::string>& argv, const std::string& dir) {
  std::vector<char*> raw;
  for (const std::string& a : argv) raw.push_back(const_cast<char*>(a.c_str()));
  raw.push_back(nullptr);
  std::cout.flush();
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(127);
    execv(raw[0], raw.data());
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::set<std::string> FileNames(const std::string& dir) {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) names.insert(e.path().filename().string());
  return names;
}

// A differential finding is new only when the engine says so: the crashes libFuzzer saved are
// replayed in isolated workers against the known deviations (convcheck replay), so the known
// SIGFPE for huge groups does not fail a CI campaign while anything else still does. true when
// every new finding is a known deviation.
bool AllKnown(const FuzzArgs& args, const std::string& artifacts, const std::set<std::string>& before,
              const std::string& out) {
  // replay reads raw inputs from a folder named after the target.
  const std::string triage = out + "/triage/" + args.target;
  std::error_code ec;
  fs::remove_all(out + "/triage", ec);
  fs::create_directories(triage, ec);
  for (const std::string& name : FileNames(artifacts)) {
    if (!before.count(name)) fs::copy_file(artifacts + name, triage + "/" + name, ec);
  }
  if (ec) return false;
  std::cout << "convcheck fuzz: replaying the new findings against the known deviations:\n";
  const int rc = Exec({(fs::path(SelfDir()) / "convcheck").string(), "replay", triage, "--no-save", "--quiet",
                       "--corpus", fs::absolute(args.corpus).string()},
                      out);
  return rc == kOk;
}

int RunFuzz(const FuzzArgs& args) {
  const TargetFlags& f = Targets().at(args.target);
  const std::string binary = fs::absolute(args.binary.empty() ? SelfDir() + "/fuzz/" + args.target : args.binary).string();
  if (access(binary.c_str(), X_OK) != 0) {
    std::cerr << "convcheck fuzz: " << binary << " is not built (configure with CC=clang-14 "
              << "CXX=clang++-14 -DCONVCHECK_FUZZ=ON, or pass --binary)\n";
    return kUsage;
  }
  // Absolute paths: libFuzzer runs inside the output folder.
  const std::string out = fs::absolute(args.out).string();
  const std::string seeds = fs::absolute(args.corpus + "/fuzz/" + args.target).string();
  const std::string dict = fs::absolute(args.corpus + "/../fuzz/" + args.target + ".dict").lexically_normal().string();
  const std::string scratch = out + "/" + args.target;
  const std::string artifacts = out + "/" + args.target + "-artifacts/";
  std::error_code ec;
  fs::create_directories(scratch, ec);
  fs::create_directories(artifacts, ec);
  if (ec) {
    std::cerr << "convcheck fuzz: --out " << args.out << ": " << ec.message() << "\n";
    return kUsage;
  }
  const std::set<std::string> before = FileNames(artifacts);
  const size_t findings_before = before.size();
  // Forked: a known deviation (the SIGFPE for huge groups) crashes one child, which is recorded
  // in the artifacts and replaced, instead of ending the campaign after ~100 executions.
  std::vector<std::string> argv = {
      binary, "-max_total_time=" + std::to_string(args.seconds),
      "-max_len=" + std::to_string(f.max_len), "-timeout=" + std::to_string(f.timeout_s),
      "-rss_limit_mb=" + std::to_string(f.rss_limit_mb), "-dict=" + dict,
      "-artifact_prefix=" + artifacts, "-print_final_stats=1", "-fork=1", "-ignore_crashes=1",
      "-ignore_timeouts=1", "-ignore_ooms=1", "-error_exitcode=" + std::to_string(kCrashExit),
      "-timeout_exitcode=" + std::to_string(kTimeoutExit)};
  argv.insert(argv.end(), args.extra.begin(), args.extra.end());
  argv.push_back(scratch);
  argv.push_back(seeds);
  std::cout << "convcheck fuzz:";
  for (const std::string& a : argv) std::cout << " " << a;
  std::cout << "\n";
  const int rc = Exec(argv, out);
  const size_t findings = std::distance(fs::directory_iterator(artifacts), fs::directory_iterator()) - findings_before;
  std::cout << "convcheck fuzz: exit " << rc << "; " << findings << " new findings in " << artifacts
            << " (logs in " << out << "); fold new inputs into the corpus with: " << binary << " -merge=1 " << seeds
            << " " << scratch << "\n";
  if (findings > 0 && args.target == "conv_diff_fuzzer" && AllKnown(args, artifacts, before, out)) {
    std::cout << "convcheck fuzz: none of the " << findings << " new findings replays as a new divergence "
              << "(replay exit 0: known deviations or agreement): no new bug\n";
    return kOk;
  }
  if (findings > 0 || rc == kCrashExit || rc == kTimeoutExit || rc == kOomExit) return kFound;
  if (rc != 0) {
    std::cerr << "convcheck fuzz: libFuzzer exited " << rc << " without a finding: it did not run as asked "
              << "(see its message above: a bad -dict, a wrong --binary or a bad --libfuzzer-flag)\n";
    return kUsage;
  }
  return kOk;
}

void Register(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<FuzzArgs>();
  CLI::App* cmd = app.add_subcommand(
      "fuzz",
      "Run a libFuzzer target with sensible flags (-max_len, -timeout, -rss_limit_mb, -dict).\n"
      "Runs forked (-fork=1 -ignore_crashes=1): a crash is saved under --out and the campaign goes\n"
      "on for the whole --seconds; libFuzzer's logs go under --out too.\n"
      "conv_diff_fuzzer's findings are then replayed (convcheck replay, isolated): findings that are\n"
      "all known deviations (the SIGFPE for huge groups) are no new bug.\n"
      "Exit 0 when the time budget ends without a new finding, 1 on a finding, 2 when the target\n"
      "is not built or libFuzzer does not start. Example: convcheck fuzz case_parser_fuzzer --seconds 10");
  cmd->add_option("target", args->target, "conv_diff_fuzzer or case_parser_fuzzer")
      ->required()->check(CLI::IsMember({"conv_diff_fuzzer", "case_parser_fuzzer"}));
  cmd->add_option("--seconds", args->seconds, "time budget")->capture_default_str()->check(AtLeast(1));
  cmd->add_option("--binary", args->binary, "the libFuzzer binary (default: fuzz/<target> next to convcheck)");
  cmd->add_option("--corpus", args->corpus, "corpus root (seeds in <corpus>/fuzz/<target>)")->capture_default_str();
  cmd->add_option("--out", args->out, "scratch folder for new inputs and findings")->capture_default_str();
  cmd->add_option("--libfuzzer-flag", args->extra, "extra flag passed to libFuzzer as is (repeatable)");
  cmd->callback([args, exit_code] { *exit_code = RunFuzz(*args); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
