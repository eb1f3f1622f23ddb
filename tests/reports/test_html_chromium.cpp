// Opens the HTML report in headless Chromium: the browser must parse the page into the
// expected elements (two heatmaps, one block per failure signature) and render a screenshot.
// Skipped, with the reason, when no chromium is installed (Debian: apt-get install chromium).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <gtest/gtest.h>

#include "fixture_report.h"
#include "reports/html_writer.h"

namespace convcheck::report {
namespace {

namespace fs = std::filesystem;

std::string FindChromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    const std::string probe = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(probe.c_str()) == 0) return name;
  }
  return "";
}

// Runs a shell command, returning its stdout (stderr discarded: Chromium is chatty).
std::string Capture(const std::string& command, int* status) {
  std::string out;
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  *status = pclose(pipe);
  return out;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

class HtmlInChromium : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = FindChromium();
    if (chromium_.empty()) {
      GTEST_SKIP() << "chromium not installed (apt-get install -y chromium): HTML not rendered";
    }
    dir_ = fs::path(::testing::TempDir()) / ("convcheck_html_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    html_ = dir_ / "report.html";
    std::ofstream(html_) << Html();
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  static std::string Html() {
    std::ostringstream os;
    WriteHtml(testing::FixedReport(), os);
    return os.str();
  }
  std::string Browser(const std::string& flags) const {
    return "timeout 90 " + chromium_ + " --headless --no-sandbox --disable-gpu " + flags +
           " file://" + html_.string();
  }
  std::string chromium_;
  fs::path dir_, html_;
};

TEST_F(HtmlInChromium, ParsesIntoHeatmapsAndFailureBlocks) {
  int status = -1;
  const std::string dom = Capture(Browser("--dump-dom"), &status);
  ASSERT_EQ(status, 0) << "chromium --dump-dom failed";
  EXPECT_EQ(Count(dom, "<svg"), 3u) << dom.substr(0, 2000);  // op × property, op × dtype, kernel × stride
  EXPECT_EQ(Count(dom, "class=\"failure\""), 2u);
  EXPECT_EQ(Count(dom, "<button"), 6u) << "three copy buttons per failure";
  EXPECT_NE(dom.find("convcheck conformance: FAIL"), std::string::npos);
}

TEST_F(HtmlInChromium, RendersAScreenshot) {
  const fs::path png = dir_ / "report.png";
  int status = -1;
  Capture(Browser("--window-size=1400,2000 --screenshot=" + png.string()), &status);
  ASSERT_EQ(status, 0) << "chromium --screenshot failed";
  ASSERT_TRUE(fs::exists(png));
  std::ifstream in(png, std::ios::binary);
  std::string head(24, '\0');
  in.read(head.data(), 24);
  ASSERT_EQ(head.substr(1, 3), "PNG");
  auto be32 = [&](size_t at) {
    return (static_cast<unsigned char>(head[at]) << 24) | (static_cast<unsigned char>(head[at + 1]) << 16) |
           (static_cast<unsigned char>(head[at + 2]) << 8) | static_cast<unsigned char>(head[at + 3]);
  };
  EXPECT_EQ(be32(16), 1400u);
  EXPECT_EQ(be32(20), 2000u);
  EXPECT_GT(fs::file_size(png), 20000u) << "a blank page compresses to a few KB";
  if (const char* keep = std::getenv("CONVCHECK_SCREENSHOT_DIR")) {
    fs::copy_file(png, fs::path(keep) / "report.png", fs::copy_options::overwrite_existing);
    fs::copy_file(html_, fs::path(keep) / "report.html", fs::copy_options::overwrite_existing);
  }
}

}  // namespace
}  // namespace convcheck::report
