// ONNX's own node tests for Conv and ConvTranspose (onnx/backend/test/case/node/conv.py and
// convtranspose.py, opset 11 geometry, unchanged through opset 22), replayed as data through
// convcheck's ONNX convention: every node's output size, and — where the test's values show it —
// which side of the full transposed result the window starts on. A row is one node: per spatial
// dim the input, kernel, stride, dilation, pads (begin, end), output_padding and output_shape
// (0 = absent), and the output size the node test expects.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "oracles/conventions.h"
#include "oracles/output_shape.h"

namespace convcheck {
namespace {

struct NodeDim {
  int64_t input, kernel, stride, dilation, pad_begin, pad_end, output_padding, output_shape, expected;
  int64_t head = -1;  // where the values fix it: elements of the full result before the window
};

struct NodeTest {
  const char* name;
  bool transposed;
  Convention auto_pad;
  std::vector<NodeDim> dims;
};

// Transcribed from the node tests (name = the test's name). ConvTranspose's W is (C, M/group, k...).
const std::vector<NodeTest>& NodeTests() {
  static const std::vector<NodeTest> kTests = {
      {"test_basic_conv_with_padding", false, Convention::kOnnxNotSet, {{5, 3, 1, 1, 1, 1, 0, 0, 5}, {5, 3, 1, 1, 1, 1, 0, 0, 5}}},
      {"test_basic_conv_without_padding", false, Convention::kOnnxNotSet, {{5, 3, 1, 1, 0, 0, 0, 0, 3}, {5, 3, 1, 1, 0, 0, 0, 0, 3}}},
      {"test_conv_with_strides_padding", false, Convention::kOnnxNotSet, {{7, 3, 2, 1, 1, 1, 0, 0, 4}, {5, 3, 2, 1, 1, 1, 0, 0, 3}}},
      {"test_conv_with_strides_no_padding", false, Convention::kOnnxNotSet, {{7, 3, 2, 1, 0, 0, 0, 0, 3}, {5, 3, 2, 1, 0, 0, 0, 0, 2}}},
      // pads=[1, 0, 1, 0]: H begin 1, W begin 0, H end 1, W end 0
      {"test_conv_with_strides_and_asymmetric_padding", false, Convention::kOnnxNotSet, {{7, 3, 2, 1, 1, 1, 0, 0, 4}, {5, 3, 2, 1, 0, 0, 0, 0, 2}}},
      // SAME_LOWER k3 s2 on 5: total pad 2, y[0][0] = 12 = x[0..1][0..1] summed, so one pad before
      {"test_conv_with_autopad_same", false, Convention::kOnnxSameLower, {{5, 3, 2, 1, 0, 0, 0, 0, 3, 1}, {5, 3, 2, 1, 0, 0, 0, 0, 3, 1}}},
      {"test_convtranspose", true, Convention::kOnnxNotSet, {{3, 3, 1, 1, 0, 0, 0, 0, 5, 0}, {3, 3, 1, 1, 0, 0, 0, 0, 5, 0}}},
      {"test_convtranspose_1d", true, Convention::kOnnxNotSet, {{3, 3, 1, 1, 0, 0, 0, 0, 5, 0}}},
      {"test_convtranspose_3d", true, Convention::kOnnxNotSet,
       {{3, 3, 1, 1, 0, 0, 0, 0, 5, 0}, {4, 3, 1, 1, 0, 0, 0, 0, 6, 0}, {5, 3, 1, 1, 0, 0, 0, 0, 7, 0}}},
      // strides [3, 2], output_shape [10, 8]: full 9×7, the extra row and column are zeros at the end
      {"test_convtranspose_output_shape", true, Convention::kOnnxNotSet, {{3, 3, 3, 1, 0, 0, 0, 10, 10, 0}, {3, 3, 2, 1, 0, 0, 0, 8, 8, 0}}},
      {"test_convtranspose_pad", true, Convention::kOnnxNotSet, {{3, 3, 3, 1, 0, 0, 1, 0, 10, 0}, {3, 3, 2, 1, 0, 0, 1, 0, 8, 0}}},
      {"test_convtranspose_kernel_shape", true, Convention::kOnnxNotSet, {{3, 3, 3, 1, 0, 0, 1, 10, 10, 0}, {3, 3, 2, 1, 0, 0, 1, 8, 8, 0}}},
      // pads [1, 2, 1, 2]: H 9 − 2 = 7, W 7 − 4 = 3; y starts at full row 1, column 2
      {"test_convtranspose_pads", true, Convention::kOnnxNotSet, {{3, 3, 3, 1, 1, 1, 0, 0, 7, 1}, {3, 3, 2, 1, 2, 2, 0, 0, 3, 2}}},
      {"test_convtranspose_dilations", true, Convention::kOnnxNotSet, {{3, 2, 1, 2, 0, 0, 0, 0, 5, 0}, {3, 2, 1, 2, 0, 0, 0, 0, 5, 0}}},
      // SAME_UPPER s2 on 3: x·s = 6 of the full 7; y's first row is the full result's first row
      // (0, 0, 1, 1, 3, 2): the odd pad is at the end
      {"test_convtranspose_autopad_same", true, Convention::kOnnxSameUpper, {{3, 3, 2, 1, 0, 0, 0, 0, 6, 0}, {3, 3, 2, 1, 0, 0, 0, 0, 6, 0}}},
      {"test_convtranspose_group_2", true, Convention::kOnnxNotSet, {{3, 3, 1, 1, 0, 0, 0, 0, 5, 0}, {3, 3, 1, 1, 0, 0, 0, 0, 5, 0}}},
      {"test_convtranspose_group_2_image_3", true, Convention::kOnnxNotSet, {{3, 3, 1, 1, 0, 0, 0, 0, 5, 0}, {3, 3, 1, 1, 0, 0, 0, 0, 5, 0}}},
  };
  return kTests;
}

ForeignDim Foreign(const NodeDim& n) {
  ForeignDim d{n.input, n.kernel, n.stride, n.dilation, n.pad_begin, n.pad_end, std::nullopt, std::nullopt};
  if (n.output_padding) d.output_padding = n.output_padding;
  if (n.output_shape) d.output_shape = n.output_shape;
  return d;
}

TEST(OnnxNodeTests, EveryConvAndConvTransposeNodeGivesTheTestsOutputSize) {
  for (const NodeTest& t : NodeTests()) {
    std::vector<ForeignDim> dims;
    for (const NodeDim& n : t.dims) dims.push_back(Foreign(n));
    const Conversion c = ToTorch(t.auto_pad, t.transposed, dims);
    ASSERT_TRUE(c.ok()) << t.name << ": " << c.error;
    for (size_t i = 0; i < t.dims.size(); ++i) {
      const NodeDim& n = t.dims[i];
      const DimRecipe& r = c.dims[i];
      EXPECT_EQ(r.expected, n.expected) << t.name << " dim " << i << ": " << r.formula;
      // The PyTorch recipe reaches the same size with PyTorch's own formulas.
      const int64_t torch = t.transposed
          ? static_cast<int64_t>(ConvTransposeOutputSize(n.input, n.kernel, n.stride, r.padding, n.dilation, r.output_padding)) - r.crop.left - r.crop.right
          : static_cast<int64_t>(ConvOutputSize(n.input, r.pre_pad.left + r.padding, r.pre_pad.right + r.padding, n.kernel, n.stride, n.dilation));
      EXPECT_EQ(torch, n.expected) << t.name << " dim " << i;
      if (n.head < 0) continue;
      // Elements before the window: the transposed conv's padding plus the crop; a conv's pad before.
      const int64_t head = t.transposed ? r.padding + r.crop.left : r.padding + r.pre_pad.left;
      EXPECT_EQ(head, n.head) << t.name << " dim " << i << ": " << r.formula;
    }
  }
}

// The auto_pad text of ConvTranspose: SAME_* gives x·s, the odd pad at the end for SAME_UPPER and
// at the beginning for SAME_LOWER; output_shape given: the same split of its total padding.
TEST(OnnxNodeTests, ConvTransposeSameIsInputTimesStrideWithTheOddPadWhereTheSpecSays) {
  ForeignDim d{12, 3, 2, 1, 0, 0, std::nullopt, std::nullopt};
  const Conversion upper = ToTorch(Convention::kOnnxSameUpper, true, {d});
  ASSERT_TRUE(upper.ok()) << upper.error;
  EXPECT_EQ(upper.dims[0].expected, 24);  // full 25, total pad 1
  EXPECT_EQ(upper.dims[0].padding + upper.dims[0].crop.left, 0);
  EXPECT_EQ(upper.dims[0].crop.right, 1);
  const Conversion lower = ToTorch(Convention::kOnnxSameLower, true, {d});
  ASSERT_TRUE(lower.ok()) << lower.error;
  EXPECT_EQ(lower.dims[0].expected, 24);
  EXPECT_EQ(lower.dims[0].padding + lower.dims[0].crop.left, 1);
  d.output_shape = 23;  // total 2: one each side, whichever mode
  EXPECT_EQ(ToTorch(Convention::kOnnxSameUpper, true, {d}).dims[0].padding, 1);
  d.output_shape = 22;  // total 3: SAME_UPPER 1 before, 2 after; NOTSET 2 before
  const Conversion u3 = ToTorch(Convention::kOnnxSameUpper, true, {d});
  EXPECT_EQ(u3.dims[0].padding + u3.dims[0].crop.left, 1);
  const Conversion n3 = ToTorch(Convention::kOnnxNotSet, true, {d});
  EXPECT_EQ(n3.dims[0].padding + n3.dims[0].crop.left, 2);
  // k1 s2: x·s = 24 is one beyond the full 23: output_padding 1 reaches it.
  const Conversion k1 = ToTorch(Convention::kOnnxSameUpper, true, {ForeignDim{12, 1, 2, 1, 0, 0, std::nullopt, std::nullopt}});
  ASSERT_TRUE(k1.ok()) << k1.error;
  EXPECT_EQ(k1.dims[0].expected, 24);
  EXPECT_EQ(k1.dims[0].output_padding, 1);
}

}  // namespace
}  // namespace convcheck
