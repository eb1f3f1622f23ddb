// Pooling conventions (oracles/pool_conventions.h): TF/Keras documented examples, the seed
// network's SAME pools, and the laws that every recipe reaches the other framework's size and
// values when run as PyTorch's kernels run it, and that one PyTorch pool suffices for TF SAME
// exactly when the docs say so.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "oracles/pool_conventions.h"
#include "tests/oracles/pool_recipe_eval.h"

namespace convcheck {
namespace {

ForeignDim Dim(int64_t x, int64_t k, int64_t s) { return ForeignDim{x, k, s, 1, 0, 0, std::nullopt, std::nullopt}; }
const ForeignPool kMax{PoolKind::kMax, false, false};
const ForeignPool kAvg{PoolKind::kAvg, false, false};

std::vector<int64_t> Sizes(const PoolConversion& c) {
  std::vector<int64_t> out;
  for (const PoolDimRecipe& r : c.dims) out.push_back(r.expected);
  return out;
}

// keras.io MaxPooling2D / AveragePooling1D examples: valid 3×3, pool 2, strides 1 → 2×2; valid
// 3×4, pool 2, strides 2 → 1×2; same 3×3, strides 1 → 3×3; AveragePooling1D on 5 steps: valid
// strides 1 → 4, strides 2 → 2, same strides 1 → 5.
TEST(PoolConventions, KerasDocumentedExamples) {
  EXPECT_EQ(Sizes(PoolToTorch(Convention::kKerasValid, kMax, {Dim(3, 2, 1), Dim(3, 2, 1)})), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(Sizes(PoolToTorch(Convention::kKerasValid, kMax, {Dim(3, 2, 2), Dim(4, 2, 2)})), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(Sizes(PoolToTorch(Convention::kKerasSame, kMax, {Dim(3, 2, 1), Dim(3, 2, 1)})), (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(Sizes(PoolToTorch(Convention::kKerasValid, kAvg, {Dim(5, 2, 1)})), (std::vector<int64_t>{4}));
  EXPECT_EQ(Sizes(PoolToTorch(Convention::kKerasValid, kAvg, {Dim(5, 2, 2)})), (std::vector<int64_t>{2}));
  EXPECT_EQ(Sizes(PoolToTorch(Convention::kKerasSame, kAvg, {Dim(5, 2, 1)})), (std::vector<int64_t>{5}));
}

TEST(PoolConventions, TheSeedNetworksSamePoolsAreOneCeilModeMaxPool) {
  // tf.nn.max_pool(ksize=2, strides=2, padding="SAME") on 61×72, then on 31×36.
  const PoolConversion first = PoolToTorch(Convention::kTfSame, kMax, {Dim(61, 2, 2), Dim(72, 2, 2)});
  ASSERT_TRUE(first.ok()) << first.error;
  EXPECT_EQ(Sizes(first), (std::vector<int64_t>{31, 36}));
  EXPECT_EQ(first.style, PoolRecipeStyle::kDirect);
  EXPECT_TRUE(first.ceil_mode);
  EXPECT_EQ(first.dims[0].pads.right, 1);
  EXPECT_EQ(PoolModuleLines(first, kMax, {Dim(61, 2, 2), Dim(72, 2, 2)}).front(), "nn.MaxPool2d(kernel_size=2, stride=2, ceil_mode=True)");
  EXPECT_EQ(Sizes(PoolToTorch(Convention::kTfSame, kMax, {Dim(31, 2, 2), Dim(36, 2, 2)})), (std::vector<int64_t>{16, 18}));
}

TEST(PoolConventions, TfSameAverageExcludesPadsOrUsesTheMask) {
  // k3 s2 on 5: pads 1, 1 → one avg_pool with count_include_pad=False.
  const PoolConversion sym = PoolToTorch(Convention::kTfSame, kAvg, {Dim(5, 3, 2)});
  ASSERT_TRUE(sym.ok()) << sym.error;
  EXPECT_EQ(sym.style, PoolRecipeStyle::kDirect);
  EXPECT_FALSE(sym.count_include_pad);
  // k2 s1 on 5: pads 0, 1 with stride 1 — no ceil_mode window, so F.pad and the mask ratio.
  const PoolConversion odd = PoolToTorch(Convention::kTfSame, kAvg, {Dim(5, 2, 1)});
  ASSERT_TRUE(odd.ok()) << odd.error;
  EXPECT_EQ(odd.style, PoolRecipeStyle::kMaskedAverage);
  EXPECT_EQ(odd.dims[0].pre_pad.right, 1);
  EXPECT_NE(odd.exactness.find("float rounding"), std::string::npos);
  // The same geometry for a max: −inf padding is exact.
  const PoolConversion max = PoolToTorch(Convention::kTfSame, kMax, {Dim(5, 2, 1)});
  EXPECT_EQ(max.style, PoolRecipeStyle::kPrePad);
  EXPECT_NE(PoolRecipeLines(max, kMax, {Dim(5, 2, 1)}).front().find("-inf"), std::string::npos);
}

TEST(PoolConventions, TfRejectsWhatTfRejects) {
  EXPECT_FALSE(PoolToTorch(Convention::kTfValid, kMax, {Dim(2, 3, 1)}).ok());
  ForeignDim dilated = Dim(8, 2, 1);
  dilated.dilation = 2;
  EXPECT_NE(PoolToTorch(Convention::kTfSame, kMax, {dilated}).error.find("no dilation"), std::string::npos);
  EXPECT_NE(PoolToTorch(Convention::kKerasSame, {PoolKind::kMax, true, false}, {Dim(8, 2, 2)}).error.find("ceil_mode"), std::string::npos);
}

TEST(PoolConventions, OnnxPadsBeyondHalfTheKernelArePaddedExplicitly) {
  ForeignDim d = Dim(28, 3, 1);
  d.pad_begin = d.pad_end = 2;  // PyTorch caps the padding at kernel/2 = 1
  const PoolConversion c = PoolToTorch(Convention::kOnnxNotSet, kMax, {d});
  ASSERT_TRUE(c.ok()) << c.error;
  EXPECT_EQ(c.style, PoolRecipeStyle::kPrePad);
  EXPECT_EQ(c.dims[0].expected, 30);
  EXPECT_EQ(PoolModuleLines(c, kMax, {d}).front(), "nn.Sequential(nn.ConstantPad1d((2, 2), float('-inf')), nn.MaxPool1d(kernel_size=3, stride=1))");
}

struct Drawn {
  Convention cv;
  ForeignPool pool;
  std::vector<ForeignDim> dims;
};

Drawn DrawPool() {
  Drawn d;
  d.cv = *rc::gen::element(Convention::kTfSame, Convention::kTfValid, Convention::kKerasSame, Convention::kKerasValid,
                           Convention::kOnnxNotSet, Convention::kOnnxSameUpper, Convention::kOnnxSameLower, Convention::kOnnxValid);
  const bool onnx = d.cv == Convention::kOnnxNotSet || d.cv == Convention::kOnnxSameUpper || d.cv == Convention::kOnnxSameLower ||
                    d.cv == Convention::kOnnxValid;
  d.pool.kind = *rc::gen::element(PoolKind::kMax, PoolKind::kAvg);
  d.pool.ceil_mode = onnx && *rc::gen::arbitrary<bool>();
  d.pool.count_include_pad = onnx && d.pool.kind == PoolKind::kAvg && *rc::gen::arbitrary<bool>();
  for (int i = 0; i < 2; ++i) {
    ForeignDim f = Dim(*rc::gen::inRange<int64_t>(1, 13), *rc::gen::inRange<int64_t>(1, 6), *rc::gen::inRange<int64_t>(1, 5));
    if (onnx && d.pool.kind == PoolKind::kMax) f.dilation = *rc::gen::inRange<int64_t>(1, 3);
    if (d.cv == Convention::kOnnxNotSet) {
      f.pad_begin = *rc::gen::inRange<int64_t>(0, 4);
      f.pad_end = *rc::gen::inRange<int64_t>(0, 4);
    }
    d.dims.push_back(f);
  }
  return d;
}

RC_GTEST_PROP(PoolConventions, EveryRecipeGivesTheOtherFrameworksSizeAndValues, ()) {
  const Drawn d = DrawPool();
  const PoolConversion c = PoolToTorch(d.cv, d.pool, d.dims);
  RC_PRE(c.ok());
  RC_CLASSIFY(c.style == PoolRecipeStyle::kDirect, "direct");
  RC_CLASSIFY(c.style == PoolRecipeStyle::kPrePad, "pre_pad");
  RC_CLASSIFY(c.style == PoolRecipeStyle::kMaskedAverage, "masked_average");
  RC_CLASSIFY(c.dims[0].crop_end + c.dims[1].crop_end > 0, "cropped");
  testing::Grid x{d.dims[0].input, d.dims[1].input, {}};
  for (int64_t i = 0; i < x.h * x.w; ++i) x.v.push_back(static_cast<double>(*rc::gen::inRange(-50, 51)));
  std::vector<int64_t> real;
  const testing::Grid want = testing::ForeignPoolValues(c, d.pool, d.dims, x, &real);
  const testing::Grid got = testing::RunRecipe(c, d.pool, d.dims, x);
  RC_ASSERT(got.h == want.h && got.w == want.w);
  for (size_t i = 0; i < want.v.size(); ++i) {
    if (real[i] == 0) continue;  // a window of padding alone: documented in the notes
    RC_ASSERT(std::fabs(got.v[i] - want.v[i]) <= 1e-9 * std::max(1.0, std::fabs(want.v[i])));
  }
}

// docs/rules.md: for TF/Keras SAME one PyTorch pool is exact unless the total padding is odd
// and the stride is 1 (then the extra element after cannot come from ceil_mode).
RC_GTEST_PROP(PoolConventions, TfSameNeedsMoreThanOnePoolOnlyForAnOddPadAtStrideOne, ()) {
  const ForeignDim d = Dim(*rc::gen::inRange<int64_t>(1, 200), *rc::gen::inRange<int64_t>(1, 9), *rc::gen::inRange<int64_t>(1, 9));
  const ForeignPool pool = *rc::gen::element(kMax, kAvg);
  const PoolConversion c = PoolToTorch(Convention::kTfSame, pool, {d});
  RC_ASSERT(c.ok());
  const bool odd_at_one = (c.dims[0].pads.right - c.dims[0].pads.left) == 1 && d.stride == 1;
  RC_ASSERT((c.style == PoolRecipeStyle::kDirect) == !odd_at_one);
  RC_ASSERT(c.dims[0].crop_end == 0);
}

}  // namespace
}  // namespace convcheck
