// Terminal color for the run's own output: on only for a terminal, off when NO_COLOR is set to
// anything (https://no-color.org) or TERM is "dumb", so CI logs and pipes stay plain text.
#pragma once

#include <ostream>
#include <string>

namespace convcheck {

// True when `os` is std::cout or std::cerr, that stream is a terminal, NO_COLOR is unset and
// TERM is not "dumb".
bool ColorEnabled(const std::ostream& os);

// `text` wrapped in the ANSI code (e.g. "31" red, "32" green, "1" bold) when `on`, else as is.
std::string Paint(const std::string& text, const char* code, bool on);

}  // namespace convcheck
