#include "oracles/solver.h"

#include <algorithm>
#include <limits>
#include <sstream>
#include <tuple>

#include "oracles/int128.h"
#include "oracles/output_shape.h"

namespace convcheck {
namespace {

constexpr int64_t kMaxAutoStride = int64_t{1} << 16;
constexpr size_t kMaxSolutions = 200000;  // a guard against absurd bounds, not a bound users meet
constexpr int64_t kMaxCounted = int64_t{1} << 16;
// Candidates examined before the solver refuses the bounds: ~1 s of work. Bounds of 2^63 that
// survive the "can it matter" clamps below would otherwise run for centuries.
constexpr int64_t kMaxCandidates = 50'000'000;

int64_t ClampToInt64(i128 v) { return static_cast<int64_t>(std::clamp<i128>(v, 1, kInt64Max)); }

// Counts candidates; false once the budget is spent, so every loop stops within it.
struct Budget {
  int64_t used = 0;
  bool Spend() { return ++used <= kMaxCandidates; }
};

// The oracle's own verdict on a candidate, so the solver can never print a rejected case.
// The candidate cases differ in five numbers: one case per direction is kept and refilled,
// rather than a case built (a dozen vectors) for each of the hundreds of candidates of a solve.
bool Holds(int64_t in, int64_t out, const Solution& s, bool transposed) {
  thread_local ConvCase conv = DefaultCase(Op::kConv1d, {1, 1, 1}, 1);
  thread_local ConvCase conv_t = DefaultCase(Op::kConvTranspose1d, {1, 1, 1}, 1);
  ConvCase& c = transposed ? conv_t : conv;
  c.input[2] = in;
  c.kernel[0] = s.kernel;
  c.stride[0] = s.stride;
  c.padding[0] = s.padding;
  c.dilation[0] = s.dilation;
  c.output_padding[0] = s.output_padding;
  const ShapeResult r = OutputShape(c);
  return r.ok() && r.shape().back() == out;
}

void Add(int64_t in, int64_t out, const SolveBounds& b, Solution s, std::vector<Solution>* all) {
  if (all->size() >= kMaxSolutions || !Holds(in, out, s, b.transposed)) return;
  s.non_default = (s.stride != 1) + (s.padding != 0) + (s.dilation != 1) + (s.output_padding != 0);
  s.unused = UnusedElements(in, out, s, b.transposed);
  all->push_back(s);
}

// The loops stop where a larger value cannot produce a solution: a kernel whose extent exceeds
// the padded input, a padding whose smallest stride already exceeds the stride bound.
bool SolveConv(int64_t in, int64_t out, const SolveBounds& b, std::vector<Solution>* all) {
  const int64_t max_d = b.allow_dilation ? b.max_dilation : 1;
  const int64_t max_p = b.allow_padding ? b.max_padding : 0;
  const i128 q = static_cast<i128>(out) - 1;  // floor(n / s) must equal q
  Budget budget;
  for (int64_t d = 1; d <= max_d; ++d) {
    for (int64_t k = 1; k <= b.max_kernel; ++k) {
      const i128 extent = static_cast<i128>(d) * (k - 1) + 1;
      if (extent > static_cast<i128>(in) + 2 * static_cast<i128>(max_p)) break;
      for (int64_t p = 0; p <= max_p; ++p) {
        if (!budget.Spend()) return false;
        const i128 n = static_cast<i128>(in) + 2 * static_cast<i128>(p) - extent;
        if (n < 0) continue;
        // q <= n/s < q + 1  <=>  n/(q+1) < s <= n/q
        i128 lo = q == 0 ? n + 1 : n / (q + 1) + 1;
        i128 hi = q == 0 ? b.max_stride : n / q;
        lo = std::max<i128>(lo, 1);
        if (lo > b.max_stride) break;  // lo only grows with p
        hi = std::min<i128>(hi, b.max_stride);
        for (i128 s = lo; s <= hi && all->size() < kMaxSolutions; ++s) {
          if (!budget.Spend()) return false;
          Add(in, out, b, Solution{k, static_cast<int64_t>(s), p, d, 0, 0, 0}, all);
        }
      }
    }
  }
  return true;
}

// out = (in−1)s − 2p + d(k−1) + op + 1 fixes p for each (d, k, s, op); the output paddings that
// give an even 2p within [0, 2·max_p] form a range, so they are not enumerated one by one.
bool SolveTranspose(int64_t in, int64_t out, const SolveBounds& b, std::vector<Solution>* all) {
  const int64_t max_d = b.allow_dilation ? b.max_dilation : 1;
  const i128 max_twice_p = 2 * static_cast<i128>(b.allow_padding ? b.max_padding : 0);
  Budget budget;
  for (int64_t d = 1; d <= max_d; ++d) {
    for (int64_t k = 1; k <= b.max_kernel; ++k) {
      const i128 at_s1 = static_cast<i128>(in) - 1 + static_cast<i128>(d) * (k - 1) + 1 - out;
      if (at_s1 > max_twice_p) break;  // grows with k
      for (int64_t s = 1; s <= b.max_stride; ++s) {
        if (!budget.Spend()) return false;
        const i128 base = (static_cast<i128>(in) - 1) * s + static_cast<i128>(d) * (k - 1) + 1 - out;
        if (base > max_twice_p) break;  // grows with s
        const i128 op_hi = std::min<i128>(std::max(s, d) - 1, max_twice_p - base);
        for (i128 op = std::max<i128>(0, -base); op <= op_hi && all->size() < kMaxSolutions; ++op) {
          if ((base + op) % 2 != 0) continue;
          if (!budget.Spend()) return false;
          Add(in, out, b, Solution{k, s, static_cast<int64_t>((base + op) / 2), d, static_cast<int64_t>(op), 0, 0}, all);
        }
      }
    }
  }
  return true;
}

}  // namespace

bool Solution::operator==(const Solution& o) const {
  return std::tie(kernel, stride, padding, dilation, output_padding) ==
         std::tie(o.kernel, o.stride, o.padding, o.dilation, o.output_padding);
}

SolveBounds EffectiveBounds(int64_t in, int64_t out, const SolveBounds& bounds) {
  SolveBounds b = bounds;
  if (b.allow_padding && b.max_padding == 0) {
    b.max_padding = ClampToInt64((static_cast<i128>(b.max_kernel) - 1) * (b.allow_dilation ? b.max_dilation : 1));
  }
  // Beyond these a kernel or dilation cannot map anything: a conv's kernel extent must fit the
  // padded input; a convT's extent d(k−1) is at most out − in + 2p. Kernel 1 ignores dilation.
  const i128 room = b.transposed
                        ? static_cast<i128>(out) - in + 2 * static_cast<i128>(b.allow_padding ? b.max_padding : 0) + 1
                        : static_cast<i128>(in) + 2 * static_cast<i128>(b.allow_padding ? b.max_padding : 0);
  b.max_kernel = static_cast<int64_t>(std::min<i128>(b.max_kernel, std::max<i128>(room, 1)));
  // A transposed conv's dilation also bounds output_padding (< max(stride, dilation)), and
  // output_padding = out − ((in−1)s − 2p + d(k−1) + 1) ≤ out + 2p − 1 (the part before it may be
  // ≤ 0: in 4, k 1, p 2, output_padding 1 gives out 1), so dilations up to out + 2p can matter
  // there even for a 1-wide kernel.
  const i128 max_op_room = static_cast<i128>(out) + 2 * static_cast<i128>(b.allow_padding ? b.max_padding : 0);
  const i128 dilation_room = b.transposed ? std::max<i128>(room - 1, max_op_room) : room - 1;
  if (b.allow_dilation) b.max_dilation = static_cast<int64_t>(std::min<i128>(b.max_dilation, std::max<i128>(dilation_room, 1)));
  if (b.max_stride == 0) {
    const i128 s = static_cast<i128>(b.transposed ? out : in) + 2 * static_cast<i128>(b.allow_padding ? b.max_padding : 0);
    b.max_stride = static_cast<int64_t>(std::clamp<i128>(s, 1, kMaxAutoStride));
  }
  return b;
}

int64_t UnusedElements(int64_t in, int64_t out, const Solution& s, bool transposed) {
  // conv reads input position i·s + j·d − p for output i; convT writes output position
  // i·s + j·d − p for input i. Same geometry, roles swapped.
  const int64_t size = transposed ? out : in;
  const int64_t steps = transposed ? in : out;
  if (size > kMaxCounted || steps > kMaxCounted || s.kernel > kMaxCounted) return 0;
  std::vector<bool> used(static_cast<size_t>(size), false);
  for (int64_t i = 0; i < steps; ++i) {
    for (int64_t j = 0; j < s.kernel; ++j) {
      const i128 pos = static_cast<i128>(i) * s.stride + static_cast<i128>(j) * s.dilation - s.padding;
      if (pos >= 0 && pos < size) used[static_cast<size_t>(pos)] = true;
    }
  }
  return static_cast<int64_t>(std::count(used.begin(), used.end(), false));
}

SolveResult Solve(int64_t in, int64_t out, const SolveBounds& bounds) {
  SolveResult r;
  if (in < 1 || out < 1) {
    r.error = "sizes must be at least 1, got in " + std::to_string(in) + ", out " + std::to_string(out);
    return r;
  }
  if (bounds.max_kernel < 1 || bounds.max_stride < 0 || bounds.max_padding < 0 || bounds.max_dilation < 1) {
    r.error = "bounds must be positive (max kernel, max dilation >= 1; max stride, max padding >= 0)";
    return r;
  }
  r.bounds = EffectiveBounds(in, out, bounds);
  const bool finished = r.bounds.transposed ? SolveTranspose(in, out, r.bounds, &r.solutions)
                                            : SolveConv(in, out, r.bounds, &r.solutions);
  if (!finished) {
    r.solutions.clear();
    r.error = "these bounds need more than " + std::to_string(kMaxCandidates) +
              " candidates; lower --max-kernel, --max-stride, --max-padding or --max-dilation";
    return r;
  }
  // The obvious answer a practitioner expects: a stride equal to the scale factor, a kernel
  // that tiles (kernel == stride), nothing unused; only then the fewest non-default parameters.
  // Without the first two keys 12 → 24 (transposed) would start with kernel 13, stride 1.
  const int64_t ratio = std::max<int64_t>(1, r.bounds.transposed ? (out + in / 2) / in : (in + out / 2) / out);
  auto key = [ratio](const Solution& s) {
    const int64_t off = s.stride > ratio ? s.stride - ratio : ratio - s.stride;
    return std::make_tuple(s.unused > 0, off, s.kernel != s.stride, s.non_default, s.kernel, s.stride, s.dilation,
                           s.padding, s.output_padding);
  };
  std::sort(r.solutions.begin(), r.solutions.end(),
            [&key](const Solution& a, const Solution& b) { return key(a) < key(b); });
  return r;
}

std::string DescribeSolution(const Solution& s, bool transposed) {
  std::ostringstream os;
  os << "kernel " << s.kernel << ", stride " << s.stride << ", padding " << s.padding;
  if (s.dilation != 1) os << ", dilation " << s.dilation;
  if (transposed) os << ", output_padding " << s.output_padding;
  if (s.unused > 0) os << "  (" << s.unused << (transposed ? " output elements never written)" : " input elements never read)");
  return os.str();
}

}  // namespace convcheck
