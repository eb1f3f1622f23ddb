#include "generators/byte_decoder.h"

#include <array>
#include <limits>

namespace convcheck {
namespace {

// Integer boundaries frameworks mis-handle; tag byte 0xE0 + index selects one.
constexpr std::array<int64_t, 16> kBoundaries = {
    -1,
    -2,
    (int64_t{1} << 31) - 1,
    int64_t{1} << 31,
    (int64_t{1} << 31) + 1,
    (int64_t{1} << 32) - 1,
    int64_t{1} << 32,
    (int64_t{1} << 32) + 1,
    (int64_t{1} << 16),
    int64_t{1} << 62,
    std::numeric_limits<int64_t>::max() - 1,
    std::numeric_limits<int64_t>::max(),
    std::numeric_limits<int64_t>::min(),
    (int64_t{1} << 62) + 1,
    -(int64_t{1} << 61),
    (int64_t{1} << 40),
};
constexpr uint8_t kTableTag = 0xE0;  // 0x00..0xDF: the value itself
constexpr uint8_t kTwoBytesTag = 0xF0;
constexpr uint8_t kRawTag = 0xFF;

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool Byte(uint8_t* b) {
    if (pos_ >= size_) return false;
    *b = data_[pos_++];
    return true;
  }
  // One integer: a small value, a boundary from the table, 16 bits or 64 raw bits.
  bool Int(int64_t* v) {
    uint8_t t = 0;
    if (!Byte(&t)) return false;
    if (t < kTableTag) return *v = t, true;
    if (t < kTwoBytesTag) return *v = kBoundaries[t - kTableTag], true;
    const int n = t == kRawTag ? 8 : 2;
    uint64_t u = 0;
    for (int i = 0; i < n; ++i) {
      uint8_t b = 0;
      if (!Byte(&b)) return false;
      u |= uint64_t{b} << (8 * i);
    }
    *v = static_cast<int64_t>(u);
    return true;
  }
  // A count (input sizes, channels, kernel): the case format only has non-negative counts.
  bool Count(int64_t* v) { return Int(v) && *v >= 0; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

void PutInt(std::string* out, int64_t v) {
  if (v >= 0 && v < kTableTag) return out->push_back(static_cast<char>(v));
  for (size_t i = 0; i < kBoundaries.size(); ++i) {
    if (kBoundaries[i] == v) return out->push_back(static_cast<char>(kTableTag + i));
  }
  const bool small = v >= 0 && v < 65536;
  out->push_back(static_cast<char>(small ? kTwoBytesTag : kRawTag));
  const auto u = static_cast<uint64_t>(v);
  for (int i = 0; i < (small ? 2 : 8); ++i) out->push_back(static_cast<char>((u >> (8 * i)) & 0xff));
}

// Saturating element count of a shape, for the allocation bound.
int64_t Elements(const Dims& d) {
  int64_t n = 1;
  for (int64_t v : d) {
    if (v < 0) return 0;
    if (v != 0 && n > kMaxDecodedTensorElements / v) return kMaxDecodedTensorElements + 1;
    n *= v;
  }
  return n;
}

// Flags byte: bit 0 bias, bit 1 unbatched, bits 2-3 padding kind (3 = explicit), bits 4-5
// padding mode, bit 6 channels_last, bit 7 weight_shape override.
struct Flags {
  bool bias, unbatched, channels_last, weight_override;
  PaddingKind kind;
  PaddingMode mode;
};

Flags ReadFlags(uint8_t f, Op op) {
  Flags out{(f & 1) != 0, (f & 2) != 0, (f & 64) != 0, (f & 128) != 0, PaddingKind::kExplicit,
            static_cast<PaddingMode>((f >> 4) & 3)};
  const int kind = (f >> 2) & 3;
  // "same"/"valid" exist only for convolutions (the JSON format rejects them otherwise).
  if (!IsTransposed(op) && kind == 1) out.kind = PaddingKind::kSame;
  if (!IsTransposed(op) && kind == 2) out.kind = PaddingKind::kValid;
  return out;
}

uint8_t WriteFlags(const ConvCase& c) {
  const int kind = c.padding_kind == PaddingKind::kSame ? 1 : c.padding_kind == PaddingKind::kValid ? 2 : 0;
  return static_cast<uint8_t>((c.bias ? 1 : 0) | (IsBatched(c) ? 0 : 2) | kind << 2 |
                              static_cast<int>(c.padding_mode) << 4 |
                              (c.layout == Layout::kChannelsLast ? 64 : 0) |
                              (c.weight_shape ? 128 : 0));
}

// dtype byte: mostly float32/float64 (bf16 conv_transpose is known broken in LibTorch 1.13.1
// and would drown the fuzzer in known deviations).
DType ReadDType(uint8_t b) {
  const int v = b % 16;
  if (v < 7) return DType::kFloat32;
  if (v < 14) return DType::kFloat64;
  return v == 14 ? DType::kBFloat16 : DType::kFloat16;
}

uint8_t WriteDType(DType t) {
  switch (t) {
    case DType::kFloat32: return 0;
    case DType::kFloat64: return 7;
    case DType::kBFloat16: return 14;
    case DType::kFloat16: return 15;
  }
  return 0;
}

bool ReadSpatial(ByteReader& in, ConvCase* c, size_t rank) {
  for (size_t i = 0; i < rank; ++i) {
    if (!in.Count(&c->kernel[i]) || !in.Int(&c->stride[i]) || !in.Int(&c->dilation[i])) {
      return false;
    }
    if (c->padding_kind == PaddingKind::kExplicit && !in.Int(&c->padding[i])) return false;
    if (IsTransposed(c->op) && !in.Int(&c->output_padding[i])) return false;
  }
  return true;
}

// The bias the harness allocates: transposed [w1 * groups], else [w0] (as the backend does).
int64_t BiasElements(const ConvCase& c, const Dims& w) {
  if (!c.bias || w.size() < 2) return 0;
  if (!IsTransposed(c.op)) return w[0];
  if (c.groups <= 0 || w[1] <= 0) return 0;
  return w[1] > kMaxDecodedTensorElements / c.groups ? kMaxDecodedTensorElements + 1 : w[1] * c.groups;
}

}  // namespace

std::optional<ConvCase> DecodeCase(const uint8_t* data, size_t size) {
  ByteReader in(data, size);
  uint8_t op_byte = 0, flag_byte = 0, dtype_byte = 0;
  if (!in.Byte(&op_byte) || !in.Byte(&flag_byte) || !in.Byte(&dtype_byte)) return std::nullopt;
  const Op op = static_cast<Op>(op_byte % 6);
  const auto rank = static_cast<size_t>(SpatialRank(op));
  const Flags f = ReadFlags(flag_byte, op);
  ConvCase c = DefaultCase(op, Dims(rank + (f.unbatched ? 1 : 2)), 0);
  c.bias = f.bias;
  c.padding_kind = f.kind;
  c.padding_mode = f.mode;
  c.dtype = ReadDType(dtype_byte);
  if (f.channels_last && (c.input.size() == 4 || c.input.size() == 5)) c.layout = Layout::kChannelsLast;
  for (int64_t& v : c.input) {
    if (!in.Count(&v)) return std::nullopt;
  }
  if (!in.Count(&c.out_channels) || !in.Int(&c.groups) || !ReadSpatial(in, &c, rank)) return std::nullopt;
  if (f.weight_override) {
    Dims w(rank + 2);
    for (int64_t& v : w) {
      if (!in.Count(&v)) return std::nullopt;
    }
    c.weight_shape = w;
  }
  const Dims weight = WeightShape(c);
  if (Elements(c.input) > kMaxDecodedTensorElements || Elements(weight) > kMaxDecodedTensorElements ||
      c.out_channels > kMaxDecodedTensorElements || BiasElements(c, weight) > kMaxDecodedTensorElements) {
    return std::nullopt;
  }
  return c;
}

std::string EncodeCase(const ConvCase& c) {
  std::string out;
  out.push_back(static_cast<char>(c.op));
  out.push_back(static_cast<char>(WriteFlags(c)));
  out.push_back(static_cast<char>(WriteDType(c.dtype)));
  for (int64_t v : c.input) PutInt(&out, v);
  PutInt(&out, c.out_channels);
  PutInt(&out, c.groups);
  for (size_t i = 0; i < c.kernel.size(); ++i) {
    PutInt(&out, c.kernel[i]);
    PutInt(&out, c.stride[i]);
    PutInt(&out, c.dilation[i]);
    if (c.padding_kind == PaddingKind::kExplicit) PutInt(&out, c.padding[i]);
    if (IsTransposed(c.op)) PutInt(&out, c.output_padding[i]);
  }
  if (c.weight_shape) {
    for (int64_t v : *c.weight_shape) PutInt(&out, v);
  }
  return out;
}

}  // namespace convcheck
