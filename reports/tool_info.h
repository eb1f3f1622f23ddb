// What a report says about the tool that wrote it: convcheck's version and the git revision it
// was built from (stamped by CMake at configure time), and the UTC timestamps of the context.
#pragma once

#include <chrono>
#include <string>

namespace convcheck::report {

// "0.1.0"
const char* ToolVersion();
// Short git revision of the checkout this build was configured from; "" outside a checkout.
const char* ToolGitRevision();
// ISO 8601 UTC with second precision: "2026-11-24T23:54:52Z".
std::string UtcTimestamp(std::chrono::system_clock::time_point t);

}  // namespace convcheck::report
