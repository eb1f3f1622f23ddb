// Escaping for the text formats the writers produce. Kept apart so every writer escapes the
// same way (a framework's error message can contain <, &, quotes, pipes and newlines).
#pragma once

#include <string>

namespace convcheck::report {

// &, <, >, " and ' as entities; control characters other than \n and \t dropped (XML 1.0
// forbids them, and JUnit readers reject the whole file over one).
std::string XmlEscape(const std::string& s);
// A Markdown table cell: pipes escaped, newlines as spaces.
std::string MarkdownCell(const std::string& s);
// A number as the reports print it: integers plainly, rates with up to 4 significant digits,
// NaN as "n/a", infinities as "inf"/"-inf".
std::string FormatRate(double x);
// "12.34" (two decimals), NaN as "n/a".
std::string FormatSeconds(double x);

}  // namespace convcheck::report
