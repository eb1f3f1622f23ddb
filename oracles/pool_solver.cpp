#include "oracles/pool_solver.h"

#include <algorithm>
#include <tuple>

#include "oracles/output_shape.h"

namespace convcheck {
namespace {

bool Maps(int64_t in, int64_t out, const PoolSolution& s) {
  ConvCase c;
  c.op = Op::kMaxPool1d;
  c.input = {1, 1, in};
  c.kernel = {s.kernel};
  c.stride = {s.stride};
  c.padding = {s.padding};
  c.dilation = {1};
  c.output_padding = {0};
  c.ceil_mode = s.ceil_mode;
  if (s.tf_same) c.padding_kind = PaddingKind::kSame;
  const ShapeResult r = OutputShape(c);
  return r.ok() && r.shape().back() == out;
}

auto Rank(const PoolSolution& s) {
  const int non_default = (s.stride != s.kernel) + (s.padding != 0) + s.ceil_mode;
  return std::make_tuple(s.tf_same, s.stride != s.kernel, non_default, s.kernel, s.stride, s.padding);
}

}  // namespace

std::vector<PoolSolution> SolvePool(int64_t in, int64_t out, int64_t max_kernel, int64_t max_stride) {
  std::vector<PoolSolution> found;
  if (in < 1 || out < 1) return found;
  for (int64_t k = 1; k <= max_kernel; ++k) {
    for (int64_t s = 1; s <= max_stride; ++s) {
      for (int64_t p = 0; p <= k / 2; ++p) {
        for (bool ceil : {false, true}) {
          const PoolSolution sol{k, s, p, ceil, false};
          // A ceil-mode solution that floor mode also gives adds nothing.
          if (ceil && Maps(in, out, PoolSolution{k, s, p, false, false})) continue;
          if (Maps(in, out, sol)) found.push_back(sol);
        }
      }
      const PoolSolution same{k, s, 0, false, true};
      if (Maps(in, out, same)) found.push_back(same);
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const PoolSolution& a, const PoolSolution& b) { return Rank(a) < Rank(b); });
  return found;
}

std::string PoolSolutionModule(const PoolSolution& s) {
  std::string out = "nn.MaxPool1d(kernel_size=" + std::to_string(s.kernel);
  if (s.stride != s.kernel) out += ", stride=" + std::to_string(s.stride);
  if (s.padding != 0) out += ", padding=" + std::to_string(s.padding);
  if (s.ceil_mode) out += ", ceil_mode=True";
  return out + ")";
}

std::string DescribePoolSolution(const PoolSolution& s) {
  if (s.tf_same) {
    return "TF SAME: pool_size=" + std::to_string(s.kernel) + ", strides=" + std::to_string(s.stride) +
           " (PyTorch: see convcheck convert --from tf --padding SAME --pool max)";
  }
  return PoolSolutionModule(s) + "  (or AvgPool1d: same sizes)";
}

}  // namespace convcheck
