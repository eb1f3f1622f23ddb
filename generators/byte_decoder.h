// Fuzzer bytes -> a convolution case, shared by the libFuzzer targets (harness/fuzz/) and their
// replay executables. Every field is read from the front of the input in a fixed order; small
// values cost one byte, integer boundaries (2^31, 2^32, 2^63-1, ...) one byte from a table, so a
// mutation of one byte changes one field. EncodeCase is the inverse, used to seed corpora.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "oracles/conv_case.h"

namespace convcheck {

// Largest input, weight or bias tensor (elements) the decoder produces: these are tensors the
// harness itself allocates, so they must fit; only the framework's own sizes are left unbounded.
constexpr int64_t kMaxDecodedTensorElements = int64_t{1} << 22;

// The case the bytes describe, or nullopt when they run out before the case is complete or
// describe a harness tensor above kMaxDecodedTensorElements. Trailing bytes are ignored.
// Decoded cases are always expressible in the case JSON format (CaseToJsonLine round-trips).
std::optional<ConvCase> DecodeCase(const uint8_t* data, size_t size);

// Bytes that DecodeCase maps back to `c`, for a case the JSON format can express on CPU without
// a seed. Example: EncodeCase(WorkedExamples()[0]) seeds the differential fuzzer's corpus.
std::string EncodeCase(const ConvCase& c);

}  // namespace convcheck
