// The numeric properties (issue #4): a backend can return the right shape and wrong numbers.
//   ValuesMatchReference  forward output vs the float64 reference (oracles/reference_conv.h)
//   TransposeIsAdjoint    <conv(x, w), y> == <x, conv_transpose(y, w)>
//   GradientIsTranspose   autograd's input gradient is the transposed op of the upstream
//                         gradient; its weight gradient matches the reference
//   DevicesAgree          CPU and CUDA outputs agree (skipped "no CUDA device" without a GPU)
// ValuesMatchReference and GradientIsTranspose also judge the pools, linear, flatten and the
// elementwise layers (the input gradient is the op's vector-Jacobian product; linear's weight
// gradient is compared too; property_table.cpp scopes each property to its ops).
// All four are sampled by RunConfig::numeric_rate. Tolerances come
// from the one table in oracles/tolerance.h; cases above the work cap are skipped, visibly.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>
#include <memory>
#include <string>

#include "backends/numeric_backend.h"
#include "properties/property.h"

namespace convcheck {

// Multiply-adds (forward op, times the property's work factor) above which a numeric
// property skips a case: the float64 reference runs about 2e8 multiply-adds per second, so a
// capped case costs a few milliseconds and a default run (20000 cases, rate 0.05) stays well
// under a minute.
inline constexpr int64_t kNumericWorkCap = 1'000'000;

// Where a numeric property gets its numbers: `backend`, or else what `factory` makes on first
// use (so a run that samples no numeric case never starts a framework); neither: every case is
// skipped, "no numeric backend". Tests inject wrapped backends.
struct NumericSetup {
  std::shared_ptr<NumericBackend> backend;
  int64_t work_cap = kNumericWorkCap;
  std::function<std::shared_ptr<NumericBackend>()> factory;
  // The other engine ValuesAgreeAcrossEngines (properties/cross_engine_values.h) compares
  // `backend` with: `peer`, or what `peer_factory` makes on first use; neither: that property
  // is left out of a default selection and skips every case with `peer_missing`.
  std::shared_ptr<NumericBackend> peer;
  std::function<std::shared_ptr<NumericBackend>()> peer_factory;
  std::string peer_missing = "no peer engine configured";
  bool HasPeer() const { return peer || peer_factory; }
};

// A setup of `backend` with `work_cap` and nothing else: no factory, no peer (C++17 has no
// designated initializers, and a partial brace list warns under -Wextra).
inline NumericSetup NumericSetupFor(std::shared_ptr<NumericBackend> backend, int64_t work_cap = kNumericWorkCap) {
  NumericSetup s;
  s.backend = std::move(backend);
  s.work_cap = work_cap;
  return s;
}

// The gate all four share: the property applies to oracle-valid cases only (validity is
// ValidityAgrees' job); it is skipped, with the reason, without a numeric backend, without the
// device it needs ("no CUDA device") or above the work cap; when the backend refuses or
// mis-shapes the case it is skipped as "shape property failed: ..." so one bug is not
// counted twice.
class NumericProperty : public CaseProperty {
 public:
  explicit NumericProperty(NumericSetup setup = {});
  bool Numeric() const final { return true; }
  std::optional<CaseResult> Check(const ConvCase& c, Backend& backend) final;

 protected:
  // Forward-op equivalents of work per case (gradients cost about three).
  virtual int64_t WorkFactor() const { return 1; }
  // Whether the claim is defined for this valid case.
  virtual bool Applies(const ConvCase& /*c*/) const { return true; }
  // Whether the check needs a CUDA device (DevicesAgree always does).
  virtual bool NeedsCuda(const ConvCase& c) const { return c.device == Device::kCuda; }
  // Judges a valid, affordable case; `r` arrives with case, expectation and property set.
  virtual void CheckValid(const ConvCase& c, NumericBackend& numeric, CaseResult* r) = 0;

 private:
  NumericSetup setup_;
  bool resolved_ = false;
};

class ValuesMatchReference final : public NumericProperty {
 public:
  using NumericProperty::NumericProperty;
  std::string Name() const override { return "ValuesMatchReference"; }

 protected:
  void CheckValid(const ConvCase& c, NumericBackend& numeric, CaseResult* r) override;
};

// Runs the case without bias and its adjoint partner (same weight, the other direction,
// output_padding chosen so the partner's output has the case's input shape). Defined for
// padding_mode zeros with symmetric pads (what a transposed op can express).
class TransposeIsAdjoint final : public NumericProperty {
 public:
  using NumericProperty::NumericProperty;
  std::string Name() const override { return "TransposeIsAdjoint"; }

 protected:
  int64_t WorkFactor() const override { return 2; }
  bool Applies(const ConvCase& c) const override;
  void CheckValid(const ConvCase& c, NumericBackend& numeric, CaseResult* r) override;
};

class GradientIsTranspose final : public NumericProperty {
 public:
  using NumericProperty::NumericProperty;
  std::string Name() const override { return "GradientIsTranspose"; }

 protected:
  int64_t WorkFactor() const override { return 3; }
  void CheckValid(const ConvCase& c, NumericBackend& numeric, CaseResult* r) override;
};

class DevicesAgree final : public NumericProperty {
 public:
  using NumericProperty::NumericProperty;
  std::string Name() const override { return "DevicesAgree"; }

 protected:
  int64_t WorkFactor() const override { return 2; }
  bool NeedsCuda(const ConvCase& /*c*/) const override { return true; }
  void CheckValid(const ConvCase& c, NumericBackend& numeric, CaseResult* r) override;
};

// ValuesMatchReference, TransposeIsAdjoint, GradientIsTranspose, DevicesAgree, sharing `setup`.
std::vector<std::unique_ptr<CaseProperty>> MakeNumericProperties(const NumericSetup& setup);

// The adjoint partner TransposeIsAdjoint runs for a (valid, applicable) case.
ConvCase AdjointPartner(const ConvCase& c, const Dims& output_shape);

}  // namespace convcheck
