#include "reports/report.h"

namespace convcheck::report {

std::string Signature(const Failure& f) {
  return f.property + "/" + VerdictName(f.verdict) + "/" + OpName(f.op) +
         (f.where.empty() ? "" : "/" + f.where);
}

}  // namespace convcheck::report
