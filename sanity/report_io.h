// Writers for a SanityReport: the console findings table and the JSON document (schema_version,
// context block, findings, measurements). They format only; the checks computed everything.
// Torch-free, so the CLI includes this without torch.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "sanity/finding.h"

namespace convcheck::sanity {

inline constexpr int kSanitySchemaVersion = 1;

// {"schema_version": 1, "kind": "convcheck.sanity", "context": {...}, "summary": {...},
//  "findings": [...], "measurements": [...]}. NaN measured values are written as the string
// "nan" (JSON has no NaN), Inf as "inf"/"-inf".
nlohmann::json ReportToJson(const SanityReport& report);

// The findings table: ID, level, step, layer, measured, threshold, what to do.
void PrintFindings(const SanityReport& report, std::ostream& out);
// The console's line width: the table wraps its last column to stay within it (details in --json).
inline constexpr size_t kSanityColumns = 120;

// The first lines' note when no training was asked for: constant output (OUT-1 after training)
// only shows with --train K. Empty when training was asked for.
std::string TrainingNote(const SanityReport& report);
// The closing line: "diagnosis: <the first error, or 'no error'> — 2 errors, 1 warning",
// at most kSanityColumns columns.
std::string DiagnosisLine(const SanityReport& report);
// "shapes (input [1, 1, 61, 72]):" then one line per layer with its output shape, or one line
// saying why the model has no per-layer shapes.
void PrintLayerShapes(const SanityReport& report, std::ostream& out);
// The headline measurements (rho, r*, L0, dead fraction) per step.
void PrintMeasurements(const SanityReport& report, std::ostream& out);

// Writes `j` to `path` through a temporary file and a rename, so a failed write never leaves a
// half-written report. false with a one-line error.
bool WriteJsonFile(const nlohmann::json& j, const std::string& path, std::string* error);

}  // namespace convcheck::sanity
