// Other frameworks' conventions: documented examples, and the law that each recipe, evaluated
// with PyTorch's own size formulas, gives the other framework's size.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "oracles/conventions.h"
#include "oracles/output_shape.h"

namespace convcheck {
namespace {

ForeignDim Dim(int64_t x, int64_t k, int64_t s, int64_t d = 1) { return ForeignDim{x, k, s, d, 0, 0, std::nullopt, std::nullopt}; }

TEST(Conventions, TfSameIsCeilWithTheExtraPadAfter) {
  const Conversion c = ToTorch(Convention::kTfSame, false, {Dim(24, 3, 2)});
  ASSERT_TRUE(c.ok()) << c.error;
  EXPECT_EQ(c.dims[0].expected, 12);
  EXPECT_EQ(c.dims[0].padding, 0);
  EXPECT_EQ(c.dims[0].pre_pad.left, 0);
  EXPECT_EQ(c.dims[0].pre_pad.right, 1);
  const Conversion lower = ToTorch(Convention::kOnnxSameLower, false, {Dim(24, 3, 2)});
  EXPECT_EQ(lower.dims[0].pre_pad.left, 1);
  EXPECT_EQ(lower.dims[0].pre_pad.right, 0);
  EXPECT_EQ(ToTorch(Convention::kTfValid, false, {Dim(24, 3, 2)}).dims[0].expected, 11);
  EXPECT_FALSE(ToTorch(Convention::kTfValid, false, {Dim(2, 3, 1)}).ok());
}

TEST(Conventions, TfTransposeAcceptsSeveralSizes) {
  EXPECT_EQ(TfTransposeAcceptedSizes(Dim(12, 3, 2), true), (std::pair<int64_t, int64_t>{23, 24}));
  EXPECT_EQ(TfTransposeAcceptedSizes(Dim(12, 3, 2), false), (std::pair<int64_t, int64_t>{25, 26}));
  ForeignDim d = Dim(12, 3, 2);
  d.output_shape = 22;
  EXPECT_NE(ToTorch(Convention::kTfSame, true, {d}).error.find("accepts 23..24"), std::string::npos);
}

TEST(Conventions, KerasDeconvOutputLength) {
  EXPECT_EQ(KerasDeconvOutputLength(Dim(12, 3, 2), true), 24);
  EXPECT_EQ(KerasDeconvOutputLength(Dim(12, 3, 2), false), 25);
  EXPECT_EQ(KerasDeconvOutputLength(Dim(12, 1, 2), false), 24);
  ForeignDim d = Dim(12, 3, 2);
  d.output_padding = 1;
  EXPECT_EQ(KerasDeconvOutputLength(d, true), 24);  // (12−1)·2 + 3 − 2·1 + 1
  ForeignDim even = Dim(12, 4, 2);
  even.output_padding = 0;  // (12−1)·2 + 4 − 4 + 0 = 22, outside TF's 23..24: TF rejects it
  EXPECT_EQ(KerasDeconvOutputLength(even, true), 22);
  EXPECT_FALSE(ToTorch(Convention::kKerasSame, true, {even}).ok());
}

// Applies a recipe with PyTorch's own formulas: pad, conv; or convT, crop.
int64_t Apply(const ForeignDim& d, const DimRecipe& r, bool transposed) {
  if (!transposed) {
    return static_cast<int64_t>(ConvOutputSize(d.input, r.pre_pad.left + r.padding, r.pre_pad.right + r.padding, d.kernel, d.stride, d.dilation));
  }
  return static_cast<int64_t>(ConvTransposeOutputSize(d.input, d.kernel, d.stride, r.padding, d.dilation, r.output_padding)) - r.crop.left - r.crop.right;
}

RC_GTEST_PROP(Conventions, EveryRecipeGivesTheDocumentedSize, ()) {
  const Convention cv = *rc::gen::element(Convention::kTfSame, Convention::kTfValid, Convention::kKerasSame, Convention::kKerasValid,
                                          Convention::kOnnxNotSet, Convention::kOnnxSameUpper, Convention::kOnnxSameLower, Convention::kOnnxValid);
  const bool transposed = *rc::gen::arbitrary<bool>();
  ForeignDim d = Dim(*rc::gen::inRange<int64_t>(1, 40), *rc::gen::inRange<int64_t>(1, 6), *rc::gen::inRange<int64_t>(1, 4), *rc::gen::inRange<int64_t>(1, 3));
  d.pad_begin = *rc::gen::inRange<int64_t>(0, 3);
  d.pad_end = *rc::gen::inRange<int64_t>(0, 3);
  if (transposed && *rc::gen::arbitrary<bool>()) d.output_padding = *rc::gen::inRange<int64_t>(0, d.stride);
  if (transposed && (cv == Convention::kTfSame || cv == Convention::kTfValid || *rc::gen::arbitrary<bool>())) {
    d.output_shape = *rc::gen::inRange<int64_t>(1, 4 * 40 + 20);
  }
  const Conversion c = ToTorch(cv, transposed, {d});
  RC_PRE(c.ok());
  const DimRecipe& r = c.dims[0];
  RC_ASSERT(r.pre_pad.left >= 0 && r.pre_pad.right >= 0 && r.crop.left >= 0 && r.crop.right >= 0);
  RC_ASSERT(r.output_padding < std::max(d.stride, d.dilation));
  if (Apply(d, r, transposed) != r.expected) RC_FAIL(ConventionName(cv) + ": recipe gives " + std::to_string(Apply(d, r, transposed)) + ", documented " + r.formula);
  const bool keras = cv == Convention::kKerasSame || cv == Convention::kKerasValid;  // Keras has no output_shape
  if (transposed && d.output_shape && !keras) RC_ASSERT(r.expected == *d.output_shape);
  if (!transposed && (cv == Convention::kTfSame || cv == Convention::kOnnxSameLower)) RC_ASSERT(r.expected == (d.input + d.stride - 1) / d.stride);
}

}  // namespace
}  // namespace convcheck
