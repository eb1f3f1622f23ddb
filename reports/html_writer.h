// A self-contained HTML page (inline CSS and SVG, one tiny inline script for the copy buttons,
// nothing fetched): the verdict, the context, heatmaps of divergence rate by op × property and
// by kernel × stride, the counts table, each failure with copy-able reproducers, and the known
// deviations. Opens from a CI artifact or an e-mail attachment without a network.
#pragma once

#include <ostream>

#include "reports/report.h"

namespace convcheck::report {

void WriteHtml(const Report& r, std::ostream& os);

}  // namespace convcheck::report
