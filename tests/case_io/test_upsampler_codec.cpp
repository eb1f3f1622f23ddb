// The up-samplers in the one case codec: JSON keys and refusals, the worker wire, the PyTorch
// text of a stack layer, and that the earlier ops' canonical lines are untouched.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "case_io/case_binary.h"
#include "case_io/case_json.h"
#include "case_io/layer_pytorch_text.h"
#include "case_io/pytorch_text.h"

namespace convcheck {
namespace {

ConvCase Parse(const std::string& json) {
  const CaseParseResult r = ParseCaseText(json);
  EXPECT_TRUE(r.ok()) << json << ": " << r.error;
  return r.ok() ? *r.value : ConvCase{};
}

TEST(UpsamplerJson, CanonicalLinesRoundTrip) {
  const ConvCase u = Parse(R"({"op":"max_unpool2d","input":[1,3,12,12],"kernel":2})");
  EXPECT_EQ(u.stride, (Dims{2, 2}));
  EXPECT_TRUE(u.output_size.empty());
  EXPECT_EQ(CaseToJsonLine(u),
            R"({"op": "max_unpool2d", "input": [1,3,12,12], "kernel": 2, "stride": 2, "padding": 0, "dtype": "float32", "device": "cpu"})");
  const ConvCase o = Parse(R"({"op":"max_unpool1d","input":[1,1,4],"kernel":3,"stride":2,"padding":1,"output_size":8})");
  EXPECT_EQ(o.output_size, (Dims{8}));
  const ConvCase s = Parse(R"({"op":"upsample2d","input":[1,1,2,2],"scale_factor":[2,0.29]})");
  EXPECT_EQ(s.scale_factor, (std::vector<double>{2.0, 0.29}));
  EXPECT_EQ(CaseToJsonLine(s),
            R"({"op": "upsample2d", "input": [1,1,2,2], "dtype": "float32", "device": "cpu", "scale_factor": [2.0,0.29], "mode": "nearest"})");
  const ConvCase b = Parse(R"({"op":"upsample2d","input":[1,1,2,2],"size":[5,7],"mode":"bilinear","align_corners":true})");
  EXPECT_EQ(b.upsample_mode, UpsampleMode::kBilinear);
  EXPECT_EQ(b.align_corners, std::optional<bool>(true));
  for (const ConvCase& c : {u, o, s, b}) {
    const ConvCase back = Parse(CaseToJsonLine(c));
    EXPECT_EQ(back, c) << CaseToJsonLine(c);
  }
}

TEST(UpsamplerJson, RefusalsNameTheKey) {
  const std::pair<const char*, const char*> bad[] = {
      {R"({"op":"max_unpool2d","input":[1,1,2,2]})", "kernel: required key is missing"},
      {R"({"op":"max_unpool2d","input":[1,1,2,2],"kernel":2,"dilation":1})", "dilation: max_unpool2d takes no dilation"},
      {R"({"op":"max_unpool2d","input":[1,1,2,2],"kernel":2,"output_size":[1,2,3]})", "output_size: expected 1 or 2 values, got 3"},
      {R"({"op":"upsample2d","input":[1,1,2,2]})", "size: give exactly one of size and scale_factor"},
      {R"({"op":"upsample2d","input":[1,1,2,2],"size":4,"scale_factor":2})", "scale_factor: give exactly one of size and scale_factor"},
      {R"({"op":"upsample2d","input":[1,1,2,2],"scale_factor":"2"})", "scale_factor: expected a number, got string"},
      {R"({"op":"upsample2d","input":[1,1,2,2],"scale_factor":[2,2,2]})", "scale_factor: expected 1 or 2 values, got 3"},
      {R"({"op":"upsample2d","input":[1,1,2,2],"scale_factor":2,"mode":"bicubic"})",
       "mode: unknown value \"bicubic\", expected one of nearest, linear, bilinear, trilinear"},
      {R"({"op":"upsample2d","input":[1,1,2,2],"scale_factor":2,"align_corners":1})", "align_corners: expected true or false"},
      {R"({"op":"upsample2d","input":[1,1,2,2],"scale_factor":2,"kernel":2})", "kernel: upsample2d takes no kernel"},
  };
  for (const auto& [json, message] : bad) {
    const CaseParseResult r = ParseCaseText(json);
    ASSERT_FALSE(r.ok()) << json;
    EXPECT_EQ(r.error, message) << json;
  }
}

// The up-sampler fields, drawn directly (the generators draw whole cases elsewhere).
rc::Gen<ConvCase> AnyUpsampler() {
  return rc::gen::exec([] {
    const int rank = *rc::gen::inRange(1, 4);
    const bool unpool = *rc::gen::arbitrary<bool>();
    const Op ops[2][3] = {{Op::kUpsample1d, Op::kUpsample2d, Op::kUpsample3d}, {Op::kMaxUnpool1d, Op::kMaxUnpool2d, Op::kMaxUnpool3d}};
    ConvCase c = DefaultCase(ops[unpool][rank - 1], *rc::gen::container<Dims>(static_cast<size_t>(rank) + 2, rc::gen::inRange<int64_t>(0, 9)), 0);
    const size_t r = static_cast<size_t>(rank);
    if (unpool) {
      c.kernel = *rc::gen::container<Dims>(r, rc::gen::inRange<int64_t>(-2, 5));
      c.stride = *rc::gen::container<Dims>(r, rc::gen::inRange<int64_t>(-2, 5));
      c.padding = *rc::gen::container<Dims>(r, rc::gen::inRange<int64_t>(-2, 5));
      if (*rc::gen::arbitrary<bool>()) c.output_size = *rc::gen::container<Dims>(r, rc::gen::inRange<int64_t>(-2, 40));
    } else if (*rc::gen::arbitrary<bool>()) {
      c.output_size = *rc::gen::container<Dims>(r, rc::gen::inRange<int64_t>(-2, 40));
    } else {
      c.scale_factor = *rc::gen::container<std::vector<double>>(r, rc::gen::map(rc::gen::inRange(-8, 80), [](int v) { return v / 8.0 + (v % 3) * 0.1; }));
    }
    if (!unpool) {
      c.upsample_mode = *rc::gen::element(UpsampleMode::kNearest, UpsampleMode::kLinear, UpsampleMode::kBilinear, UpsampleMode::kTrilinear);
      if (*rc::gen::arbitrary<bool>()) c.align_corners = *rc::gen::arbitrary<bool>();
    }
    return c;
  });
}

RC_GTEST_PROP(UpsamplerCodec, JsonAndWireCarryEveryField, ()) {
  const ConvCase c = *AnyUpsampler();
  const CaseParseResult back = ParseCaseText(CaseToJsonLine(c));
  if (!back.ok()) RC_FAIL(CaseToJsonLine(c) + ": " + back.error);
  RC_ASSERT(*back.value == c);
  Writer w;
  PutCase(w, c);
  Reader r(w.bytes());
  ConvCase wire;
  RC_ASSERT(GetCase(r, &wire));
  RC_ASSERT(r.AtEnd());
  RC_ASSERT(wire == c);
  const std::string bytes = w.bytes().substr(0, *rc::gen::inRange<size_t>(0, w.bytes().size()));
  Reader cut(bytes);
  RC_ASSERT(!GetCase(cut, &wire));
}

TEST(UpsamplerText, ModulesParseIntoCasesAndPrintBack) {
  const StackParseResult p = ParsePyTorchStack(
      "[nn.MaxPool2d(2), nn.MaxUnpool2d(2, stride=2), nn.Upsample(scale_factor=2.0, mode='nearest'), "
      "nn.Upsample(size=(5, 7), mode='bilinear', align_corners=True), nn.UpsamplingBilinear2d(scale_factor=2)]");
  ASSERT_TRUE(p.ok()) << p.error;
  const Stack& s = *p.value;
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[1].layer.op, Op::kMaxUnpool2d);
  EXPECT_EQ(PyTorchLayerModule(s[1].layer), "nn.MaxUnpool2d(kernel_size=2)");
  EXPECT_EQ(s[2].layer.op, Op::kUpsample2d);
  EXPECT_EQ(PyTorchLayerModule(s[2].layer), "nn.Upsample(scale_factor=2.0, mode='nearest')");
  EXPECT_EQ(PyTorchLayerModule(s[3].layer), "nn.Upsample(size=(5, 7), mode='bilinear', align_corners=True)");
  EXPECT_EQ(s[4].layer.upsample_mode, UpsampleMode::kBilinear);
  EXPECT_EQ(s[4].layer.align_corners, std::optional<bool>(true));
  // A 1-d stack gives nn.Upsample rank 1; a tuple gives its own length.
  const StackParseResult one = ParsePyTorchStack("[nn.MaxPool1d(2), nn.Upsample(scale_factor=1.5)]");
  ASSERT_TRUE(one.ok()) << one.error;
  EXPECT_EQ((*one.value)[1].layer.op, Op::kUpsample1d);
  EXPECT_EQ(ParsePyTorchStack("[nn.Upsample(scale_factor=2, recompute_scale_factor=True)]").error,
            "layer 1 (line 1): nn.Upsample: recompute_scale_factor: only None or False is modelled");
  EXPECT_EQ(ParsePyTorchStack("[nn.MaxUnpool2d(2, output_size=4)]").error, "layer 1 (line 1): nn.MaxUnpool2d: output_size: unknown argument");
}

}  // namespace
}  // namespace convcheck
