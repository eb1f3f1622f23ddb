// The byte format spoken between the isolating parent and its worker processes: cases go down,
// outcomes come back, one length-prefixed frame each. Binary rather than case JSON because it
// is on the hot path of every case (a JSON round trip costs as much as a small convolution).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/backends/backend.h"

namespace convcheck::wire {

// Appends fields to a frame payload.
class Writer {
 public:
  void U8(uint8_t v) { bytes_.push_back(static_cast<char>(v)); }
  void I64(int64_t v);
  void Str(const std::string& s);
  void DimList(const Dims& d);
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

// Reads fields back; every read fails (returns false, sticky) past the end instead of reading
// out of bounds, so a truncated or corrupt frame is an error, never undefined behaviour.
class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  bool U8(uint8_t* v);
  bool I64(int64_t* v);
  bool Str(std::string* s);
  bool DimList(Dims* d);
  bool ok() const { return ok_; }
  bool AtEnd() const { return pos_ == bytes_.size(); }

 private:
  bool Take(size_t n, const char** out);
  const std::string& bytes_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void PutCase(Writer& w, const ConvCase& c);
bool GetCase(Reader& r, ConvCase* c);
void PutOutcome(Writer& w, const BackendOutcome& o);
bool GetOutcome(Reader& r, BackendOutcome* o);

// Writes one frame (4-byte little-endian length, then the payload) to a socket or pipe, retrying
// on EINTR and short writes. False when the peer is gone (never raises SIGPIPE on sockets).
bool SendFrame(int fd, const std::string& payload);
// Reads one whole frame. False on EOF, an error, or a length above `max_bytes`.
bool ReceiveFrame(int fd, std::string* payload, uint32_t max_bytes = 64u << 20);

}  // namespace convcheck::wire

namespace convcheck::wire {
// Moves the first complete frame out of `buffer` (bytes read so far from a non-blocking socket)
// into `payload`. False when no complete frame is buffered yet.
bool TakeFrame(std::string* buffer, std::string* payload);
}  // namespace convcheck::wire
