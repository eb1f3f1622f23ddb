// ValuesAgreeAcrossEngines: two engines that run the same case on the same float64 data (the
// case's seed, converted to its dtype inside each engine) give the same numbers, element by
// element, within the sum of both engines' tolerances (oracles/tolerance.h). Each side is also
// compared with the float64 reference, so a disagreement says which engine is off.
//
// The run's numeric backend is one side (OpenCV in an opencv turn); NumericSetup's peer is the
// other (LibTorch). A case either engine cannot run is skipped with that engine's reason, never
// passed; without a peer every case is skipped with NumericSetup::peer_missing, and a default
// selection leaves the property out (engine/engine.cpp, cli/peer_engine.h).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "properties/numeric_properties.h"

namespace convcheck {

class ValuesAgreeAcrossEngines final : public NumericProperty {
 public:
  explicit ValuesAgreeAcrossEngines(const NumericSetup& setup = {});
  std::string Name() const override { return "ValuesAgreeAcrossEngines"; }

 protected:
  void CheckValid(const ConvCase& c, NumericBackend& numeric, CaseResult* r) override;

 private:
  std::shared_ptr<NumericBackend> peer_;
  std::function<std::shared_ptr<NumericBackend>()> peer_factory_;
  std::string peer_missing_;
};

}  // namespace convcheck
