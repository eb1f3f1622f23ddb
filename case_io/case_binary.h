// The case's binary form: the same fields as the JSON codec (case_io/case_json.h), packed for
// the hot path between the isolating parent and its workers, where a JSON round trip would cost
// as much as a small convolution. One definition, here beside the JSON one; a property test
// (tests/case_io) checks that both carry every field.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "oracles/conv_case.h"

namespace convcheck {

// Appends fixed-width little-endian fields to a byte string. Every worker request and every
// cache key is a case written field by field (a few dozen fields), so a field is a memcpy into
// room the writer keeps ahead, not a call into std::string's out-of-line append.
class Writer {
 public:
  void U8(uint8_t v) { Put(&v, 1); }
  void I64(int64_t v) {
    // Little-endian on every host (the compiler makes the loop one store on x86).
    const uint64_t u = static_cast<uint64_t>(v);
    unsigned char le[8];
    for (int i = 0; i < 8; ++i) le[i] = static_cast<unsigned char>((u >> (8 * i)) & 0xff);
    Put(le, sizeof le);
  }
  void Str(const std::string& s) {
    I64(static_cast<int64_t>(s.size()));
    Put(s.data(), s.size());
  }
  void DimList(const Dims& d) {
    I64(static_cast<int64_t>(d.size()));
    for (int64_t v : d) I64(v);
  }
  // The bytes written so far.
  const std::string& bytes() {
    bytes_.resize(used_);
    return bytes_;
  }
  // Room for `n` bytes ahead: a case is a few hundred.
  void Reserve(size_t n) {
    if (bytes_.size() - used_ < n) Grow(n);
  }
  // The bytes, moved out; the writer is empty afterwards.
  std::string Take() {
    bytes_.resize(used_);
    used_ = 0;
    return std::move(bytes_);
  }

 private:
  void Put(const void* p, size_t n) {
    if (bytes_.size() - used_ < n) Grow(n);
    std::memcpy(&bytes_[used_], p, n);
    used_ += n;
  }
  void Grow(size_t n);
  std::string bytes_;  // [0, used_) written, the rest room
  size_t used_ = 0;
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

// Appends `c`, every field.
void PutCase(Writer& w, const ConvCase& c);
// Reads a case PutCase wrote; false on truncated or corrupt bytes (an enum past its last value).
bool GetCase(Reader& r, ConvCase* c);
// PutCase's bytes as a map key: every field, so two different cases never share a key (the
// engine's answer caches, CaseToJsonLine's memo).
std::string CaseKey(const ConvCase& c);

// Reads an enum stored as one byte, refusing values past its last enumerator.
template <typename E>
bool GetEnum(Reader& r, E last, E* out) {
  uint8_t v = 0;
  if (!r.U8(&v) || v > static_cast<uint8_t>(last)) return false;
  *out = static_cast<E>(v);
  return true;
}

}  // namespace convcheck
