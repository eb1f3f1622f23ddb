#include "case_io/text_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace convcheck {
namespace {

std::string Reason() { return std::strerror(errno); }

// Reads until EOF or until one byte past the cap, which is how an oversized input is detected
// without knowing its size (pipes, /dev/zero and /proc files report no size).
bool ReadCapped(int fd, const std::string& path, size_t max_bytes, std::string* text, std::string* error) {
  text->clear();
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = path + ": cannot read (" + Reason() + ")";
      return false;
    }
    if (n == 0) return true;
    if (text->size() + static_cast<size_t>(n) > max_bytes) {
      text->clear();
      text->shrink_to_fit();
      *error = path + ": larger than " + std::to_string(max_bytes >> 20) + " MiB, the most convcheck reads";
      return false;
    }
    text->append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

bool ReadTextFile(const std::string& path, std::string* text, std::string* error, size_t max_bytes) {
  if (path == "-") return ReadCapped(STDIN_FILENO, "<stdin>", max_bytes, text, error);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    *error = (path.size() > 200 ? path.substr(0, 200) + "..." : path) + ": cannot open (" + Reason() + ")";
    return false;
  }
  struct stat st {};
  bool ok = false;
  if (::fstat(fd, &st) != 0) {
    *error = path + ": cannot stat (" + Reason() + ")";
  } else if (S_ISDIR(st.st_mode)) {
    *error = path + ": is a directory, expected a file";
  } else {
    // O_NONBLOCK only keeps open() from waiting on a FIFO with no writer; reads block as usual.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    ok = ReadCapped(fd, path, max_bytes, text, error);
  }
  ::close(fd);
  return ok;
}

}  // namespace convcheck
