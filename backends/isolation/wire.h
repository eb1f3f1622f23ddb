// The frames spoken between the isolating parent and its worker processes: cases go down in
// the case codec's binary form (case_io/case_binary.h), outcomes come back; every message is one
// length-prefixed frame (worker.h lists them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "case_io/case_binary.h"

namespace convcheck::wire {

using convcheck::Reader;
using convcheck::Writer;

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
