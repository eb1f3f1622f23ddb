// Inline SVG charts for the HTML pages (no scripts, no external resources): a heatmap of
// divergence rates and a line chart of counts over time.
#pragma once

#include <string>
#include <vector>

#include "reports/report.h"

namespace convcheck::report {

// A heatmap as an <svg> element: one cell per (row, col), coloured green for rate 0, orange to
// dark red as the rate grows (log scale), grey with "–" for cells without cases. Each cell has
// a <title> tooltip "conv2d × ShapeAgrees: 3 / 1200 (0.0025)".
std::string HeatmapSvg(const Heatmap& h);

struct Series {
  std::string name;
  std::string color;            // CSS colour, e.g. "#c0392b"
  std::vector<double> values;   // one per x label; NaN leaves a gap
};

struct LineChart {
  std::string title;
  std::vector<std::string> x_labels;  // e.g. the nights' dates
  std::vector<Series> series;
};

// A line chart as an <svg> element with axes, a y scale from 0 to the largest value, a point
// per value (with a tooltip) and a legend.
std::string LineChartSvg(const LineChart& chart);

}  // namespace convcheck::report
