#include "backends/module_semantics.h"

#include <algorithm>

namespace convcheck {

std::vector<int64_t> ModulePads(const ConvCase& c, const Dims& weight) {
  std::vector<int64_t> pads;
  for (size_t i = c.padding.size(); i-- > 0;) {
    int64_t left = c.padding[i], right = c.padding[i];
    if (c.padding_kind == PaddingKind::kSame && i + 2 < weight.size()) {
      const int64_t total = c.dilation[i] * (weight[i + 2] - 1);
      left = total / 2;
      right = total - left;
    }
    pads.push_back(left);
    pads.push_back(right);
  }
  return pads;
}

int64_t BiasLength(const ConvCase& c, const Dims& weight) {
  if (weight.size() < 2) return 0;
  return IsTransposed(c.op) ? weight[1] * std::max<int64_t>(c.groups, 0) : weight[0];
}

}  // namespace convcheck
