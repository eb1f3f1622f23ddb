// The fuzz byte decoder (generators/byte_decoder.h): every case it yields is expressible in the
// case JSON format and keeps the harness's own tensors allocatable; EncodeCase inverts it.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "generators/byte_decoder.h"
#include "generators/conv_case_gen.h"
#include "case_io/case_json.h"

namespace convcheck {
namespace {

int64_t Elements(const Dims& d) {
  __int128 n = 1;
  for (int64_t v : d) n *= v;
  return n > kMaxDecodedTensorElements ? kMaxDecodedTensorElements + 1 : static_cast<int64_t>(n);
}

std::optional<ConvCase> Decode(const std::string& bytes) {
  return DecodeCase(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

// Cases the byte format can express: the op's input ranks, and tensors within the bound.
bool Encodable(const ConvCase& c) {
  const size_t rank = static_cast<size_t>(SpatialRank(c.op));
  if (c.input.size() != rank + 1 && c.input.size() != rank + 2) return false;
  if (c.weight_shape && c.weight_shape->size() != rank + 2) return false;
  if (c.seed || c.device != Device::kCpu) return false;
  for (int64_t v : c.input) if (v < 0) return false;
  return Elements(c.input) <= kMaxDecodedTensorElements &&
         Elements(WeightShape(c)) <= kMaxDecodedTensorElements;
}

RC_GTEST_PROP(ByteDecoder, DecodeInvertsEncode, ()) {
  const ConvCase c = *rc::gen::oneOf(MixedConvCase(), ExtremeConvCase(),
                                     rc::gen::map(InvalidConvCase(), [](const InvalidCase& i) { return i.c; }));
  RC_PRE(Encodable(c));
  const std::optional<ConvCase> back = Decode(EncodeCase(c));
  RC_ASSERT(back.has_value());
  RC_ASSERT(CaseToJsonLine(*back) == CaseToJsonLine(c));
}

RC_GTEST_PROP(ByteDecoder, ArbitraryBytesGiveJsonExpressibleAllocatableCases, ()) {
  const auto size = *rc::gen::inRange<std::size_t>(0, 96);
  const auto bytes = *rc::gen::container<std::string>(size, rc::gen::arbitrary<char>());
  const std::optional<ConvCase> c = Decode(bytes);
  RC_CLASSIFY(c.has_value(), "decodable");
  if (!c) return;
  const std::string line = CaseToJsonLine(*c);
  RC_ASSERT(Elements(c->input) <= kMaxDecodedTensorElements);
  RC_ASSERT(Elements(WeightShape(*c)) <= kMaxDecodedTensorElements);
  const CaseParseResult again = ParseCaseText(line);
  RC_ASSERT(again.ok());
  RC_ASSERT(*again.value == *c);
  // Deterministic: the same bytes, the same case.
  RC_ASSERT(CaseToJsonLine(*Decode(bytes)) == line);
}

TEST(ByteDecoder, ShortInputIsUndecodable) {
  const std::string full = EncodeCase(WorkedExamples()[0]);
  for (size_t n = 0; n < full.size(); ++n) {
    EXPECT_FALSE(Decode(full.substr(0, n)).has_value()) << "prefix of " << n << " bytes of "
                                                         << CaseToJsonLine(WorkedExamples()[0]);
  }
  EXPECT_TRUE(Decode(full).has_value());
  EXPECT_TRUE(Decode(full + "trailing bytes are ignored").has_value());
}

TEST(ByteDecoder, BoundaryTagsSelectIntegerBoundaries) {
  std::string bytes = EncodeCase(DefaultCase(Op::kConv1d, {1, 1, 4}, 1));
  // Layout: op, flags, dtype, N, C, L, out_channels, groups, kernel, stride, ...
  bytes[9] = static_cast<char>(0xEB);  // stride = 2^63 - 1
  const std::optional<ConvCase> c = Decode(bytes);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->stride[0], INT64_MAX) << CaseToJsonLine(*c);
}

TEST(ByteDecoder, HugeHarnessTensorsAreUndecodable) {
  ConvCase c = DefaultCase(Op::kConv2d, {1, 1, 4096, 4096}, 1);
  EXPECT_FALSE(Decode(EncodeCase(c)).has_value()) << CaseToJsonLine(c);
  c.input = {1, 1, 64, 64};
  c.out_channels = 1 << 20;
  c.kernel = {8, 8};
  EXPECT_FALSE(Decode(EncodeCase(c)).has_value()) << CaseToJsonLine(c);
}

}  // namespace
}  // namespace convcheck
