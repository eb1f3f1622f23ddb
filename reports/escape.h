// Escaping for the text formats the writers produce. Kept apart so every writer escapes the
// same way (a framework's error message can contain <, &, quotes, pipes and newlines).
#pragma once

#include <string>

namespace convcheck::report {

// &, <, >, " and ' as entities; control characters other than \n, \t and \r dropped; characters
// XML 1.0 forbids (U+FFFE, U+FFFF, surrogates) and malformed UTF-8 become U+FFFD, since JUnit
// readers reject the whole file over one.
std::string XmlEscape(const std::string& s);
// A Markdown table cell: pipes escaped, newlines as spaces, <, > and & as entities (no raw HTML),
// other control characters and malformed UTF-8 as U+FFFD.
std::string MarkdownCell(const std::string& s);
// A fenced code block (ending in a newline) that `text` cannot close early: the fence is longer
// than any run of backticks inside; control characters other than \n and \t become U+FFFD.
std::string MarkdownFence(const std::string& language, const std::string& text);
// A number as the reports print it: integers plainly, rates with up to 4 significant digits,
// NaN as "n/a", infinities as "inf"/"-inf".
std::string FormatRate(double x);
// "12.34" (two decimals), NaN as "n/a".
std::string FormatSeconds(double x);

}  // namespace convcheck::report
