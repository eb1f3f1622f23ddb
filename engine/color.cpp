#include "engine/color.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

namespace convcheck {

bool ColorEnabled(const std::ostream& os) {
  const int fd = &os == &std::cout ? STDOUT_FILENO : &os == &std::cerr ? STDERR_FILENO : -1;
  if (fd < 0 || !isatty(fd)) return false;
  if (std::getenv("NO_COLOR") != nullptr) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

std::string Paint(const std::string& text, const char* code, bool on) {
  if (!on) return text;
  return std::string("\033[") + code + "m" + text + "\033[0m";
}

}  // namespace convcheck
