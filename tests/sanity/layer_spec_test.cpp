// The layer-list format and the report writers: torch-free parts of sanity/.
#include <sstream>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "sanity/layer_spec.h"
#include "sanity/report_io.h"
#include "sanity/thresholds.h"

namespace convcheck::sanity {
namespace {

TEST(LayerSpec, ParsesEveryLayerTypeAndInit) {
  const std::string text = R"J({"task": "regression", "layers": [
    {"type": "conv", "out_channels": 4, "kernel": [3, 5], "padding": "same", "init": "he"},
    {"type": "batchnorm"}, {"type": "relu"}, {"type": "maxpool", "kernel": 2, "ceil_mode": true},
    {"type": "convT", "out_channels": 2, "kernel": 2, "stride": 2, "output_padding": 1, "init": "glorot"},
    {"type": "tanh"}, {"type": "avgpool", "kernel": 2}, {"type": "sigmoid"}, {"type": "dropout", "p": 0.1},
    {"type": "flatten"}, {"type": "linear", "out_features": 3, "init": "normal(0.5)", "bias_init": "constant(-10)"}]})J";
  ModelSpec spec;
  std::string error;
  ASSERT_TRUE(ParseModelSpec(text, &spec, &error)) << error << "\nmodel: " << text;
  ASSERT_EQ(spec.layers.size(), 11u);
  EXPECT_EQ(spec.task, "regression");
  EXPECT_TRUE(spec.layers[0].same_padding);
  EXPECT_EQ(spec.layers[0].kernel, (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(spec.layers[0].init.kind, Init::Kind::kHe);
  EXPECT_TRUE(spec.layers[3].ceil_mode);
  EXPECT_EQ(spec.layers[4].type, LayerType::kConvT);
  EXPECT_EQ(spec.layers[10].init.kind, Init::Kind::kNormal);
  EXPECT_DOUBLE_EQ(spec.layers[10].init.value, 0.5);
  ASSERT_TRUE(spec.layers[10].bias_init.has_value());
  EXPECT_DOUBLE_EQ(spec.layers[10].bias_init->value, -10);
}

TEST(LayerSpec, RejectsTyposWithTheLayerAndKey) {
  struct Bad { const char* json; const char* expect; };
  const Bad cases[] = {
      {R"J([{"type": "conv", "out_channels": 4, "kernal": 3}])J", "layers[0]: kernal: unknown key"},
      {R"J([{"type": "relu"}, {"type": "dense"}])J", "layers[1]: unknown type 'dense'"},
      {R"J([{"type": "conv", "kernel": 3}])J", "layers[0]: out_channels: required key is missing"},
      {R"J([{"type": "linear", "out_features": 3, "init": "normal(-1)"}])J", "layers[0]: bad value for 'init'"},
      {R"J({"layers": [], "task": "x"})J", "unknown key or bad value 'task'"},
      {R"J(not json)J", "not valid JSON"},
      // TF SAME pooling is refused, never modelled as floor pooling (a silent fan-in change).
      {R"J([{"type": "conv", "out_channels": 4, "kernel": 3}, {"type": "maxpool", "kernel": 2, "padding": "same"}])J",
       "layers[1]: maxpool: padding \"same\" (TF SAME pooling) is not supported"},
  };
  for (const Bad& b : cases) {
    ModelSpec spec;
    std::string error;
    EXPECT_FALSE(ParseModelSpec(b.json, &spec, &error)) << "model: " << b.json;
    EXPECT_NE(error.find(b.expect), std::string::npos) << "got: " << error << "\nmodel: " << b.json;
  }
}

// Law: every init the format can express prints back to text that parses to the same init.
RC_GTEST_PROP(LayerSpec, InitNameRoundTrips, ()) {
  const auto kind = *rc::gen::element(Init::Kind::kDefault, Init::Kind::kHe, Init::Kind::kGlorot,
                                      Init::Kind::kLeCun, Init::Kind::kNormal, Init::Kind::kUniform,
                                      Init::Kind::kConstant, Init::Kind::kZeros);
  const int mantissa = *rc::gen::inRange(-1000, 1000);
  Init init{kind, 0};
  if (kind == Init::Kind::kNormal || kind == Init::Kind::kUniform) init.value = std::abs(mantissa) / 8.0;
  if (kind == Init::Kind::kConstant) init.value = mantissa / 8.0;
  const std::string text = InitName(init);
  const std::optional<Init> back = ParseInit(text);
  RC_ASSERT(back.has_value());
  RC_ASSERT(back->kind == init.kind);
  RC_ASSERT(back->value == init.value);
}

TEST(SanityReportJson, CarriesSchemaContextFindingsAndExplicitNaN) {
  SanityReport r;
  r.context.model = "m.json";
  r.context.framework_version = "1.13.0";
  r.findings.push_back({"OUT-1", Level::kError, "", std::nan(""), "finite outputs", "nan out", 3});
  r.findings.push_back({"IN-2", Level::kWarn, "input channel 0", 74.0, "std <= 5", "divide", 0});
  r.measurements.push_back({"rho", "", 1e-7, 3});
  const nlohmann::json j = ReportToJson(r);
  EXPECT_EQ(j["schema_version"], kSanitySchemaVersion);
  EXPECT_EQ(j["context"]["framework"], "libtorch");
  EXPECT_EQ(j["context"]["framework_version"], "1.13.0");
  EXPECT_EQ(j["findings"][0]["measured"], "nan");
  EXPECT_EQ(j["findings"][0]["level"], "error");
  EXPECT_EQ(j["summary"]["errors"], 1);
  EXPECT_EQ(j["summary"]["passed"], false);
  EXPECT_DOUBLE_EQ(r.Latest("rho"), 1e-7);
  EXPECT_TRUE(r.HasError());
  EXPECT_TRUE(r.Has("IN-2", Level::kWarn));
  EXPECT_FALSE(r.Has("IN-2", Level::kError));
}

TEST(SanityConsole, EndsWithADiagnosisLineAndKeepsLinesWithin120Columns) {
  SanityReport r;
  r.findings.push_back({"OUT-1", Level::kError, "", std::nan(""), "finite outputs",
                        std::string(300, 'x') + " and a long explanation of what to do next", 3});
  r.findings.push_back({"IN-2", Level::kWarn, "input channel 0", 74.0, "std <= 5", "divide", 0});
  const std::string line = DiagnosisLine(r);
  EXPECT_EQ(line.rfind("diagnosis: OUT-1 ", 0), 0u) << line;
  EXPECT_NE(line.find(" — 1 error, 1 warning"), std::string::npos) << line;
  std::ostringstream table;
  PrintFindings(r, table);
  std::istringstream lines(table.str() + line + "\n" + TrainingNote(r));
  for (std::string l; std::getline(lines, l);) {
    size_t columns = 0;  // UTF-8: count the bytes that start a character
    for (unsigned char ch : l) columns += (ch & 0xC0) != 0x80;
    EXPECT_LE(columns, kSanityColumns) << l;
  }
  EXPECT_NE(TrainingNote(r).find("--train"), std::string::npos);
  r.context.train_steps = 10;
  EXPECT_EQ(TrainingNote(r), "");
}

TEST(SanityThresholds, TableListsEveryCheckWithASource) {
  const std::vector<std::string> ids = {"INIT-1", "INIT-2", "INIT-4", "INIT-5", "IN-1", "IN-2",
                                        "IN-3", "ACT-1", "ACT-2", "OUT-1", "OUT-2", "OUT-3"};
  const std::vector<ThresholdRow> rows = ThresholdTable();
  ASSERT_EQ(rows.size(), ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(rows[i].id, ids[i]);
    EXPECT_FALSE(rows[i].source.empty()) << rows[i].id;
  }
}

}  // namespace
}  // namespace convcheck::sanity
