// The one JSON parser and the one file reader refuse hostile input cheaply (issue #16): nesting
// beyond the cap, lists beyond the value cap, endless or oversized files, directories.
#include <gtest/gtest.h>

#include <string>

#include "case_io/bounded_json.h"
#include "case_io/case_json.h"
#include "case_io/stack_json.h"
#include "case_io/text_file.h"

namespace convcheck {
namespace {

std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(BoundedJson, RefusesNestingBeyondTheCapWithoutRecursing) {
  std::string error;
  EXPECT_TRUE(ParseBoundedJson(Nested(100000), &error).is_discarded());
  EXPECT_EQ(error, "nested deeper than 64 levels");
  EXPECT_FALSE(ParseBoundedJson(Nested(64), &error).is_discarded()) << error;
  EXPECT_TRUE(ParseBoundedJson(Nested(65), &error).is_discarded());
}

TEST(BoundedJson, RefusesMoreValuesThanTheCap) {
  std::string list = "[";
  for (int i = 0; i < 100; ++i) list += "1,";
  list += "1]";
  std::string error;
  EXPECT_TRUE(ParseBoundedJson(list, &error, JsonLimits{64, 50}).is_discarded());
  EXPECT_EQ(error, "more than 50 values");
  EXPECT_FALSE(ParseBoundedJson(list, &error).is_discarded());
}

TEST(BoundedJson, NamesTheByteOfASyntaxError) {
  std::string error;
  EXPECT_TRUE(ParseBoundedJson("{\"op\": }", &error).is_discarded());
  EXPECT_EQ(error, "not valid JSON at byte 8");
}

TEST(BoundedJson, EveryCodecUsesIt) {
  EXPECT_EQ(ParseCaseText(Nested(100000)).error, "case: nested deeper than 64 levels");
  EXPECT_EQ(ParseStackText(Nested(100000)).error, "stack: nested deeper than 64 levels");
}

TEST(TextFile, StopsReadingAnEndlessFileAtTheCap) {
  std::string text, error;
  EXPECT_FALSE(ReadTextFile("/dev/zero", &text, &error, size_t{1} << 20));
  EXPECT_EQ(error, "/dev/zero: larger than 1 MiB, the most convcheck reads");
  EXPECT_TRUE(text.empty());
}

TEST(TextFile, RefusesDirectoriesAndMissingFilesInOneLine) {
  std::string text, error;
  EXPECT_FALSE(ReadTextFile("/", &text, &error));
  EXPECT_EQ(error, "/: is a directory, expected a file");
  EXPECT_FALSE(ReadTextFile("/no/such/file", &text, &error));
  EXPECT_EQ(error, "/no/such/file: cannot open (No such file or directory)");
  EXPECT_FALSE(ReadTextFile(std::string(5000, 'x'), &text, &error));
  EXPECT_LT(error.size(), 300u) << "a 5,000-character path is shortened in the message";
}

}  // namespace
}  // namespace convcheck
