// JUnit XML, the format GitLab, Jenkins and GitHub test reporters read: one <testcase> per
// property × op × rank × device (dtypes summed), failing when it has unexpected divergences,
// with each failure signature's reproducer in the <failure> body. Known deviations are a suite
// of their own (xfail passes; xpass passes with a note); an incomplete run adds a failing case.
#pragma once

#include <ostream>

#include "reports/report.h"

namespace convcheck::report {

void WriteJUnit(const Report& r, std::ostream& os);

}  // namespace convcheck::report
