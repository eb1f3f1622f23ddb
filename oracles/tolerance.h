// How close a backend's numbers must be to the float64 reference: ONE table of per-(dtype,
// device) units, scaled by the accumulation length, so no property carries its own magic
// numbers. Also the multiply-add work estimate that caps numeric properties. Std only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "oracles/conv_case.h"

namespace convcheck {

// Where a backend keeps the running sum of an element's L products, which sets how its
// rounding error grows with L.
enum class Accumulator {
  // In a wider type (float for bfloat16, or the dtype itself for float32/64): L rounding
  // errors of at most one unit each, of random sign, add up to about sqrt(L) units.
  kWide,
  // In the dtype itself, rounded after every product and every addition (LibTorch 1.13's CPU
  // gemm for bfloat16, ATen/native/cpu/BlasKernel.cpp: `c[...] += a[...] * val` into the
  // bfloat16 output). Step l rounds a partial sum of about sqrt(l) products, so the errors add
  // up to about sqrt(1 + 2 + ... + L + L) = sqrt(L(L+3)/2) units.
  kInDType,
};

// One row of the table. An element passes when
//   |actual - expected| <= abs_unit * G(L) + rel * |expected|
// with L the number of products summed into it (ForwardAccumulation and its siblings below) and
// G(L) = sqrt(L) for Accumulator::kWide, sqrt(L(L+3)/2) for kInDType. `why` cites the evidence.
struct ToleranceRow {
  DType dtype;
  Device device;
  double abs_unit;
  double rel;
  const char* why;
  Accumulator accumulator = Accumulator::kWide;
};

// G(L) above: how a row's abs_unit scales with the accumulation length `length` (>= 1).
double AccumulationGrowth(Accumulator accumulator, int64_t length);

// The table, one row per (dtype, device).
const std::vector<ToleranceRow>& ToleranceTable();

// A resolved tolerance for one comparison.
struct Tolerance {
  double atol = 0;
  double rtol = 0;
  bool Accepts(double actual, double expected) const;
};

// The row for (dtype, device) scaled to accumulation length `length` (>= 1).
Tolerance ToleranceFor(DType dtype, Device device, int64_t length);

// Products summed into one output element of the forward op: C_in/groups · prod(k) (for the
// transposed direction: the narrow side's channels per group · prod(k)); for a pool, its
// window volume (PoolWindowVolume); for linear, in_features; 1 for flatten, batch_norm and the
// elementwise layers. >= 1.
int64_t ForwardAccumulation(const ConvCase& c);
// Products summed into one input-gradient element: C_out/groups · prod(k); for a pool, the
// windows that share an input element (PoolGradientFanIn); for linear, out_features. >= 1.
int64_t InputGradAccumulation(const ConvCase& c);
// Products summed into one weight-gradient element: N · prod(narrow spatial size) (the conv
// output, or the transposed conv's input); for linear, the rows (the input's leading dims); for
// batch_norm, the elements of one channel (N · prod(spatial)). >= 1. `output_shape` is the op's output shape.
int64_t WeightGradAccumulation(const ConvCase& c, const Dims& output_shape);

// Multiply-adds of the forward op of a valid case with output `output_shape` (saturates at
// INT64_MAX); for another layer, output elements times ForwardAccumulation. Numeric properties skip cases above their cap rather than stall the run.
// Example: conv2d [1,3,8,8] -> [1,6,6,6], k3: 6·36·3·9 = 5832.
int64_t MultiplyAdds(const ConvCase& c, const Dims& output_shape);

// Elements of input, weight, bias and output together (saturates at INT64_MAX): the memory a
// numeric check allocates, which the multiply-adds miss for zero-batch cases with huge weights.
int64_t TensorElements(const ConvCase& c, const Dims& output_shape);

// Largest errors of `actual` against `expected` (same length), for the report.
struct ErrorStats {
  double max_abs = 0;      // max |a - e|
  double max_rel = 0;      // max |a - e| / |e| over elements with e != 0
  double max_ratio = 0;    // max |a - e| / (atol + rtol |e|): the share of the tolerance used
  int64_t worst = -1;      // flat index of the element furthest outside the tolerance
  int64_t rejected = 0;    // elements the tolerance rejects (NaN always is; Inf unless equal)
  int64_t compared = 0;
  bool ok() const { return rejected == 0; }
};
ErrorStats CompareValues(const std::vector<double>& actual, const std::vector<double>& expected,
                         const Tolerance& tol);

// "max abs err 3.1e-02, max rel err 2.0e-01, 4.2x the tolerance; 3 of 96 elements outside
//  atol 1.2e-03 + rtol 7.8e-03*|ref| (worst at flat index 17)"
std::string DescribeErrors(const ErrorStats& e, const Tolerance& tol);

}  // namespace convcheck
