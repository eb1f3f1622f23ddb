#include "cli/exit_now.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace convcheck::cli {

#if defined(__SANITIZE_ADDRESS__)
#define CONVCHECK_EXIT_NORMALLY 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define CONVCHECK_EXIT_NORMALLY 1
#endif
#endif

void ExitNow(int code) {
  std::cout.flush();
  std::cerr.flush();
  std::clog.flush();
  std::fflush(nullptr);
#ifdef CONVCHECK_EXIT_NORMALLY
  std::exit(code);
#else
  std::_Exit(code);
#endif
}

}  // namespace convcheck::cli
