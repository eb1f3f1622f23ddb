#include "engine/run_config.h"

#include <algorithm>

#include "properties/property_table.h"

namespace convcheck {

std::vector<std::string> RunSelection(const RunConfig& config, std::string* error) {
  std::vector<std::string> selected = SelectProperties(config.properties, error).value_or(std::vector<std::string>{});
  if (!config.properties.empty()) return selected;
  const auto unanswerable = [&](const std::string& name) {
    return std::find(config.unanswerable.begin(), config.unanswerable.end(), name) != config.unanswerable.end();
  };
  selected.erase(std::remove_if(selected.begin(), selected.end(), unanswerable), selected.end());
  return selected;
}

}  // namespace convcheck
