#include "properties/roundtrip_properties.h"

#include "case_io/case_hash.h"

#include <algorithm>

#include "oracles/conventions.h"
#include "case_io/case_json.h"
#include "oracles/output_shape.h"
#include "oracles/round_trip.h"
#include "oracles/solver.h"

namespace convcheck {
namespace {

constexpr uint64_t kMemoryLimit = uint64_t{1} << 30;

uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  return h;
}

// Bits of the case's hash for `salt`: decides applicability and the derived parameters.
uint64_t Bits(const ConvCase& c, uint64_t salt) { return Mix(StableCaseHash(c) ^ (salt * 0x9E3779B97F4A7C15ULL)); }

// Cases with small parameters and a small, non-empty input: the derived runs stay cheap and
// never meet the allocation limits that the extreme generator probes (ShapeAgrees covers those).
bool Small(const ConvCase& c) {
  int64_t numel = 1;
  for (int64_t v : c.input) {
    if (v <= 0 || v > 4096) return false;
    numel *= v;
    if (numel > (int64_t{1} << 20)) return false;
  }
  for (const Dims* d : {&c.kernel, &c.stride, &c.padding, &c.output_padding, &c.dilation}) {
    for (int64_t v : *d) {
      if (v < 0 || v > 64) return false;
    }
  }
  return c.out_channels <= 4096 && !c.weight_shape;
}

bool PlainValidConv(const ConvCase& c) {
  return !IsTransposed(c.op) && c.padding_kind != PaddingKind::kSame && Small(c) && OutputShape(c).ok();
}

// The claims are about shape arithmetic, which does not depend on dtype or memory layout; derived
// runs use float32 contiguous tensors so a dtype-specific framework quirk (reported by
// ShapeAgrees, with its known deviations) does not masquerade as a round-trip failure.
ConvCase Float32(ConvCase c) {
  c.dtype = DType::kFloat32;
  c.layout = Layout::kContiguous;
  return c;
}

CaseResult Finish(CaseResult r, const std::string& property, const ConvCase& from, const std::string& what) {
  r.property = property;
  r.detail = what + "; derived from case " + CaseToJsonLine(from);
  return r;
}

Dims SpatialOf(const Dims& shape, int rank) {
  return Dims(shape.end() - rank, shape.end());
}

class RoundTripRestoresInput final : public CaseProperty {
 public:
  std::string Name() const override { return "RoundTripRestoresInput"; }
  std::optional<CaseResult> Check(const ConvCase& c, Backend& backend) override {
    if (!PlainValidConv(c)) return std::nullopt;
    const RoundTripResult rt = RoundTripPadding(c);
    if (!rt.ok()) return std::nullopt;
    // conv(x)'s shape on the backend is ShapeAgrees' claim, checked on this very case; starting
    // from the oracle's y saves a third of this property's backend calls.
    struct {
      Dims shape;
    } y{OutputShape(c).shape()};
    const ConvCase restore = Float32(InverseCase(c, y.shape, rt.OutputPadding()));
    // The restoring case must be valid and give x's shape by the oracle too (no weight at all
    // exists for zero channels, so there is nothing to restore then).
    const ShapeResult restored = OutputShape(restore);
    if (!restored.ok()) return std::nullopt;
    CaseResult r = Judge(restore, ShapeResult::Ok(c.input), backend.Run(restore), kMemoryLimit);
    if (restored.shape() != c.input) r.verdict = Verdict::kHarnessError;
    if (!IsAgreement(r.verdict)) return Finish(r, Name(), c, "conv_transpose with the oracle's output_padding must restore the input shape");
    // With output_padding 0 the transposed conv may be invalid (output size <= 0): the oracle
    // says which, and its valid size must be RoundTripPadding's transpose_output.
    const ConvCase plain = Float32(InverseCase(c, y.shape, Dims(rt.dims.size(), 0)));
    const ShapeResult predicted = OutputShape(plain);
    CaseResult p = Judge(plain, predicted, backend.Run(plain), kMemoryLimit);
    for (size_t i = 0; predicted.ok() && i < rt.dims.size(); ++i) {
      if (predicted.shape()[predicted.shape().size() - rt.dims.size() + i] != rt.dims[i].transpose_output) p.verdict = Verdict::kHarnessError;
    }
    return Finish(p, Name(), c, "conv_transpose with output_padding 0 must give the oracle's predicted shape");
  }
};

class StackAnalysisAgrees final : public CaseProperty {
 public:
  std::string Name() const override { return "StackAnalysisAgrees"; }
  std::optional<CaseResult> Check(const ConvCase& c, Backend& backend) override {
    if (!PlainValidConv(c) || c.padding_mode != PaddingMode::kZeros || c.weight_shape || Bits(c, 2) % 4 != 0) return std::nullopt;
    const Stack stack = DerivedStack(c);
    const StackRun oracle = RunStack(stack, c.input);
    Dims x = c.input;
    for (size_t i = 0; i < stack.size(); ++i) {
      const ConvCase layer = Float32(LayerCase(stack[i].layer, x));
      const ShapeResult expected = static_cast<int>(i) == oracle.failed_layer ? ShapeResult::Invalid(*oracle.violation)
                                                                            : ShapeResult::Ok(oracle.shapes[i]);
      CaseResult r = Judge(layer, expected, backend.Run(layer), kMemoryLimit);
      const std::string where = "layer " + std::to_string(i + 1) + " of " + std::to_string(stack.size());
      if (!IsAgreement(r.verdict) || !expected.ok() || r.outcome.kind != BackendOutcome::Kind::kShape) return Finish(r, Name(), c, where);
      x = r.outcome.shape;
    }
    return CheckRule(c, stack, x);
  }

