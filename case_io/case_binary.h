// The case's binary form: the same fields as the JSON codec (case_io/case_json.h), packed for
// the hot path between the isolating parent and its workers, where a JSON round trip would cost
// as much as a small convolution. One definition, here beside the JSON one; a property test
// (tests/case_io) checks that both carry every field.
#pragma once

#include <cstdint>
#include <string>

#include "oracles/conv_case.h"

namespace convcheck {

// Appends fixed-width little-endian fields to a byte string.
class Writer {
 public:
  void U8(uint8_t v) { bytes_.push_back(static_cast<char>(v)); }
  void I64(int64_t v);
  void Str(const std::string& s);
  void DimList(const Dims& d);
  const std::string& bytes() const { return bytes_; }
  // Room for `n` bytes ahead: a case is a few hundred, written one field at a time.
  void Reserve(size_t n) { bytes_.reserve(n); }
  // The bytes, moved out; the writer is empty afterwards.
  std::string Take() { return std::move(bytes_); }

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
