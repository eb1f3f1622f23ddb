// The interface every framework backend implements: run one case, report what came out.
// A backend never throws; framework errors become a Rejected outcome here and nowhere else.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "oracles/conv_case.h"
#include "oracles/output_shape.h"  // PadPair

namespace convcheck {

struct BackendOutcome {
  // kCrashed / kTimedOut come only from an isolating wrapper (a worker process died or ran
  // past the per-case limit); a backend running in-process never reports them.
  enum class Kind { kShape, kRejected, kSkipped, kCrashed, kTimedOut };
  Kind kind = Kind::kShape;
  Dims shape;           // kShape: the output's sizes
  std::string message;  // kRejected: the framework's message; kSkipped: the reason;
                        // kCrashed: the signal ("SIGSEGV"); kTimedOut: the limit
  // kRejected: the type of what the framework threw, as its C++ name ("c10::Error",
  // "c10::IndexError", "std::bad_alloc"), the counterpart of OpInfo's ErrorInput error_type;
  // "" when the backend does not tell (then the reason table does not judge the type).
  std::string error_type = "";
  // Measured by an isolating wrapper's worker: how far the worker's resident memory rose above
  // its level before the case (peak RSS, VmHWM after a reset); -1 when not measured.
  int64_t peak_bytes = -1;

  static BackendOutcome Shape(Dims s) { return {Kind::kShape, std::move(s), ""}; }
  static BackendOutcome Rejected(std::string m, std::string type = "") {
    return {Kind::kRejected, {}, std::move(m), std::move(type)};
  }
  static BackendOutcome Skipped(std::string m) { return {Kind::kSkipped, {}, std::move(m)}; }
  static BackendOutcome Crashed(std::string m) { return {Kind::kCrashed, {}, std::move(m)}; }
  static BackendOutcome TimedOut(std::string m) { return {Kind::kTimedOut, {}, std::move(m)}; }
};

// One RunPadded call: a case and its per-dim (left, right) amounts.
struct PaddedCall {
  ConvCase c;
  std::vector<PadPair> pads;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Framework name as reports print it ("libtorch").
  virtual std::string Name() const = 0;
  // Framework version ("1.13.1").
  virtual std::string Version() const = 0;
  // Devices this build can run on right now (CPU always; CUDA when a device is present).
  virtual std::vector<Device> Devices() const = 0;
  // Runs the forward op of `c` and reports its output shape, the framework's rejection, or why
  // it was skipped (e.g. "no CUDA device").
  virtual BackendOutcome Run(const ConvCase& c) = 0;
  // Runs a batch; outcome i belongs to case i (RunEach for a backend that has nothing better).
  // An isolating or parallel wrapper spreads it; results must not depend on how it is split.
  virtual std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) = 0;
  // Runs `c` with explicit per-dim (left, right) amounts, the recipes of other frameworks'
  // padding conventions: a convolution constant-pads its input by pads[i] and then convolves
  // with padding 0 (c.padding is ignored); a transposed convolution runs as given and then
  // crops pads[i] elements off the ends of spatial dim i. Pure virtual like every call here: a
  // decorator that forgot to forward it once made a property skip every case, unnoticed.
  virtual BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) = 0;
  // Runs a batch of RunPadded calls; outcome i belongs to call i (RunPaddedEach for a backend
  // that has nothing better). An isolating wrapper spreads it over its workers, as RunBatch.
  virtual std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) = 0;
};

// RunBatch for a backend that runs cases one at a time, in order.
std::vector<BackendOutcome> RunEach(Backend& backend, const std::vector<ConvCase>& cases);
// RunPaddedBatch for a backend that runs recipe calls one at a time, in order.
std::vector<BackendOutcome> RunPaddedEach(Backend& backend, const std::vector<PaddedCall>& calls);

// The default backend (LibTorch), loaded from its plugin (backends/plugin/plugin_loader.h) in
// this process on first use; nullptr when the plugin is not installed or cannot load.
std::unique_ptr<Backend> MakeDefaultBackend();

// Why a command cannot have the default backend, from the plugin folder's listing alone (loads
// nothing, so a parent that only spawns workers stays framework-free); nullopt when installed.
std::optional<std::string> DefaultBackendMissing();

}  // namespace convcheck