 private:
  // The periodic rule, per spatial dim, must call the backend's final size a round trip
  // exactly when it equals the input size.
  CaseResult CheckRule(const ConvCase& c, const Stack& stack, const Dims& out) const {
    const int rank = SpatialRank(c.op);
    const Dims in = SpatialOf(c.input, rank), got = SpatialOf(out, rank);
    CaseResult r = Judge(c, ShapeResult::Ok(out), BackendOutcome::Shape(out), kMemoryLimit);
    for (int d = 0; d < rank; ++d) {
      const DimRule rule = AnalyzeDim(stack, d);
      const bool predicted = rule.RoundTrips(in[static_cast<size_t>(d)]);
      const bool actual = got[static_cast<size_t>(d)] == in[static_cast<size_t>(d)];
      if (predicted != actual) {
        r.verdict = Verdict::kShapeMismatch;
        return Finish(r, Name(), c, "dim " + rule.letter + ": rule \"" + rule.Sentence() + "\" says " +
                                        (predicted ? "round-trips" : "does not round-trip") + " for " +
                                        std::to_string(in[static_cast<size_t>(d)]) + ", the backend gave " +
                                        std::to_string(got[static_cast<size_t>(d)]));
      }
    }
    return Finish(r, Name(), c, std::to_string(stack.size()) + "-layer stack");
  }
};

class SolverSolutionsHold final : public CaseProperty {
 public:
  std::string Name() const override { return "SolverSolutionsHold"; }
  std::optional<CaseResult> Check(const ConvCase& c, Backend& backend) override {
    const uint64_t h = Bits(c, 3);
    const ShapeResult shape = OutputShape(c);
    if (h % 4 != 0 || !Small(c) || !shape.ok() || c.padding_kind != PaddingKind::kExplicit) return std::nullopt;
    const int rank = SpatialRank(c.op);
    const int64_t in = SpatialInput(c)[0], out = SpatialOf(shape.shape(), rank)[0];
    if (in < 1 || out < 1) return std::nullopt;
    SolveBounds b;
    b.transposed = IsTransposed(c.op);
    b.max_kernel = 5;
    b.max_stride = 4;
    b.allow_padding = (h >> 8) & 1;
    b.max_padding = 2;
    b.allow_dilation = (h >> 9) & 1;
    b.max_dilation = 3;
    const SolveResult solved = Solve(in, out, b);
    const Solution own{c.kernel[0], c.stride[0], c.padding[0], c.dilation[0], b.transposed ? c.output_padding[0] : 0, 0, 0};
    const bool own_in_bounds = own.kernel <= 5 && own.stride <= 4 && (b.allow_padding ? own.padding <= 2 : own.padding == 0) &&
                               (b.allow_dilation ? own.dilation <= 3 : own.dilation == 1);
    // A 1-wide kernel's dilation changes nothing but the output_padding bound of a transposed
    // conv (< max(stride, dilation)); the solver's bounds stop where a larger dilation changes
    // nothing, so solutions are compared with that dilation made canonical.
    auto canonical = [&b](Solution s) {
      if (s.kernel == 1) s.dilation = b.transposed && s.output_padding >= s.stride ? s.output_padding + 1 : 1;
      return s;
    };
    const bool found = std::any_of(solved.solutions.begin(), solved.solutions.end(),
                                   [&](const Solution& s) { return canonical(s) == canonical(own); });
    CaseResult r = Judge(c, shape, BackendOutcome::Shape(shape.shape()), kMemoryLimit);
    if (own_in_bounds && !found) {
      r.verdict = Verdict::kShapeMismatch;
      return Finish(r, Name(), c, "the solver missed the case's own parameters (" + DescribeSolution(own, b.transposed) + ")");
    }
    const size_t n = solved.solutions.size();
    for (size_t i : {size_t{0}, n / 2, n - 1}) {
      if (i >= n) break;
      const Solution& s = solved.solutions[i];
      ConvCase t = DefaultCase(c.op, {1, 1}, 1);
      t.input.resize(static_cast<size_t>(rank) + 2, 1);
      t.input[2] = in;
      t.kernel[0] = s.kernel; t.stride[0] = s.stride; t.padding[0] = s.padding; t.dilation[0] = s.dilation;
      t.output_padding[0] = s.output_padding;
      t.device = c.device;
      Dims expected = {1, 1, out};
      expected.resize(static_cast<size_t>(rank) + 2, 1);
      CaseResult sr = Judge(t, ShapeResult::Ok(expected), backend.Run(t), kMemoryLimit);
      if (!IsAgreement(sr.verdict)) return Finish(sr, Name(), c, "solution " + std::to_string(i + 1) + ": " + DescribeSolution(s, b.transposed));
    }
    return Finish(r, Name(), c, std::to_string(n) + " solutions");
  }
};

class ConventionRecipeMatches final : public CaseProperty {
 public:
  std::string Name() const override { return "ConventionRecipeMatches"; }
  std::optional<CaseResult> Check(const ConvCase& c, Backend& backend) override {
    const uint64_t h = Bits(c, 4);
    const ShapeResult shape = OutputShape(c);
    if (h % 4 != 0 || !Small(c) || !shape.ok() || c.padding_mode != PaddingMode::kZeros || c.padding_kind != PaddingKind::kExplicit) return std::nullopt;
    static constexpr Convention kAll[] = {Convention::kTfSame,      Convention::kTfValid,        Convention::kKerasSame,
                                          Convention::kKerasValid,  Convention::kOnnxNotSet,     Convention::kOnnxSameUpper,
                                          Convention::kOnnxSameLower, Convention::kOnnxValid};
    const Convention cv = kAll[(h >> 8) % 8];
    const bool transposed = IsTransposed(c.op);
    const std::vector<ForeignDim> dims = Foreign(c, cv, h >> 16);
    const Conversion conv = ToTorch(cv, transposed, dims);
    if (!conv.ok()) return std::nullopt;  // that framework rejects it: nothing to run
    ConvCase t = Float32(c);
    std::vector<PadPair> pads;
    Dims expected(shape.shape().begin(), shape.shape().end() - static_cast<std::ptrdiff_t>(dims.size()));
    for (size_t i = 0; i < dims.size(); ++i) {
      const DimRecipe& r = conv.dims[i];
      t.padding[i] = r.padding;
      t.output_padding[i] = r.output_padding;
      pads.push_back(transposed ? r.crop : PadPair{r.pre_pad.left + r.padding, r.pre_pad.right + r.padding});
      expected.push_back(r.expected);
    }
    CaseResult out = Judge(t, ShapeResult::Ok(expected), backend.RunPadded(t, pads), kMemoryLimit);
    std::string what = ConventionName(cv) + (transposed ? " transposed" : "") + " recipe:";
    for (const std::string& line : RecipeLines(conv, dims, transposed)) what += " " + line + ";";
    return Finish(out, Name(), c, what);
  }

