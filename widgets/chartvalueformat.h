#pragma once

namespace qs::widgets {

// What a chart's values are: its value axis labels and its tooltips follow it.
enum class ChartValueFormat { Number, Bytes, Percent, Rate };

} // namespace qs::widgets
