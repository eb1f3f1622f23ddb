// What a backend can express, declared by its plugin (backends/plugin/plugin_abi.h) and enforced
// in the core by CapableBackend (backends/capable_backend.h): a case outside it is a skip with
// the reason ("onnx cannot express padding_mode reflect"), counted in every report, never a
// silent pass and never a framework error that reads like a bug.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oracles/conv_case.h"

namespace convcheck {

struct BackendCapabilities {
  std::vector<Op> ops;                    // ops it runs (rank included: conv1d..conv_transpose3d)
  std::vector<DType> dtypes;
  std::vector<PaddingMode> padding_modes;
  std::vector<Device> devices;            // devices it can ever run on (Devices() says which are here)
  bool padding_strings = true;            // PyTorch's padding="same"/"valid"
  bool unbatched = true;                  // [C, *spatial] input
  bool channels_last = true;
  bool weight_override = true;            // a weight shape that contradicts the other fields
  // Cases in ONNX terms (ConvCase::auto_pad: auto_pad, asymmetric pads, output_shape). A run on
  // a backend that declares it also draws them (GenOptions::onnx_geometry).
  bool onnx_geometry = false;
  // Has a numeric backend (output values, gradients); without it a default run leaves the
  // numeric properties out and says so (cli/backend_loop.h).
  bool values = true;
  // Extra properties whose calls it cannot answer (e.g. gradients): a default run leaves them out.
  std::vector<std::string> lacks;
  std::string note;                       // one line: what the backend's outcome is
};

// Why `backend` cannot express `c`, or nullopt when it can.
std::optional<std::string> Unsupported(const BackendCapabilities& caps, const std::string& backend,
                                       const ConvCase& c);

// "ops conv1d..conv_transpose3d; dtypes float32, float64; padding modes zeros; devices cpu; ..."
std::string DescribeCapabilities(const BackendCapabilities& caps);

// Everything convcheck's case can say except ONNX geometry (LibTorch's declaration: no
// PyTorch op takes auto_pad, asymmetric pads or output_shape).
BackendCapabilities AllCapabilities();
// The six convolution ops, for a backend that runs no pooling, flatten or linear layer.
std::vector<Op> ConvolutionOps();

}  // namespace convcheck
