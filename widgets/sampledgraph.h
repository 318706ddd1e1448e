#pragma once

#include <qcustomplot.h>

#include <vector>

namespace qs::widgets {

// Adaptive sampling that keeps gaps and draws dense data cheaply. QCPGraph's own sampling drops
// NaNs inside a pixel column (a short gap in a 24 h view became a line across it) and strokes
// four points per column with the pen, pixel by pixel (the bulk of a 24 h replot). Here, with
// two or more samples per pixel, each column becomes its min..max range (joined to the previous
// column's last value, as the line would be) and each run of columns between gaps is filled as
// one polygon: the pixels of the 1 px line, drawn as horizontal spans. Dashed pens (limits) keep
// the stroked line. With fewer samples than pixels the points go through unchanged.
class SampledGraph final : public QCPGraph
{
public:
    using QCPGraph::QCPGraph;

protected:
    void getOptimizedLineData(QVector<QCPGraphData> *out,
                              const QCPGraphDataContainer::const_iterator &begin,
                              const QCPGraphDataContainer::const_iterator &end) const override;
    void drawLinePlot(QCPPainter *painter, const QVector<QPointF> &lines) const override;

private:
    static constexpr qsizetype bandColumns = 128; // fastest of 16..512 (callgrind)

    struct Column
    {
        double x;        // pixel column
        qsizetype first; // index of its first sample; -1 for a gap
        qsizetype lowAt, highAt;
        double low, high, last;
    };

    void emitColumns(const QCPGraphData *data, qsizetype count, QVector<QCPGraphData> *out,
                     bool band) const;
    void addBand(qsizetype from, qsizetype to, double v0, double vScale) const;

    mutable std::vector<Column> m_columns;
    // Filled outlines of the last dense sampling, in pixels; valid until the next getLines().
    mutable QVector<QPointF> m_band;
    mutable QVector<int> m_runSizes;
};

} // namespace qs::widgets
