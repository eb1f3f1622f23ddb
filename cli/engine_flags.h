// The flags every engine command takes (run, check, replay), declared once so they mean the same
// everywhere: isolation (--jobs, --no-isolation, --rlimit-mb, --case-timeout), --properties,
// --numeric-rate, --allow-skipped, --corpus, --no-save, and the report outputs. Header-only: only
// the CLI, which links CLI11, includes it.
#pragma once

#include <memory>
#include <thread>

#include <CLI/CLI.hpp>

#include "backends/isolation/captured_numeric.h"
#include "backends/isolation/isolated_backend.h"
#include "backends/isolation/isolated_numeric.h"
#include "backends/named_backend.h"
#include "backends/plugin/plugin_loader.h"
#include "cli/options.h"
#include "backends/numeric_backend.h"
#include "engine/run_config.h"
#include "engine/session.h"
#include "properties/numeric_properties.h"
#include "properties/property_table.h"

namespace convcheck::cli {

struct EngineArgs {
  RunConfig config;
  IsolationOptions isolation = [] {
    IsolationOptions o;
    o.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return o;
  }();
  bool no_isolation = false;
  bool no_save = false;
  bool no_shrink = false;
  SessionOptions session;
  // --backend: the plugins to run, each in turn (cli/backend_loop.h).
  std::vector<std::string> backends = {"libtorch"};
  // --values: every numeric property on every case (check and replay judge few cases, where
  // the default 5% sample would leave most without their values checked).
  bool values = false;
};

inline void AddEngineFlags(CLI::App* cmd, EngineArgs* a) {
  cmd->add_option("--backend", a->backends,
                  "backend plugins to run, comma-separated, each in turn with its own known deviations and "
                  "reports (a report path gets .<name> before its extension when there are several); "
                  "`convcheck backends` lists them")
      ->delimiter(',')->capture_default_str();
  cmd->add_option("--properties", a->config.properties,
                  "extra properties besides ShapeAgrees/ValidityAgrees, comma-separated; default: all "
                  "(DevicesAgree only with a CUDA device); 'none' for none. Known: " +
                      JoinNames(ExtraPropertyNames()))->delimiter(',');
  cmd->add_option("--numeric-rate", a->config.numeric_rate,
                  "share of cases (0-1) offered to each numeric property (values, adjoint, gradients, devices)")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--values", a->values,
                "run the numeric properties (values, adjoint, gradients, devices) on every case, with "
                "run's tolerances: --numeric-rate 1. A case line can ask for one instead: "
                "{\"format\": 1, \"property\": \"ValuesMatchReference\", \"case\": {...}}");
  cmd->add_flag("--allow-skipped", a->config.allow_skipped,
                "exit 0 even when a requested property, the backend or the device executed no check (else exit 3)");
  cmd->add_option("--corpus", a->session.corpus_flag,
                  "corpus folder: known deviations from <corpus>/known, new regressions saved into "
                  "<corpus>/regressions; must exist. Default: ./corpus when present, else nothing is "
                  "saved and the known deviations shipped with convcheck are used");
  cmd->add_flag("--no-save", a->no_save, "do not save new minimized divergences into <corpus>/regressions");
  cmd->add_flag("--quiet", a->config.quiet, "print only the summary");
  cmd->add_flag("--verbose", a->session.verbose,
                "print every line the framework printed in the workers (by default: a deduplicated count)");
  cmd->add_option("--max-printed", a->config.max_printed, "reproducer blocks printed in full")->capture_default_str();
  cmd->add_option("--report", a->session.outputs.json, "write the report JSON here (atomically; marked incomplete after Ctrl-C)");
  cmd->add_option("--junit", a->session.outputs.junit, "write JUnit XML here");
  cmd->add_option("--markdown", a->session.outputs.markdown, "write a Markdown summary here");
  cmd->add_option("--html", a->session.outputs.html, "write a self-contained HTML report here");
  cmd->add_option("--jobs", a->isolation.jobs, "worker processes (default: the number of cores); results do not depend on it")
      ->capture_default_str()->check(AtLeast(1));
  cmd->add_flag("--no-isolation", a->no_isolation, "run the backend in this process (debugging; a crashing case ends the run)");
  cmd->add_option("--rlimit-mb", a->isolation.rlimit_mb, "address space (MiB) each worker may add to its start size (RLIMIT_AS); 0 = unlimited")
      ->capture_default_str();
  cmd->add_option("--case-timeout", a->isolation.case_timeout_s, "seconds one case may run before it is a timeout (a family a known deviation records as a hang gets its record's time_limit_s when that is shorter)")
      ->capture_default_str()->check(Positive());
}

// Checks what CLI11 cannot: the property names. False with one line in `error`.
inline bool FinishEngineArgs(EngineArgs* a, std::string* error) {
  if (!SelectProperties(a->config.properties, error)) return false;
  a->session.save = !a->no_save;
  a->config.shrink = !a->no_shrink;
  if (a->values) a->config.numeric_rate = 1.0;
  // The workers' library output is collected here and reported by the session.
  if (!a->no_isolation) {
    a->isolation.captured = std::make_shared<CapturedOutput>();
    a->session.library_output = a->isolation.captured;
    // Families the known deviations say hang get their record's shorter limit (session.h).
    a->session.known_hangs = std::make_shared<CaseTimeLimit>();
    a->session.numeric_known_hangs = std::make_shared<CaseTimeLimit>();
    a->isolation.known_hangs = a->session.known_hangs;
  }
  return true;
}

