// The isolation flags shared by `convcheck run` and `convcheck replay` (--jobs, --no-isolation,
// --rlimit-mb, --case-timeout) and the backend they select. Header-only: only the CLI, which
// links CLI11, includes it.
#pragma once

#include <memory>
#include <thread>

#include <CLI/CLI.hpp>

#include "harness/isolation/isolated_backend.h"

namespace convcheck::cli {

struct IsolationArgs {
  IsolationOptions options{static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))};
  bool disabled = false;
};

inline void AddIsolationFlags(CLI::App* cmd, IsolationArgs* args) {
  cmd->add_option("--jobs", args->options.jobs, "worker processes (default: the number of cores); results do not depend on it")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_flag("--no-isolation", args->disabled, "run the backend in this process (debugging; a crashing case ends the run)");
  cmd->add_option("--rlimit-mb", args->options.rlimit_mb, "address space (MiB) each worker may add to its start size (RLIMIT_AS); 0 = unlimited")
      ->capture_default_str();
  cmd->add_option("--case-timeout", args->options.case_timeout_s, "seconds one case may run before it is a timeout")
      ->capture_default_str()->check(CLI::PositiveNumber);
}

// The default backend, wrapped in forked workers unless isolation is disabled; nullptr when
// this build has no backend. The factory runs in the workers only (torch stays out of the
// parent).
inline std::unique_ptr<Backend> MakeSelectedBackend(const IsolationArgs& args) {
  if (args.disabled) return MakeDefaultBackend();
#ifndef CONVCHECK_HAVE_TORCH
  return nullptr;
#else
  return std::make_unique<IsolatedBackend>([] { return MakeDefaultBackend(); }, args.options);
#endif
}

}  // namespace convcheck::cli
