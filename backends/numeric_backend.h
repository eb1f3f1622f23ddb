// The numeric side of a backend: run a case's op on given float64 values (converted to the
// case's dtype, device and layout inside) and hand float64 values back, plus the input and
// weight gradients from the framework's autograd. Kept apart from Backend (shapes only) so
// shape runs stay cheap and a numeric backend can be wrapped, e.g. with planted faults.
// Never throws: framework errors become a Rejected outcome.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "oracles/conv_case.h"
#include "oracles/reference_conv.h"
#include "oracles/tensor_values.h"

namespace convcheck {

struct NumericOutcome {
  // kCrashed and kTimedOut come from isolation (backends/isolation/isolated_numeric.h): the
  // worker running the call died of a signal, or ran past its limit; `message` says which.
  enum class Kind { kValues, kRejected, kSkipped, kCrashed, kTimedOut };
  Kind kind = Kind::kValues;
  DoubleTensor output;       // kValues: the forward output (shape and values)
  DoubleTensor input_grad;   // kValues from Gradients: d<out, grad_out>/d input
  DoubleTensor weight_grad;  // kValues from Gradients: d<out, grad_out>/d weight
  std::string message;       // kRejected: the framework's message; kSkipped: the reason

  static NumericOutcome Rejected(std::string m) { return {Kind::kRejected, {}, {}, {}, std::move(m)}; }
  static NumericOutcome Skipped(std::string m) { return {Kind::kSkipped, {}, {}, {}, std::move(m)}; }
  static NumericOutcome Crashed(std::string m) { return {Kind::kCrashed, {}, {}, {}, std::move(m)}; }
  static NumericOutcome TimedOut(std::string m) { return {Kind::kTimedOut, {}, {}, {}, std::move(m)}; }
};

class NumericBackend {
 public:
  virtual ~NumericBackend() = default;
  // Framework name and version as reports print them ("libtorch 1.13.1").
  virtual std::string Name() const = 0;
  // Whether `device` can run here now (CPU always; CUDA only with a device present).
  virtual bool DeviceAvailable(Device device) const = 0;
  // The forward op of `c` (op, padding, groups, dtype, device, layout) on `data` (bias used
  // only when c.bias; linear reads weight and bias too; a pool, flatten or an elementwise
  // layer reads data.input alone and leaves weight_grad empty). Skipped
  // "no CUDA device" when c.device is unavailable.
  virtual NumericOutcome Forward(const ConvCase& c, const CaseData& data) = 0;
  // Forward, then backward with upstream gradient `grad_output` (the output's shape): fills
  // output, input_grad and weight_grad.
  virtual NumericOutcome Gradients(const ConvCase& c, const CaseData& data,
                                   const DoubleTensor& grad_output) = 0;
};

// Makes a numeric backend on first use (decorators wrap one factory in another).
using NumericFactory = std::function<std::shared_ptr<NumericBackend>()>;

// The default numeric backend (LibTorch) from its plugin, loaded in this process on first
// use; nullptr when the plugin is not installed or cannot load (backends/default_backend.cpp).
std::unique_ptr<NumericBackend> MakeDefaultNumericBackend();

}  // namespace convcheck
