// The interface every framework backend implements: run one case, report what came out.
// A backend never throws; framework errors become a Rejected outcome here and nowhere else.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "oracles/conv_case.h"

namespace convcheck {

struct BackendOutcome {
  enum class Kind { kShape, kRejected, kSkipped };
  Kind kind = Kind::kShape;
  Dims shape;           // kShape: the output's sizes
  std::string message;  // kRejected: the framework's message; kSkipped: the reason

  static BackendOutcome Shape(Dims s) { return {Kind::kShape, std::move(s), ""}; }
  static BackendOutcome Rejected(std::string m) { return {Kind::kRejected, {}, std::move(m)}; }
  static BackendOutcome Skipped(std::string m) { return {Kind::kSkipped, {}, std::move(m)}; }
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
};

// The backend compiled into this build: LibTorch when CONVCHECK_WITH_TORCH, else nullptr.
std::unique_ptr<Backend> MakeDefaultBackend();

}  // namespace convcheck
