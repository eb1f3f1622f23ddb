// Tests that plant undefined behaviour (a null store, a division by zero, a double free) or
// measure the allocator's memory: a sanitized build (scripts/build.sh --asan) reports the UB and
// exits with status 1 before the signal the test expects, and ASan's allocator keeps freed memory
// in quarantine and maps its own. Those tests skip there, saying why, instead of failing on the
// sanitizer's behaviour.
#pragma once

#include <gtest/gtest.h>

#if defined(__SANITIZE_ADDRESS__)
#define CONVCHECK_SANITIZED_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONVCHECK_SANITIZED_BUILD 1
#endif
#endif

#ifdef CONVCHECK_SANITIZED_BUILD
#define CONVCHECK_SKIP_WHEN_SANITIZED(why) GTEST_SKIP() << "sanitized build: " << why
#else
#define CONVCHECK_SKIP_WHEN_SANITIZED(why) static_cast<void>(0)
#endif
