// The flags every engine command takes (run, check, replay), declared once so they mean the same
// everywhere: isolation (--jobs, --no-isolation, --rlimit-mb, --case-timeout), --properties,
// --numeric-rate, --allow-skipped, --corpus, --no-save, and the report outputs. Header-only: only
// the CLI, which links CLI11, includes it.
#pragma once

#include <memory>
#include <thread>

#include <CLI/CLI.hpp>

#include "backends/isolation/isolated_backend.h"
#include "backends/numeric_backend.h"
#include "engine/run_config.h"
#include "engine/session.h"
#include "properties/numeric_properties.h"
#include "properties/property_table.h"

namespace convcheck::cli {

struct EngineArgs {
  RunConfig config;
  IsolationOptions isolation{static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))};
  bool no_isolation = false;
  bool no_save = false;
  bool no_shrink = false;
  SessionOptions session;
};

inline void AddEngineFlags(CLI::App* cmd, EngineArgs* a) {
  cmd->add_option("--properties", a->config.properties,
                  "extra properties besides ShapeAgrees/ValidityAgrees, comma-separated; default: all "
                  "(DevicesAgree only with a CUDA device); 'none' for none. Known: " +
                      JoinNames(ExtraPropertyNames()))->delimiter(',');
  cmd->add_option("--numeric-rate", a->config.numeric_rate,
                  "share of cases (0-1) offered to each numeric property (values, adjoint, gradients, devices)")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--allow-skipped", a->config.allow_skipped,
                "exit 0 even when a requested property, the backend or the device executed no check (else exit 3)");
  cmd->add_option("--corpus", a->session.corpus_flag,
                  "corpus folder: known deviations from <corpus>/known, new regressions saved into "
                  "<corpus>/regressions; must exist. Default: ./corpus when present, else nothing is "
                  "saved and the known deviations shipped with convcheck are used");
  cmd->add_flag("--no-save", a->no_save, "do not save new minimized divergences into <corpus>/regressions");
  cmd->add_flag("--quiet", a->config.quiet, "print only the summary");
  cmd->add_option("--max-printed", a->config.max_printed, "reproducer blocks printed in full")->capture_default_str();
  cmd->add_option("--report", a->session.outputs.json, "write the report JSON here (atomically; marked incomplete after Ctrl-C)");
  cmd->add_option("--junit", a->session.outputs.junit, "write JUnit XML here");
  cmd->add_option("--markdown", a->session.outputs.markdown, "write a Markdown summary here");
  cmd->add_option("--html", a->session.outputs.html, "write a self-contained HTML report here");
  cmd->add_option("--jobs", a->isolation.jobs, "worker processes (default: the number of cores); results do not depend on it")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_flag("--no-isolation", a->no_isolation, "run the backend in this process (debugging; a crashing case ends the run)");
  cmd->add_option("--rlimit-mb", a->isolation.rlimit_mb, "address space (MiB) each worker may add to its start size (RLIMIT_AS); 0 = unlimited")
      ->capture_default_str();
  cmd->add_option("--case-timeout", a->isolation.case_timeout_s, "seconds one case may run before it is a timeout")
      ->capture_default_str()->check(CLI::PositiveNumber);
}

// Checks what CLI11 cannot: the property names. False with one line in `error`.
inline bool FinishEngineArgs(EngineArgs* a, std::string* error) {
  if (!SelectProperties(a->config.properties, error)) return false;
  a->session.save = !a->no_save;
  a->config.shrink = !a->no_shrink;
  return true;
}

// The build's backend, in forked workers unless isolation is off; nullptr when this build has
// no backend. The factory runs in the workers only (the framework stays out of the parent).
// A worker that cannot run the canary case (e.g. --rlimit-mb too small for LibTorch to start)
// is a usage error: `error` gets one line and the result is nullptr.
inline std::unique_ptr<Backend> MakeSelectedBackend(const EngineArgs& a, std::string* error) {
  if (a.no_isolation) return MakeDefaultBackend();
#ifndef CONVCHECK_HAVE_TORCH
  (void)error;
  return nullptr;
#else
  auto isolated = std::make_unique<IsolatedBackend>([] { return MakeDefaultBackend(); }, a.isolation);
  const std::string problem = isolated->StartupProblem();
  if (problem.empty()) return isolated;
  *error = "workers cannot start" +
           (a.isolation.rlimit_mb ? " within --rlimit-mb " + std::to_string(a.isolation.rlimit_mb) + " (raise it, or 0 for no limit)" : std::string()) +
           ": " + problem;
  return nullptr;
#endif
}

// The numeric properties' backend, created on first use (a run that samples none never starts it).
inline NumericSetup DefaultNumericSetup() {
  NumericSetup setup;
  setup.factory = [] { return std::shared_ptr<NumericBackend>(MakeDefaultNumericBackend()); };
  return setup;
}

}  // namespace convcheck::cli
