#include "reports/report.h"

namespace convcheck::report {

std::string Signature(const Failure& f) {
  // The dtype is part of the key: a bfloat16-only failure is a different bug from a float32 one.
  return f.property + "/" + VerdictName(f.verdict) + "/" + OpName(f.op) + "/" + DTypeName(f.minimal_case.dtype) +
         (f.where.empty() ? "" : "/" + f.where);
}

}  // namespace convcheck::report
