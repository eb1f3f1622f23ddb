// ONNX's own node tests for MaxPool and AveragePool (onnx/backend/test/case/node/maxpool.py and
// averagepool.py), replayed as data through convcheck's ONNX pooling convention: every node's
// output size, the PyTorch recipe reaching it with PyTorch's own rules (the oracle), and — for
// the tests with literal values — the recipe's values. A row is one node.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "oracles/pool_conventions.h"
#include "tests/oracles/pool_recipe_eval.h"

namespace convcheck {
namespace {

struct PoolNodeDim {
  int64_t input, kernel, stride, dilation, pad_begin, pad_end, expected;
};

struct PoolNodeTest {
  const char* name;
  PoolKind kind;
  Convention auto_pad;
  bool ceil_mode, count_include_pad;
  std::vector<PoolNodeDim> dims;
};

PoolNodeDim Sq(int64_t x, int64_t k, int64_t s, int64_t out, int64_t pad = 0, int64_t d = 1) { return {x, k, s, d, pad, pad, out}; }

const std::vector<PoolNodeTest>& NodeTests() {
  using C = Convention;
  const PoolKind M = PoolKind::kMax, A = PoolKind::kAvg;
  static const std::vector<PoolNodeTest> kTests = {
      {"test_maxpool_2d_uint8", M, C::kOnnxNotSet, false, false, {Sq(5, 5, 1, 5, 2), Sq(5, 5, 1, 5, 2)}},
      {"test_maxpool_2d_precomputed_pads", M, C::kOnnxNotSet, false, false, {Sq(5, 5, 1, 5, 2), Sq(5, 5, 1, 5, 2)}},
      {"test_maxpool_with_argmax_2d_precomputed_pads", M, C::kOnnxNotSet, false, false, {Sq(5, 5, 1, 5, 2), Sq(5, 5, 1, 5, 2)}},
      {"test_maxpool_2d_precomputed_strides", M, C::kOnnxNotSet, false, false, {Sq(5, 2, 2, 2), Sq(5, 2, 2, 2)}},
      {"test_maxpool_2d_precomputed_same_upper", M, C::kOnnxSameUpper, false, false, {Sq(5, 3, 2, 3), Sq(5, 3, 2, 3)}},
      {"test_maxpool_1d_default", M, C::kOnnxNotSet, false, false, {Sq(32, 2, 1, 31)}},
      {"test_maxpool_2d_default", M, C::kOnnxNotSet, false, false, {Sq(32, 2, 1, 31), Sq(32, 2, 1, 31)}},
      {"test_maxpool_3d_default", M, C::kOnnxNotSet, false, false, {Sq(32, 2, 1, 31), Sq(32, 2, 1, 31), Sq(32, 2, 1, 31)}},
      {"test_maxpool_2d_same_upper", M, C::kOnnxSameUpper, false, false, {Sq(32, 2, 1, 32), Sq(32, 2, 1, 32)}},
      {"test_maxpool_2d_same_lower", M, C::kOnnxSameLower, false, false, {Sq(32, 2, 1, 32), Sq(32, 2, 1, 32)}},
      {"test_maxpool_2d_pads", M, C::kOnnxNotSet, false, false, {Sq(28, 3, 1, 30, 2), Sq(28, 3, 1, 30, 2)}},
      {"test_maxpool_2d_strides", M, C::kOnnxNotSet, false, false, {Sq(32, 5, 3, 10), Sq(32, 5, 3, 10)}},
      {"test_maxpool_2d_ceil", M, C::kOnnxNotSet, true, false, {Sq(4, 3, 2, 2), Sq(4, 3, 2, 2)}},
      {"test_maxpool_2d_dilations", M, C::kOnnxNotSet, false, false, {Sq(4, 2, 1, 2, 0, 2), Sq(4, 2, 1, 2, 0, 2)}},
      {"test_maxpool_3d_dilations", M, C::kOnnxNotSet, false, false, {Sq(4, 2, 1, 2, 0, 2), Sq(4, 2, 1, 2, 0, 2), Sq(4, 2, 1, 2, 0, 2)}},
      {"test_maxpool_3d_dilations_use_ref_impl_large", M, C::kOnnxNotSet, true, false,
       {Sq(32, 5, 3, 9, 0, 2), Sq(32, 5, 3, 9, 0, 2), Sq(32, 5, 3, 9, 0, 2)}},
      {"test_averagepool_2d_precomputed_pads", A, C::kOnnxNotSet, false, false, {Sq(5, 5, 1, 5, 2), Sq(5, 5, 1, 5, 2)}},
      {"test_averagepool_2d_precomputed_pads_count_include_pad", A, C::kOnnxNotSet, false, true, {Sq(5, 5, 1, 5, 2), Sq(5, 5, 1, 5, 2)}},
      {"test_averagepool_2d_precomputed_strides", A, C::kOnnxNotSet, false, false, {Sq(5, 2, 2, 2), Sq(5, 2, 2, 2)}},
      {"test_averagepool_2d_precomputed_same_upper", A, C::kOnnxSameUpper, false, false, {Sq(5, 3, 2, 3), Sq(5, 3, 2, 3)}},
      {"test_averagepool_1d_default", A, C::kOnnxNotSet, false, false, {Sq(32, 2, 1, 31)}},
      {"test_averagepool_2d_default", A, C::kOnnxNotSet, false, false, {Sq(32, 2, 1, 31), Sq(32, 2, 1, 31)}},
      {"test_averagepool_3d_default", A, C::kOnnxNotSet, false, false, {Sq(32, 2, 1, 31), Sq(32, 2, 1, 31), Sq(32, 2, 1, 31)}},
      {"test_averagepool_2d_same_upper", A, C::kOnnxSameUpper, false, false, {Sq(32, 2, 1, 32), Sq(32, 2, 1, 32)}},
      {"test_averagepool_2d_same_lower", A, C::kOnnxSameLower, false, false, {Sq(32, 2, 1, 32), Sq(32, 2, 1, 32)}},
      {"test_averagepool_2d_pads", A, C::kOnnxNotSet, false, false, {Sq(28, 3, 1, 30, 2), Sq(28, 3, 1, 30, 2)}},
      {"test_averagepool_2d_pads_count_include_pad", A, C::kOnnxNotSet, false, true, {Sq(28, 3, 1, 30, 2), Sq(28, 3, 1, 30, 2)}},
      {"test_averagepool_2d_strides", A, C::kOnnxNotSet, false, false, {Sq(32, 5, 3, 10), Sq(32, 5, 3, 10)}},
      {"test_averagepool_2d_ceil", A, C::kOnnxNotSet, true, false, {Sq(4, 3, 2, 2), Sq(4, 3, 2, 2)}},
      // 2 + 1 + 1 − 3 = 1: ceil(1/3) + 1 = 2 windows, but the second would start at 3 >= 2 + 1
      {"test_averagepool_2d_ceil_last_window_starts_on_pad", A, C::kOnnxNotSet, true, false, {Sq(2, 3, 3, 1, 1), Sq(2, 3, 3, 1, 1)}},
  };
  return kTests;
}

std::vector<ForeignDim> Foreign(const PoolNodeTest& t) {
  std::vector<ForeignDim> dims;
  for (const PoolNodeDim& n : t.dims) dims.push_back({n.input, n.kernel, n.stride, n.dilation, n.pad_begin, n.pad_end, std::nullopt, std::nullopt});
  return dims;
}

TEST(OnnxPoolNodeTests, EveryMaxPoolAndAveragePoolNodeGivesTheTestsOutputSize) {
  for (const PoolNodeTest& t : NodeTests()) {
    const ForeignPool pool{t.kind, t.ceil_mode, t.count_include_pad};
    const PoolConversion c = PoolToTorch(t.auto_pad, pool, Foreign(t));
    ASSERT_TRUE(c.ok()) << t.name << ": " << c.error;
    for (size_t i = 0; i < t.dims.size(); ++i) {
      EXPECT_EQ(c.dims[i].expected, t.dims[i].expected) << t.name << " dim " << i << ": " << c.dims[i].formula;
      // The oracle ran the torch pool (PyTorch's rules); the crop brings it to ONNX's size.
      EXPECT_EQ(c.dims[i].torch_output - c.dims[i].crop_end, t.dims[i].expected) << t.name;
    }
    EXPECT_FALSE(PoolRecipeLines(c, pool, Foreign(t)).empty()) << t.name;
  }
}

TEST(OnnxPoolNodeTests, TheLastWindowRuleIsNamedWhereOlderOnnxDiffers) {
  const PoolNodeTest& t = NodeTests().back();
  const PoolConversion c = PoolToTorch(t.auto_pad, {t.kind, t.ceil_mode, t.count_include_pad}, Foreign(t));
  ASSERT_TRUE(c.ok()) << c.error;
  ASSERT_TRUE(c.dims[0].legacy_ceil_output.has_value());
  EXPECT_EQ(*c.dims[0].legacy_ceil_output, 2);
  ASSERT_FALSE(c.notes.empty());
  EXPECT_NE(c.notes[0].find("onnx/onnx#5741"), std::string::npos) << c.notes[0];
}

TEST(OnnxPoolNodeTests, AveragePoolDilationsHaveNoPyTorchRecipe) {
  // test_averagepool_2d_dilations: kernel 2, dilation 2, ceil_mode on 4 × 4 (opset 19).
  const PoolConversion c = PoolToTorch(Convention::kOnnxNotSet, {PoolKind::kAvg, true, false}, {{4, 2, 1, 2, 0, 0, {}, {}}, {4, 2, 1, 2, 0, 0, {}, {}}});
  EXPECT_FALSE(c.ok());
  EXPECT_NE(c.error.find("dilations"), std::string::npos) << c.error;
}

testing::Grid FiveByFive() {
  testing::Grid g{5, 5, {}};
  for (int v = 1; v <= 25; ++v) g.v.push_back(v);
  return g;
}

testing::Grid FourByFour() {
  testing::Grid g{4, 4, {}};
  for (int v = 1; v <= 16; ++v) g.v.push_back(v);
  return g;
}

// The node tests with literal values: the recipe, run as PyTorch's kernels run it, gives them.
TEST(OnnxPoolNodeTests, RecipesReproduceTheLiteralValues) {
  struct Literal {
    const char* name;
    testing::Grid x;
    std::vector<double> y;
  };
  const std::vector<Literal> literals = {
      {"test_maxpool_2d_precomputed_pads", FiveByFive(), {13, 14, 15, 15, 15, 18, 19, 20, 20, 20, 23, 24, 25, 25, 25, 23, 24, 25, 25, 25, 23, 24, 25, 25, 25}},
      {"test_maxpool_2d_precomputed_strides", FiveByFive(), {7, 9, 17, 19}},
      {"test_maxpool_2d_precomputed_same_upper", FiveByFive(), {7, 9, 10, 17, 19, 20, 22, 24, 25}},
      {"test_maxpool_2d_ceil", FourByFour(), {11, 12, 15, 16}},
      {"test_maxpool_2d_dilations", FourByFour(), {11, 12, 15, 16}},
      {"test_averagepool_2d_precomputed_pads", FiveByFive(),
       {7, 7.5, 8, 8.5, 9, 9.5, 10, 10.5, 11, 11.5, 12, 12.5, 13, 13.5, 14, 14.5, 15, 15.5, 16, 16.5, 17, 17.5, 18, 18.5, 19}},
      {"test_averagepool_2d_precomputed_pads_count_include_pad", FiveByFive(),
       {2.52, 3.6, 4.8, 4.08, 3.24, 4.56, 6.4, 8.4, 7.04, 5.52, 7.2, 10, 13, 10.8, 8.4, 6.96, 9.6, 12.4, 10.24, 7.92, 6.12, 8.4, 10.8, 8.88, 6.84}},
      {"test_averagepool_2d_precomputed_strides", FiveByFive(), {4, 6, 14, 16}},
      {"test_averagepool_2d_precomputed_same_upper", FiveByFive(), {4, 5.5, 7, 11.5, 13, 14.5, 19, 20.5, 22}},
      {"test_averagepool_2d_ceil", FourByFour(), {6, 7.5, 12, 13.5}},
  };
  for (const Literal& l : literals) {
    const auto it = std::find_if(NodeTests().begin(), NodeTests().end(), [&](const PoolNodeTest& t) { return std::string(t.name) == l.name; });
    ASSERT_NE(it, NodeTests().end()) << l.name;
    const ForeignPool pool{it->kind, it->ceil_mode, it->count_include_pad};
    const std::vector<ForeignDim> dims = Foreign(*it);
    const PoolConversion c = PoolToTorch(it->auto_pad, pool, dims);
    ASSERT_TRUE(c.ok()) << l.name << ": " << c.error;
    const testing::Grid y = testing::RunRecipe(c, pool, dims, l.x);
    ASSERT_EQ(y.v.size(), l.y.size()) << l.name;
    for (size_t i = 0; i < y.v.size(); ++i) EXPECT_NEAR(y.v[i], l.y[i], 1e-6) << l.name << " element " << i << " (" << PoolRecipeStyleName(c.style) << ")";
  }
}

}  // namespace
}  // namespace convcheck
