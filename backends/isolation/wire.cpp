#include "backends/isolation/wire.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace convcheck::wire {

void PutOutcome(Writer& w, const BackendOutcome& o) {
  w.U8(static_cast<uint8_t>(o.kind));
  w.DimList(o.shape);
  w.Str(o.message);
  w.Str(o.error_type);
  w.I64(o.peak_bytes);
}

bool GetOutcome(Reader& r, BackendOutcome* o) {
  return GetEnum(r, BackendOutcome::Kind::kTimedOut, &o->kind) && r.DimList(&o->shape) &&
         r.Str(&o->message) && r.Str(&o->error_type) && r.I64(&o->peak_bytes);
}

bool SendFrame(int fd, const std::string& payload) {
  std::string frame(4, '\0');
  const auto n = static_cast<uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) frame[static_cast<size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
  frame += payload;
  size_t done = 0;
  while (done < frame.size()) {
    // MSG_NOSIGNAL: a dead worker must be an error return here, not a SIGPIPE that kills the run.
    ssize_t k = send(fd, frame.data() + done, frame.size() - done, MSG_NOSIGNAL);
    if (k < 0 && errno == ENOTSOCK) k = write(fd, frame.data() + done, frame.size() - done);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    done += static_cast<size_t>(k);
  }
  return true;
}

namespace {
bool ReadExactly(int fd, char* out, size_t n) {
  size_t done = 0;
  while (done < n) {
    const ssize_t k = read(fd, out + done, n - done);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    done += static_cast<size_t>(k);
  }
  return true;
}
}  // namespace

bool ReceiveFrame(int fd, std::string* payload, uint32_t max_bytes) {
  unsigned char header[4];
  if (!ReadExactly(fd, reinterpret_cast<char*>(header), 4)) return false;
  const uint32_t n = header[0] | header[1] << 8 | header[2] << 16 | uint32_t{header[3]} << 24;
  if (n > max_bytes) return false;
  payload->resize(n);
  return n == 0 || ReadExactly(fd, payload->data(), n);
}

}  // namespace convcheck::wire

namespace convcheck::wire {

bool TakeFrame(std::string* buffer, std::string* payload) {
  if (buffer->size() < 4) return false;
  const auto* h = reinterpret_cast<const unsigned char*>(buffer->data());
  const uint32_t n = h[0] | h[1] << 8 | h[2] << 16 | uint32_t{h[3]} << 24;
  if (buffer->size() - 4 < n) return false;
  payload->assign(*buffer, 4, n);
  buffer->erase(0, 4 + size_t{n});
  return true;
}

}  // namespace convcheck::wire
