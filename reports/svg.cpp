#include "reports/svg.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "reports/escape.h"

namespace convcheck::report {
namespace {

// Colour of a rate: the scale is logarithmic because one divergence in 10^4 cases matters as
// much to a reader as one in 10.
std::string RateColor(const HeatCell& c) {
  if (c.cases == 0 || std::isnan(c.rate)) return "#e5e7eb";
  if (c.failures == 0) return "#bbf7d0";
  const double t = std::clamp((std::log10(std::max(c.rate, 1e-5)) + 5) / 5, 0.0, 1.0);
  const int r = static_cast<int>(253 - t * (253 - 153));
  const int g = static_cast<int>(186 - t * (186 - 27));
  const int b = static_cast<int>(116 - t * (116 - 27));
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
  return buf;
}

std::string CellLabel(const HeatCell& c) {
  if (c.cases == 0) return "–";
  if (c.failures == 0) return "0";
  return FormatRate(c.rate);
}

std::string Fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  return buf;
}

}  // namespace

std::string HeatmapSvg(const Heatmap& h) {
  constexpr int kLabelW = 170, kHeaderH = 110, kCellW = 96, kCellH = 30;
  const int width = kLabelW + kCellW * static_cast<int>(h.cols.size()) + 140;  // slanted labels
  const int height = kHeaderH + kCellH * static_cast<int>(h.rows.size()) + 10;
  std::ostringstream os;
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heatmap\" width=\"" << width
     << "\" height=\"" << height << "\" role=\"img\" aria-label=\"" << XmlEscape(h.title) << "\">\n"
     << "<text x=\"4\" y=\"" << kHeaderH - 8 << "\" font-size=\"12\" font-style=\"italic\">"
     << XmlEscape(h.row_axis) << " \\ " << XmlEscape(h.col_axis) << "</text>\n";
  for (size_t c = 0; c < h.cols.size(); ++c) {
    // Slanted: property names are long and would overlap side by side.
    os << "<text font-size=\"12\" transform=\"translate(" << kLabelW + kCellW * c + kCellW / 3 << ","
       << kHeaderH - 8 << ") rotate(-30)\">" << XmlEscape(h.cols[c]) << "</text>\n";
  }
  for (size_t r = 0; r < h.rows.size(); ++r) {
    const size_t y = kHeaderH + kCellH * r;
    os << "<text x=\"4\" y=\"" << y + kCellH / 2 + 4 << "\" font-size=\"12\">" << XmlEscape(h.rows[r])
       << "</text>\n";
    for (size_t c = 0; c < h.cols.size(); ++c) {
      const HeatCell& cell = h.cells[r * h.cols.size() + c];
      const size_t x = kLabelW + kCellW * c;
      os << "<g><title>" << XmlEscape(h.rows[r] + " × " + h.cols[c]) << ": " << cell.failures
         << " / " << cell.cases << " (" << FormatRate(cell.rate) << ")</title>"
         << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << kCellW - 2 << "\" height=\""
         << kCellH - 2 << "\" fill=\"" << RateColor(cell) << "\"/>"
         << "<text x=\"" << x + kCellW / 2 << "\" y=\"" << y + kCellH / 2 - 1
         << "\" font-size=\"11\" text-anchor=\"middle\">" << CellLabel(cell) << "</text>"
         // The counts under the rate: 1 in 3 and 1000 in 3000 are not the same evidence.
         << "<text x=\"" << x + kCellW / 2 << "\" y=\"" << y + kCellH - 5
         << "\" font-size=\"9\" text-anchor=\"middle\">" << cell.failures << " / " << cell.cases
         << "</text></g>\n";
    }
  }
  os << "</svg>\n";
  return os.str();
}

std::string LineChartSvg(const LineChart& chart) {
  constexpr double kW = 760, kH = 320, kLeft = 60, kRight = 180, kTop = 20, kBottom = 60;
  double top = 1;
  for (const Series& s : chart.series) {
    for (double v : s.values) {
      if (std::isfinite(v)) top = std::max(top, v);
    }
  }
  const size_t n = chart.x_labels.size();
  auto x_at = [&](size_t i) { return kLeft + (n > 1 ? (kW - kLeft - kRight) * i / (n - 1) : 0.0); };
  auto y_at = [&](double v) { return kH - kBottom - (kH - kTop - kBottom) * v / top; };
  std::ostringstream os;
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend\" width=\"" << kW << "\" height=\""
     << kH << "\" role=\"img\" aria-label=\"" << XmlEscape(chart.title) << "\">\n"
     << "<line x1=\"" << kLeft << "\" y1=\"" << y_at(0) << "\" x2=\"" << kW - kRight << "\" y2=\""
     << y_at(0) << "\" stroke=\"#333\"/><line x1=\"" << kLeft << "\" y1=\"" << kTop << "\" x2=\""
     << kLeft << "\" y2=\"" << y_at(0) << "\" stroke=\"#333\"/>\n";
  for (int t = 0; t <= 4; ++t) {
    const double v = top * t / 4;
    os << "<text x=\"" << kLeft - 6 << "\" y=\"" << Fmt(y_at(v) + 4) << "\" font-size=\"11\" text-anchor=\"end\">"
       << FormatRate(std::round(v * 10) / 10) << "</text>\n";
  }
  for (size_t i = 0; i < n; ++i) {
    os << "<text font-size=\"10\" text-anchor=\"end\" transform=\"translate(" << Fmt(x_at(i)) << ","
       << Fmt(kH - kBottom + 14) << ") rotate(-30)\">" << XmlEscape(chart.x_labels[i]) << "</text>\n";
  }
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const Series& series = chart.series[s];
    std::string path;
    for (size_t i = 0; i < series.values.size() && i < n; ++i) {
      if (!std::isfinite(series.values[i])) continue;
      path += (path.empty() ? "M" : " L") + Fmt(x_at(i)) + " " + Fmt(y_at(series.values[i]));
      os << "<circle cx=\"" << Fmt(x_at(i)) << "\" cy=\"" << Fmt(y_at(series.values[i])) << "\" r=\"3\" fill=\""
         << series.color << "\"><title>" << XmlEscape(series.name + " " + chart.x_labels[i]) << ": "
         << FormatRate(series.values[i]) << "</title></circle>\n";
    }
    if (!path.empty()) {
      os << "<path d=\"" << path << "\" fill=\"none\" stroke=\"" << series.color << "\" stroke-width=\"2\"/>\n";
    }
    os << "<rect x=\"" << kW - kRight + 15 << "\" y=\"" << kTop + 20 * s << "\" width=\"12\" height=\"12\" fill=\""
       << series.color << "\"/><text x=\"" << kW - kRight + 32 << "\" y=\"" << kTop + 20 * s + 11
       << "\" font-size=\"12\">" << XmlEscape(series.name) << "</text>\n";
  }
  os << "</svg>\n";
  return os.str();
}

}  // namespace convcheck::report