// The default backend (its plugin), in forked workers unless isolation is off; nullptr with one
// line in `why_not` when the plugin is not installed or cannot load. Each worker creates its
// backend (the framework's state, threads and caches live in the workers only), but the parent
// maps the plugin library first (PreloadNamedBackendPlugin): without that, every worker and
// every respawn after a crash paid a full dlopen of LibTorch (0.5 s idle, 2.5 s on a loaded
// 2-core machine; a default run has ~20 crashes). The parent then holds LibTorch's code, its
// static initializers' state and oneDNN's generated gemm kernels but has run no op and started
// no thread, so forking from it stays what it was before the plugins.
inline std::unique_ptr<Backend> MakeSelectedBackend(const EngineArgs& a, const std::string& name, std::string* why_not) {
  if (const std::optional<std::string> missing = NamedBackendMissing(name)) {
    *why_not = *missing;
    return nullptr;
  }
  if (a.no_isolation) {
    std::unique_ptr<Backend> backend = MakeNamedBackend(name);
    if (!backend) *why_not = PreloadNamedBackendPlugin(name);
    return backend;
  }
  if (std::string error = PreloadNamedBackendPlugin(name); !error.empty()) {
    *why_not = error;
    return nullptr;
  }
  // A worker that cannot run the canary case (e.g. --rlimit-mb too small for LibTorch to start)
  // is a usage error: one line in `why_not`.
  auto isolated = std::make_unique<IsolatedBackend>([name] { return MakeNamedBackend(name); }, a.isolation);
  const std::string problem = isolated->StartupProblem();
  if (problem.empty()) return isolated;
  *why_not = "workers cannot start" +
             (a.isolation.rlimit_mb ? " within --rlimit-mb " + std::to_string(a.isolation.rlimit_mb) + " (raise it, or 0 for no limit)" : std::string()) +
             ": " + problem;
  return nullptr;
}

// The first --backend (the default, libtorch, unless named otherwise).
inline std::unique_ptr<Backend> MakeSelectedBackend(const EngineArgs& a, std::string* why_not) {
  return MakeSelectedBackend(a, a.backends.empty() ? std::string("libtorch") : a.backends.front(), why_not);
}

// Where the numeric properties' framework calls run: in a worker process of their own
// (backends/isolation/isolated_numeric.h) unless --no-isolation. Each call gets --case-timeout
// (a family known to hang, its record's shorter time_limit_s): the work cap (kNumericWorkCap
// multiply-adds, forward and backward) keeps a sound call far below it, and shrinking a hang
// re-runs it per step. What they print goes to the run's capture (EngineArgs::isolation.captured)
// when there is one: the worker is started, and asked, under the parent's capture, whose stdout
// and stderr it inherits.
inline NumericFactory Placed(NumericFactory factory, const EngineArgs& a) {
  if (!a.no_isolation) {
    factory = IsolatedNumericFactory(std::move(factory), a.isolation.case_timeout_s, a.session.numeric_known_hangs);
  }
  return CapturingNumericFactory(std::move(factory), a.isolation.captured);
}

// The numeric properties' backend, created on first use (a run that samples none never starts
// it). With isolation (the default) the framework runs only in its worker, never in this
// process, from which the shape workers are forked: a crash there is a verdict, and this process
// keeps no framework state a forked child could inherit mid-operation.
inline NumericSetup DefaultNumericSetup(const EngineArgs& a) {
  NumericSetup setup;
  setup.factory = Placed([] { return std::shared_ptr<NumericBackend>(MakeDefaultNumericBackend()); }, a);
  return setup;
}

// The numeric backend of plugin `name` (none for a shapes-only plugin: the numeric properties
// then skip with that reason).
inline NumericSetup NamedNumericSetup(const std::string& name, const EngineArgs& a) {
  NumericSetup setup;
  setup.factory = Placed([name] { return std::shared_ptr<NumericBackend>(MakeNamedNumericBackend(name)); }, a);
  return setup;
}

// The numeric setup of backend `name`'s turn, with ValuesAgreeAcrossEngines' peer: LibTorch
// for another engine that computes values (opencv), so `run --backend libtorch,opencv` compares
// the two once, in the opencv turn; none in LibTorch's own turn, so a libtorch-only run costs
// what it did. A missing LibTorch plugin leaves the peer out with that reason.
inline NumericSetup TurnNumericSetup(const std::string& name, const EngineArgs& a) {
  if (name == "libtorch") {
    NumericSetup setup = DefaultNumericSetup(a);
    setup.peer_missing = "no peer engine: LibTorch is the peer in another engine's turn (--backend libtorch,opencv)";
    return setup;
  }
  NumericSetup setup = NamedNumericSetup(name, a);
  if (const std::optional<std::string> missing = NamedBackendMissing("libtorch")) {
    setup.peer_missing = "no peer engine: " + *missing;
  } else {
    setup.peer_factory = DefaultNumericSetup(a).factory;
  }
  return setup;
}

}  // namespace convcheck::cli
