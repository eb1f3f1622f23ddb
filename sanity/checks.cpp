#include "sanity/checks.h"

#include <cmath>
#include <sstream>

#include "sanity/thresholds.h"

namespace convcheck::sanity {
namespace {

const Thresholds& T = kThresholds;

std::string Num(double v) {
  std::ostringstream s;
  s.precision(3);
  s << v;
  return s.str();
}

void Add(SanityReport* r, std::string id, Level level, std::string layer, double measured,
         std::string threshold, std::string message, int step) {
  r->findings.push_back({std::move(id), level, std::move(layer), measured, std::move(threshold),
                         std::move(message), step});
}

void Measure(SanityReport* r, std::string name, std::string layer, double value, int step) {
  r->measurements.push_back({std::move(name), std::move(layer), value, step});
}

// Best fit of s^2 among the standard inits: the ratio closest to 1 on a log scale.
std::pair<double, const char*> BestFit(double s2, int64_t fan_in, int64_t fan_out) {
  const std::pair<double, const char*> schemes[] = {
      {1.0 / (3.0 * fan_in), "PyTorch default"}, {1.0 / fan_in, "LeCun"},
      {2.0 / fan_in, "He"}, {2.0 / (fan_in + fan_out), "Glorot"}};
  std::pair<double, const char*> best{s2 / schemes[0].first, schemes[0].second};
  for (const auto& [v, name] : schemes) {
    if (std::abs(std::log(s2 / v)) < std::abs(std::log(best.first))) best = {s2 / v, name};
  }
  return best;
}

void CheckScale(const WeightInfo& w, double s2, SanityReport* r) {
  const torch::Tensor t = w.tensor.detach().to(torch::kDouble).flatten();
  const double n = static_cast<double>(t.numel());
  if (n < T.init2_min_elements) return;
  const auto [rstar, scheme] = BestFit(s2, w.fan_in, w.fan_out);
  Measure(r, "r*", w.name, rstar, 0);
  if (rstar >= T.init2_warn_low && rstar <= T.init2_warn_high) return;
  const double m4 = (t - t.mean()).pow(4).mean().item<double>();
  const double kappa = std::max(1.8, m4 / (s2 * s2));
  const double rse = std::sqrt((kappa - 1) / n);
  const bool outside = rstar < T.init2_error_low || rstar > T.init2_error_high;
  const bool significant =
      std::abs(std::log(rstar)) - std::log(T.init2_error_high) > T.init2_significance_z * rse;
  const Level level = outside && significant ? Level::kError : Level::kWarn;
  Add(r, "INIT-2", level, w.name, rstar,
      level == Level::kError ? "r* in [0.1, 10]" : "r* in [0.5, 2]",
      "weight variance " + Num(s2) + " is " + Num(rstar) + "x the closest standard init (" +
          scheme + ", fan_in " + std::to_string(w.fan_in) +
          "): draw weights with he (ReLU), glorot (tanh/sigmoid) or PyTorch's default instead "
          "of a fixed-std distribution",
      0);
}

double Percentile(const torch::Tensor& v, double q) {
  torch::Tensor flat = v.flatten();
  if (flat.numel() > 1000000) flat = flat.slice(0, 0, 1000000);  // enough for p99.9
  torch::Tensor sorted = std::get<0>(flat.sort());
  const int64_t idx = std::min<int64_t>(flat.numel() - 1, static_cast<int64_t>(q * flat.numel()));
  return sorted[idx].item<double>();
}

bool LooksLikeRawPixels(const torch::Tensor& x) {
  return x.min().item<double>() >= 0 && x.max().item<double>() <= 255 &&
         x.max().item<double>() > 1 && x.equal(x.round());
}

void CheckChannel(const torch::Tensor& ch, const std::string& name, bool pixels,
                  SanityReport* r) {
  const double mean = ch.mean().item<double>();
  const double std = ch.std(false).item<double>();
  const double p999 = Percentile(ch.abs(), 0.999);
  if (std <= T.in3_min_std * std::max(1.0, std::abs(mean))) {
    Add(r, "IN-3", Level::kWarn, name, std, "std > 1e-12",
        "input channel is constant (value " + Num(mean) +
            "): it carries no information; check the data loader or drop the channel",
        0);
  }
  if (std > T.in2_max_std || std::abs(mean) > T.in2_max_abs_mean || p999 > T.in2_max_p999) {
    const double measured = std > T.in2_max_std ? std : std::abs(mean) > T.in2_max_abs_mean ? mean : p999;
    std::string hint = pixels ? " (integer-valued data up to 255: divide by 255)" : "";
    Add(r, "IN-2", Level::kWarn, name, measured, "std <= 5, |mean| <= 5, p99.9 |x| <= 20",
        "input not normalized (mean " + Num(mean) + ", std " + Num(std) + ", p99.9 |x| " +
            Num(p999) + "): standardize per channel, (x - mean) / std" + hint,
        0);
  }
}

void CheckRms(const LayerActivation& a, double rms, int growth_run, int step, SanityReport* r) {
  const bool explode = !(rms <= T.act1_error_high);
  const bool grows = growth_run >= T.act1_growth_layers;
  const std::string what = "pre-activation RMS " + Num(rms) + " at " + a.layer;
  if (explode || grows) {
    Add(r, "ACT-1", Level::kError, a.layer, rms,
        explode ? "RMS <= 1000" : "growth <= 3x per layer over 3 layers",
        what + (grows ? " (grew > 3x per layer for 3 layers)" : "") +
            ": activations explode; use he/glorot/default init instead of a fixed large std, "
            "normalize inputs, or add batchnorm",
        step);
  } else if (rms < T.act1_warn_low || rms > T.act1_warn_high) {
    Add(r, "ACT-1", Level::kWarn, a.layer, rms, "RMS in [0.01, 10]",
        what + (rms > T.act1_warn_high ? ": activations are large; normalize inputs or shrink the init"
                                       : ": activations vanish; use he init for ReLU nets or add batchnorm"),
        step);
  }
}

void CheckDead(const LayerActivation& a, int step, SanityReport* r) {
  const torch::Tensor units = a.pre.dim() > 1 ? a.pre.transpose(0, 1).flatten(1) : a.pre.unsqueeze(0);
  const int64_t total = units.size(0);
  const int64_t dead = (units.amax(1) <= 0).sum().item<int64_t>();
  const double fraction = static_cast<double>(dead) / static_cast<double>(std::max<int64_t>(total, 1));
  Measure(r, "dead_fraction", a.layer, fraction, step);
  if (fraction < T.act2_warn_fraction) return;
  const bool error = fraction >= T.act2_error_fraction || dead == total;
  Add(r, "ACT-2", error ? Level::kError : Level::kWarn, a.layer, fraction,
      error ? "dead fraction < 0.95" : "dead fraction < 0.5",
      std::to_string(dead) + " of " + std::to_string(total) +
          " units never positive over the probe batch (dead ReLUs): check for very negative "
          "biases or zero weights, lower the learning rate, use he init or LeakyReLU",
      step);
}

}  // namespace

void CheckInitialization(const std::vector<WeightInfo>& weights, SanityReport* r) {
  for (const WeightInfo& w : weights) {
    if (w.tensor.numel() < 2 || w.fan_in <= 0) continue;
    const double s2 = w.tensor.detach().to(torch::kDouble).var(false).item<double>();
    const double expected = 1.0 / (3.0 * w.fan_in);
    if (!(s2 >= T.init1_variance_fraction * expected)) {
      Add(r, "INIT-1", Level::kError, w.name, s2, "variance >= 1e-12 x 1/(3 fan_in)",
          "weights are constant (value " + Num(w.tensor.flatten()[0].item<double>()) +
              "): every unit computes the same thing and gets the same gradient; use a random "
              "init (he for ReLU, glorot for tanh/sigmoid, or PyTorch's default)",
          0);
      continue;
    }
    CheckScale(w, s2, r);
  }
}

void CheckInitLoss(const torch::Tensor& logits, const torch::Tensor& labels, SanityReport* r) {
  const int64_t c = logits.size(1);
  if (c < 2) return;
  torch::NoGradGuard no_grad;
  const torch::Tensor logp = torch::log_softmax(logits.to(torch::kDouble), 1);
  const double l0 = -logp.gather(1, labels.unsqueeze(1)).mean().item<double>();
  const double lnc = std::log(static_cast<double>(c));
  Measure(r, "L0", "", l0, 0);
  const double dev = std::abs(l0 - lnc) / lnc;
  if (!(dev < T.init4_error_fraction) || dev > T.init4_warn_fraction) {
    const bool error = !(dev < T.init4_error_fraction);
    Add(r, "INIT-4", error ? Level::kError : Level::kWarn, "", l0,
        "|L0 - ln C| < " + Num(error ? 1.0 : T.init4_warn_fraction) + " ln C = " + Num(lnc),
        "cross-entropy at init is " + Num(l0) + ", expected about ln " + std::to_string(c) +
            " = " + Num(lnc) + ": logits at init are too large; shrink the init (he/default), "
            "normalize inputs, or zero the last layer's weights",
        0);
  }
  const double saturated =
      (logp.exp().amax(1) > T.init5_max_probability).to(torch::kDouble).mean().item<double>();
  Measure(r, "saturated_fraction", "", saturated, 0);
  if (saturated > T.init5_error_fraction) {
    Add(r, "INIT-5", Level::kError, "", saturated, "<= 50% of probes with max p > 0.999",
        Num(saturated * 100) + "% of probe inputs get a softmax max probability > 0.999 at init: "
            "gradients through the softmax vanish; shrink the init and normalize inputs",
        0);
  }
}

void CheckInputs(const torch::Tensor& x, SanityReport* r) {
  if (!x.is_floating_point()) {
    Add(r, "IN-1", Level::kError, "", std::nan(""), "floating-point dtype",
        std::string("inputs have integer dtype ") + c10::toString(x.scalar_type()) +
            ": convert to float and scale (uint8 pixels: x.float() / 255)",
        0);
  }
  const torch::Tensor xf = x.to(torch::kDouble);
  const int64_t bad = (~torch::isfinite(xf)).sum().item<int64_t>();
  if (bad > 0) {
    Add(r, "IN-1", Level::kError, "", static_cast<double>(bad), "0 NaN/Inf values",
        std::to_string(bad) + " NaN/Inf input values: clean or impute them before training", 0);
    return;  // statistics over NaN say nothing
  }
  if (xf.dim() < 2) return;
  const bool pixels = LooksLikeRawPixels(xf);
  if (xf.dim() == 2) {
    // Feature vectors: one IN-2 verdict for the whole input, one IN-3 count of constant features.
    CheckChannel(xf, "inputs", pixels, r);
    const int64_t constant = (xf.std(0, false) <= T.in3_min_std).sum().item<int64_t>();
    if (constant > 0 && r->Has("IN-3") == false) {
      Add(r, "IN-3", Level::kWarn, "inputs", static_cast<double>(constant), "0 constant features",
          std::to_string(constant) + " input features are constant: check the loader or drop them", 0);
    }
    return;
  }
  for (int64_t c = 0; c < xf.size(1); ++c) {
    CheckChannel(xf.select(1, c), "input channel " + std::to_string(c), pixels, r);
  }
}

void CheckActivations(const ProbeTrace& trace, int step, SanityReport* r) {
  if (!trace.traced) {
    Add(r, "ACT-1", Level::kInfo, "", std::nan(""), "-",
        "ACT-1/ACT-2 skipped: " + trace.untraced_reason + " (export an nn.Sequential to enable)",
        step);
    return;
  }
  double previous = std::nan("");
  int growth_run = 0;
  for (const LayerActivation& a : trace.layers) {
    const double rms = a.pre.detach().to(torch::kDouble).pow(2).mean().sqrt().item<double>();
    Measure(r, "act_rms", a.layer, rms, step);
    growth_run = previous > 0 && rms > T.act1_growth_factor * previous ? growth_run + 1 : 0;
    previous = rms;
    CheckRms(a, rms, growth_run, step, r);
    if (a.feeds_relu) CheckDead(a, step, r);
  }
}

void CheckConstantOutput(const torch::Tensor& inputs, const torch::Tensor& outputs,
                         const torch::Tensor& targets, int step, SanityReport* r) {
  torch::Tensor y = outputs.detach().to(torch::kDouble).flatten(1);
  if (!torch::isfinite(y).all().item<bool>()) {
    Add(r, "OUT-1", Level::kError, "", std::nan(""), "finite outputs",
        "the output contains NaN/Inf: training diverged or the inputs are bad; lower the "
        "learning rate, fix the init scale and normalize inputs",
        step);
    return;
  }
  const int64_t distinct = std::get<0>(at::unique_dim(inputs.detach().flatten(1), 0)).size(0);
  if (distinct < T.out1_min_probe) {
    Add(r, "OUT-1", Level::kInfo, "", static_cast<double>(distinct), ">= 64 distinct probes",
        "OUT-1 skipped: only " + std::to_string(distinct) + " distinct probe inputs", step);
    return;
  }
  double rho = 0;
  const torch::Tensor spread = (y - y.mean(0, true)).norm();
  if (targets.defined()) {  // regression: sigma(y_hat) / sigma(y)
    const torch::Tensor t = targets.to(torch::kDouble).flatten(1);
    const double ts = (t - t.mean(0, true)).norm().item<double>();
    rho = ts > 0 ? spread.item<double>() / ts : 0;
  } else {
    if (y.size(1) > 1) y = y - y.mean(1, true);  // a shift of all logits changes nothing
    const double total = y.norm().item<double>();
    rho = total > 0 ? (y - y.mean(0, true)).norm().item<double>() / total : 0;
  }
  Measure(r, "rho", "", rho, step);
  if (rho >= T.out1_warn) return;
  const bool error = rho < T.out1_error;
  Add(r, "OUT-1", error ? Level::kError : Level::kWarn, "", rho,
      error ? "rho >= 1e-4" : "rho >= 1e-2",
      "outputs are (nearly) the same for " + std::to_string(distinct) +
          " distinct inputs (rho " + Num(rho) + (targets.defined() ? " = sigma(y_hat)/sigma(y)" : "") +
          "): the network collapsed to a constant; check init scale (INIT-2), input "
          "normalization (IN-2), dead units (ACT-2) and the learning rate",
      step);
}

torch::Tensor PerSampleLoss(const torch::Tensor& outputs, const DataSet& batch, bool regression) {
  const torch::Tensor y = outputs.flatten(1);
  if (regression) return (y - batch.targets.to(y.dtype())).pow(2).mean(1);
  return -torch::log_softmax(y, 1).gather(1, batch.labels.unsqueeze(1)).squeeze(1);
}

void CheckIgnoresInput(SanityModel& model, const torch::Tensor& x, const DataSet& probe,
                       bool regression, int step, SanityReport* r) {
  torch::NoGradGuard no_grad;
  const torch::Tensor real = PerSampleLoss(model.Eval(x), probe, regression).to(torch::kDouble);
  const torch::Tensor zero =
      PerSampleLoss(model.Eval(torch::zeros_like(x)), probe, regression).to(torch::kDouble);
  if (!torch::isfinite(real).all().item<bool>() || !torch::isfinite(zero).all().item<bool>()) return;
  const torch::Tensor d = zero - real;
  const double loss = real.mean().item<double>();
  const double gap = std::abs(d.mean().item<double>());
  const double se = d.std().item<double>() / std::sqrt(static_cast<double>(d.numel()));
  const double tolerance = std::max(T.out2_relative * std::abs(loss), T.out2_se * se);
  Measure(r, "zero_input_gap", "", gap, step);
  if (gap > tolerance) return;
  Add(r, "OUT-2", Level::kError, "", gap, "|L(0) - L| > max(1% L, 3 SE) = " + Num(tolerance),
      "after " + std::to_string(step) + " steps the loss with zeroed inputs (" +
          Num(zero.mean().item<double>()) + ") matches the real loss (" + Num(loss) +
          "): the model ignores its input; look for collapsed/dead layers and detached inputs",
      step);
}

void CheckCrossSample(SanityModel& model, const torch::Tensor& x, int step, SanityReport* r) {
  const int64_t n = std::min<int64_t>(4, x.size(0));
  if (n < 2) return;
  torch::Tensor xin = x.slice(0, 0, n).detach().clone().set_requires_grad(true);
  const torch::Tensor out = model.Eval(xin);
  if (out.dim() == 0 || out.size(0) != n) {
    Add(r, "OUT-3", Level::kError, "", static_cast<double>(out.dim() ? out.size(0) : 0),
        "output batch == input batch " + std::to_string(n),
        "the output batch size differs from the input's: a view/reshape moves data across the "
        "batch dim; flatten with x.flatten(1) or x.view(x.size(0), -1)",
        step);
    return;
  }
  const torch::Tensor proj = torch::ones_like(out[0]);
  const auto grads = torch::autograd::grad({(out[0] * proj).sum()}, {xin}, {}, false, false, true);
  if (!grads[0].defined()) return;
  const double leak = grads[0].slice(0, 1, n).abs().max().item<double>();
  Measure(r, "cross_sample_grad", "", leak, step);
  if (!(leak > 0)) return;
  Add(r, "OUT-3", Level::kError, "", leak, "d y_0 / d x_j == 0 for j != 0",
      "output of sample 0 depends on other samples of the batch (max |grad| " + Num(leak) +
          "): a view/reshape/transpose mixes the batch dim; flatten with x.flatten(1) or "
          "x.view(x.size(0), -1) and keep the batch dim first",
      step);
}

}  // namespace convcheck::sanity
