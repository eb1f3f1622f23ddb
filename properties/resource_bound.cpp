#include "properties/resource_bound.h"

#include <sstream>

#include "oracles/int128.h"

namespace convcheck {
namespace {

constexpr i128 kCap = i128{1} << 62;

i128 Elements(const Dims& d) {
  i128 n = 1;
  for (int64_t v : d) {
    n *= v < 0 ? 0 : v;
    if (n > kCap) return kCap;
  }
  return n;
}

int64_t ElementBytes(DType t) {
  switch (t) {
    case DType::kFloat64: return 8;
    case DType::kFloat32: return 4;
    default: return 2;
  }
}

std::string Mib(int64_t bytes) {
  std::ostringstream os;
  os.precision(1);
  os << std::fixed << static_cast<double>(bytes) / (1 << 20) << " MiB";
  return os.str();
}

}  // namespace

int64_t CaseTensorBytes(const ConvCase& c, const ShapeResult& expected) {
  i128 n = Elements(c.input) + Elements(WeightShape(c));
  if (expected.ok()) n += Elements(expected.shape());
  n *= ElementBytes(c.dtype);
  return static_cast<int64_t>(n > kCap ? kCap : n);
}

int64_t MemoryBound(const ConvCase& c, const ShapeResult& expected) {
  const i128 bound = i128{ResourceBound::kMultiple} * CaseTensorBytes(c, expected) + ResourceBound::kAllowance;
  return static_cast<int64_t>(bound > kCap ? kCap : bound);
}

void JudgeResource(CaseResult* r) {
  if (!IsAgreement(r->verdict) || r->outcome.peak_bytes < 0) return;
  const int64_t bound = MemoryBound(r->c, r->expected);
  if (r->outcome.peak_bytes <= bound) return;
  r->verdict = Verdict::kResource;
  r->property = PropertyFor(r->verdict);
  r->detail = "peak memory " + Mib(r->outcome.peak_bytes) + " exceeds " +
              std::to_string(ResourceBound::kMultiple) + " x (input + weight + output = " +
              Mib(CaseTensorBytes(r->c, r->expected)) + ") + " + Mib(ResourceBound::kAllowance) +
              " = " + Mib(bound);
}

}  // namespace convcheck
