// Parsing of the list-valued flags shared by several commands (--ops, --dtype, --device).
#pragma once

#include <string>
#include <vector>

#include "oracles/conv_case.h"

namespace convcheck::cli {

// "conv2d,conv_transpose2d" or "all"; false with an error naming the bad entry.
bool ParseOpList(const std::string& text, std::vector<Op>* out, std::string* error);
// "float32,bfloat16"
bool ParseDTypeList(const std::string& text, std::vector<DType>* out, std::string* error);


}  // namespace convcheck::cli
