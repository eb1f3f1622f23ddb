#include "sanity/thresholds.h"

#include <sstream>

#include "sanity/finding.h"

namespace convcheck::sanity {
namespace {

std::string Num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

std::string Outside(double lo, double hi) { return "outside [" + Num(lo) + ", " + Num(hi) + "]"; }

}  // namespace

const char* LevelName(Level level) {
  switch (level) {
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "?";
}

std::vector<ThresholdRow> ThresholdTable() {
  const Thresholds& t = kThresholds;
  return {
      {"INIT-1", "weight variance / (1/(3 fan_in))", "-", "< " + Num(t.init1_variance_fraction),
       "TheDeepChecker constant weights"},
      {"INIT-2", "best-fit r* = s^2/V (default, LeCun, He, Glorot)",
       Outside(t.init2_warn_low, t.init2_warn_high),
       Outside(t.init2_error_low, t.init2_error_high) + " and > " +
           Num(t.init2_significance_z) + " SE, n >= " + Num(t.init2_min_elements),
       "AUTOTRAINER / TheDeepChecker, widened"},
      {"INIT-4", "|L0 - ln C| / ln C", "> " + Num(t.init4_warn_fraction),
       ">= " + Num(t.init4_error_fraction), "TheDeepChecker loss at init, warn widened"},
      {"INIT-5", "fraction of probes with max softmax > " + Num(t.init5_max_probability), "-",
       "> " + Num(t.init5_error_fraction), "DeepDiagnosis saturation"},
      {"IN-1", "NaN/Inf or integer dtype in inputs", "-", "any", "TheDeepChecker / UMLAUT"},
      {"IN-2", "per-channel std, |mean|, p99.9 |x|",
       "> " + Num(t.in2_max_std) + ", > " + Num(t.in2_max_abs_mean) + ", > " + Num(t.in2_max_p999),
       "-", "UMLAUT normalization, widened for z-scored data"},
      {"IN-3", "per-channel std", "<= " + Num(t.in3_min_std), "-", "UMLAUT constant feature"},
      {"ACT-1", "pre-activation RMS", Outside(t.act1_warn_low, t.act1_warn_high),
       "> " + Num(t.act1_error_high) + " or x" + Num(t.act1_growth_factor) + " growth over " +
           std::to_string(t.act1_growth_layers) + " layers",
       "DeepDiagnosis / AUTOTRAINER exploding-vanishing"},
      {"ACT-2", "dead ReLU units fraction", ">= " + Num(t.act2_warn_fraction),
       ">= " + Num(t.act2_error_fraction), "AUTOTRAINER dying ReLU, widened"},
      {"OUT-1", "rho = ||Y - mean row|| / ||Y|| (regression: sigma(y_hat)/sigma(y))",
       "< " + Num(t.out1_warn), "< " + Num(t.out1_error) + " or non-finite",
       "issue #7 (zero-variance rules miss ~1e-7 collapses)"},
      {"OUT-2", "|L(zero input) - L| after training", "-",
       "<= max(" + Num(t.out2_relative * 100) + "% L, " + Num(t.out2_se) + " SE)",
       "TheDeepChecker input-independence baseline"},
      {"OUT-3", "d y_i / d x_j for j != i", "-", "!= 0", "issue #7 (batch-mixing reshape bugs)"},
  };
}

}  // namespace convcheck::sanity
