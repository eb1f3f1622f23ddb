// Markdown a bot can post on a pull request: a one-line verdict, the context, verdict counts
// per (property, op, rank, device, dtype), each failure signature with its reproducers in a
// collapsed <details> block, and the known deviations with xfail/xpass.
#pragma once

#include <ostream>

#include "reports/report.h"

namespace convcheck::report {

void WriteMarkdown(const Report& r, std::ostream& os);

}  // namespace convcheck::report
