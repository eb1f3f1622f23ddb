// The one table of training-sanity thresholds (issue #7). Every check reads its limits from
// kThresholds and nowhere else; ThresholdTable() lists the same values for `sanity --thresholds`
// and the JSON report, so the printed table cannot drift from the code.
//
// Sources: issue #7 fixes every number below and attributes them to the published checkers
// TheDeepChecker (Ben Braiek & Khomh), AUTOTRAINER (Zhang et al., ICSE'21), DeepDiagnosis
// (Wardat et al., ICSE'22) and UMLAUT (Schoop et al., CHI'21), widened where those tools
// false-alarm. The `source` string of each row says which; the fan/variance formulas follow
// PyTorch (torch/nn/init.py _calculate_fan_in_and_fan_out, nn.Conv*/Linear reset_parameters).
#pragma once

#include <string>
#include <vector>

namespace convcheck::sanity {

struct Thresholds {
  // INIT-1: a weight tensor whose sample variance is below this fraction of PyTorch's default
  // variance 1/(3 fan_in) is constant (zero or c). Source: TheDeepChecker "constant weights".
  double init1_variance_fraction = 1e-12;
  // INIT-2: best-fit ratio r* = s^2 / V over {default, LeCun, He, Glorot}. Source: AUTOTRAINER /
  // TheDeepChecker weight-scale checks, widened to [0.5, 2] (warn) and [0.1, 10] (error).
  double init2_warn_low = 0.5, init2_warn_high = 2.0;
  double init2_error_low = 0.1, init2_error_high = 10.0;
  double init2_min_elements = 100;   // smaller tensors (biases) give no usable variance
  double init2_significance_z = 3;   // error only when |ln r*| - ln 10 > z * sqrt((kappa-1)/n)
  // INIT-4: |L0 - ln C| relative to ln C. Source: TheDeepChecker / Karpathy's "check loss at
  // init"; warn widened to 0.25 ln C.
  double init4_warn_fraction = 0.25, init4_error_fraction = 1.0;
  // INIT-5: softmax saturation. Source: DeepDiagnosis saturated-activation check.
  double init5_max_probability = 0.999, init5_error_fraction = 0.5;
  // IN-2: unnormalized input. Source: UMLAUT "data not normalized", widened so z-scored data
  // (outside [-1, 1]) never trips it.
  double in2_max_std = 5, in2_max_abs_mean = 5, in2_max_p999 = 20;
  // IN-3: a channel with (near-)zero spread. Source: UMLAUT constant-feature check.
  double in3_min_std = 1e-12;
  // ACT-1: pre-activation RMS. Source: DeepDiagnosis / AUTOTRAINER exploding/vanishing checks.
  double act1_warn_low = 1e-2, act1_warn_high = 10, act1_error_high = 1e3;
  double act1_growth_factor = 3;  // error when RMS grows by more than this ...
  int act1_growth_layers = 3;     // ... for this many consecutive layers
  // ACT-2: dead ReLU units (never positive over the probe batch). Source: AUTOTRAINER "dying
  // ReLU" (it uses 0.7 for warn; widened down to 0.5 to warn earlier, error at 0.95).
  double act2_warn_fraction = 0.5, act2_error_fraction = 0.95;
  // OUT-1: rho = ||Y - mean row||_F / ||Y||_F (regression: sigma(y_hat)/sigma(y)). Source:
  // issue #7 (exact-zero-variance rules in the cited tools miss collapses at ~1e-7).
  double out1_warn = 1e-2, out1_error = 1e-4;
  int out1_min_probe = 64;
  // OUT-2: zero-input loss within max(1%, 3 SE) of the real loss. Source: TheDeepChecker
  // "input independence" baseline.
  double out2_relative = 0.01, out2_se = 3;
};

inline constexpr Thresholds kThresholds{};

// One printable row of the table: "ACT-1", "pre-activation RMS", "outside [0.01, 10]", ...
struct ThresholdRow {
  std::string id;
  std::string quantity;
  std::string warn;
  std::string error;
  std::string source;
};

// The rows of kThresholds, in check order (values formatted from kThresholds itself).
std::vector<ThresholdRow> ThresholdTable();

}  // namespace convcheck::sanity
