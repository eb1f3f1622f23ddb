#include "case_io/bounded_json.h"

namespace convcheck {
namespace {

using nlohmann::json;

// Counts depth and values without building anything; returning false stops the parse at once.
class LimitChecker : public nlohmann::json_sax<json> {
 public:
  explicit LimitChecker(const JsonLimits& limits) : limits_(limits) {}
  std::string error;

  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override { return Value(); }
  bool string(string_t&) override { return Value(); }
  bool binary(binary_t&) override { return Value(); }
  bool start_object(std::size_t) override { return Open(); }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(); }
  bool end_array() override { return Close(); }
  bool key(string_t&) override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    error = "not valid JSON at byte " + std::to_string(position);
    return false;
  }

 private:
  bool Value() {
    if (++values_ <= limits_.max_values) return true;
    error = "more than " + std::to_string(limits_.max_values) + " values";
    return false;
  }
  bool Open() {
    if (++depth_ > limits_.max_depth) {
      error = "nested deeper than " + std::to_string(limits_.max_depth) + " levels";
      return false;
    }
    return Value();
  }
  bool Close() {
    --depth_;
    return true;
  }

  const JsonLimits& limits_;
  size_t depth_ = 0;
  size_t values_ = 0;
};

}  // namespace

json ParseBoundedJson(const std::string& text, std::string* error, const JsonLimits& limits) {
  LimitChecker checker(limits);
  bool ok = false;
  try {
    ok = json::sax_parse(text, &checker);
  } catch (const std::exception& e) {  // defensive: sax_parse reports through parse_error
    checker.error = std::string("not valid JSON (") + e.what() + ")";
  }
  if (!ok) {
    *error = checker.error.empty() ? "not valid JSON" : checker.error;
    return json(json::value_t::discarded);
  }
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) *error = "not valid JSON";
  return j;
}

}  // namespace convcheck
