#pragma once

#include <QColor>

#include <array>

namespace qs::widgets {

// Mid-luminance colours (relative luminance about 0.2): at least 3:1 against white and against
// a dark Base, and told apart by hue. Limits are drawn dashed in the text colour instead.
inline constexpr std::array<QRgb, 8> seriesColours{0x3a7bd5, 0xd9730d, 0x2e9e44, 0xd9434e,
                                                   0x9b59d0, 0x12948f, 0xc2408f, 0xa68a00};

// The colour of the n-th line of a chart.
inline QColor seriesColour(int n)
{
    return QColor(seriesColours[size_t(n) % seriesColours.size()]);
}

} // namespace qs::widgets