 private:
  // The other framework's description of the case's geometry; `h` picks the free choices
  // (ONNX's asymmetric pads, Keras's output_padding, TF's accepted output size).
  static std::vector<ForeignDim> Foreign(const ConvCase& c, Convention cv, uint64_t h) {
    std::vector<ForeignDim> dims;
    const Dims x = SpatialInput(c), w = WeightShape(c);
    for (size_t i = 0; i < x.size(); ++i, h /= 7) {
      ForeignDim d{x[i], w[i + 2], c.stride[i], c.dilation[i], c.padding[i], c.padding[i] + static_cast<int64_t>(h % 2), std::nullopt, std::nullopt};
      if (IsTransposed(c.op)) {
        if (cv == Convention::kKerasSame || cv == Convention::kKerasValid) {
          if ((h >> 1) % 2) d.output_padding = c.output_padding[i] % d.stride;
        } else {
          d.output_padding = c.output_padding[i];
        }
        if (cv == Convention::kTfSame || cv == Convention::kTfValid) {
          const auto [lo, hi] = TfTransposeAcceptedSizes(d, cv == Convention::kTfSame);
          d.output_shape = lo + static_cast<int64_t>((h >> 2) % static_cast<uint64_t>(hi - lo + 1));
        } else if ((h >> 2) % 2 && cv != Convention::kKerasSame && cv != Convention::kKerasValid) {
          d.output_shape = std::max<int64_t>(1, (x[i] - 1) * d.stride + d.dilation * (d.kernel - 1) + 1 - static_cast<int64_t>((h >> 3) % 3));
        }
      }
      dims.push_back(d);
    }
    return dims;
  }
};

}  // namespace

