#pragma once

#include "valueticker.h"

#include <qcustomplot.h>

namespace qs::widgets {

// The plot of one TimeSeriesChart: a header row with the title on the left and the legend on the
// right (so no data hides behind it), a local-time axis whose labels follow the visible span, a
// value axis in the chart's unit, horizontal drag and zoom, 1 px lines without antialiasing and
// the colours of a palette. The chart adds the graphs and their pens.
class ChartPlot final : public QCustomPlot
{
public:
    ChartPlot(const QString &title, const QFont &titleFont, QWidget *parent);

    void setValueFormat(ChartValueFormat format) { m_valueTicker->setFormat(format); }
    // Axes, grid, title and legend in the palette's colours; the graphs keep their pens.
    void applyPalette(const QPalette &palette);
    // Time labels as precise as the visible span needs ("HH:mm:ss" up to 15 min).
    void updateTimeFormat();

    // As many legend entries per row as fit beside the title: a narrow chart wraps its legend
    // onto more rows instead of cutting its entries ("Used memor").
    void fitLegend();
    // Whether every legend entry has its full width inside the plot (as of the last replot).
    bool legendFits() const;

private:
    QCPTextElement *m_title = nullptr;
    QSharedPointer<ValueTicker> m_valueTicker;
    int m_fittedLegendItems = -1; // legend entries when fitLegend() last arranged them
};

} // namespace qs::widgets
