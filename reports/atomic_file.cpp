#include "reports/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace convcheck::report {
namespace {

std::string SystemError(const std::string& what, const std::string& path, int err) {
  return path + ": cannot " + what + " (" + std::strerror(err) + ")";
}

bool WriteAll(int fd, const std::string& content) {
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;  // Ctrl-C during a write must not lose the report
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// "<folder>/.<name>.tmp-XXXXXX": same folder, so the rename never crosses a file system; hidden,
// so corpus and trend listings skip a leftover from a killed run.
std::string TempTemplate(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return dir + "." + name + ".tmp-XXXXXX";
}

// Moves the written temp file into place; false with errno set.
bool Publish(const char* temp, const std::string& path, IfExists if_exists) {
  if (if_exists == IfExists::kReplace) return ::rename(temp, path.c_str()) == 0;
  const int rc = ::link(temp, path.c_str());  // refuses an existing target, even a dangling link
  const int saved = errno;
  ::unlink(temp);
  errno = saved;
  return rc == 0;
}

}  // namespace

bool WriteFileAtomically(const std::string& path, const std::string& content, std::string* error,
                         IfExists if_exists) {
  if (path == "-") {
    std::cout << content << std::flush;
    return true;
  }
  std::string name = TempTemplate(path);
  std::vector<char> temp(name.begin(), name.end());
  temp.push_back('\0');
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) {
    *error = SystemError("create a temporary file beside", path, errno);
    return false;
  }
  // mkstemp creates 0600; outputs are meant to be read by CI and colleagues like any file.
  const bool written = ::fchmod(fd, 0644) == 0 && WriteAll(fd, content) && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!written) {
    ::unlink(temp.data());
    *error = SystemError("write", path, saved_errno);
    return false;
  }
  if (!Publish(temp.data(), path, if_exists)) {
    const int err = errno;
    if (if_exists == IfExists::kReplace) ::unlink(temp.data());
    *error = err == EEXIST && if_exists == IfExists::kKeep ? "exists" : SystemError("move a temporary file onto", path, err);
    return false;
  }
  return true;
}

}  // namespace convcheck::report