std::vector<std::unique_ptr<CaseProperty>> MakeRoundTripProperties() {
  std::vector<std::unique_ptr<CaseProperty>> out;
  out.push_back(std::make_unique<RoundTripRestoresInput>());
  out.push_back(std::make_unique<StackAnalysisAgrees>());
  out.push_back(std::make_unique<SolverSolutionsHold>());
  out.push_back(std::make_unique<ConventionRecipeMatches>());
  return out;
}


Stack DerivedStack(const ConvCase& c) {
  uint64_t h = Bits(c, 5);
  const size_t rank = static_cast<size_t>(SpatialRank(c.op));
  Stack encoder = {{"enc1", c}};
  const int extra = static_cast<int>(h % 3);
  h /= 3;
  for (int e = 0; e < extra; ++e, h /= 36) {
    ConvCase l = DefaultCase(c.op, {}, 2);
    l.kernel.assign(rank, 1 + static_cast<int64_t>(h % 3));
    l.stride.assign(rank, 1 + static_cast<int64_t>((h / 3) % 2));
    l.padding.assign(rank, static_cast<int64_t>((h / 6) % 2));
    l.dtype = c.dtype;
    l.device = c.device;
    encoder.push_back({"enc" + std::to_string(e + 2), l});
  }
  Stack stack = encoder;
  for (size_t j = encoder.size(); j-- > 0;) {  // mirrors, innermost first
    const ConvCase& e = encoder[j].layer;
    const int64_t in_channels = j == 0 ? InChannels(c) : encoder[j - 1].layer.out_channels;
    ConvCase t = InverseCase(e, e.input, Dims(rank, 0));
    t.out_channels = in_channels;
    for (size_t i = 0; i < rank; ++i, h /= 3) t.output_padding[i] = static_cast<int64_t>(h % 3) % std::max(t.stride[i], t.dilation[i]);
    stack.push_back({"dec" + std::to_string(j + 1), t});
  }
  for (StackLayer& l : stack) l.layer.input.clear();
  return stack;
}

}  // namespace convcheck
