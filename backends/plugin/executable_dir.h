// The folder of the running executable: the anchor for everything convcheck finds relative to
// itself (plugins in <exe>/../lib/convcheck, shipped data in <exe>/../share/convcheck).
#pragma once

#include <string>

namespace convcheck {

// The folder holding the running executable ("" when /proc/self/exe is unreadable).
std::string ExecutableDir();

}  // namespace convcheck
