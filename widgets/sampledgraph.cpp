#include "sampledgraph.h"

#include <algorithm>
#include <cmath>

namespace qs::widgets {

void SampledGraph::getOptimizedLineData(QVector<QCPGraphData> *out,
                                        const QCPGraphDataContainer::const_iterator &begin,
                                        const QCPGraphDataContainer::const_iterator &end) const
{
    m_band.clear();
    m_runSizes.clear();
    if (!out || begin == end)
        return;
    const QCPGraphData *data = &*begin;
    const qsizetype count = end - begin;
    // Both axes are linear: pixel = p0 + (coordinate - origin) * scale.
    const double k0 = data[0].key;
    const double p0 = keyAxis()->coordToPixel(k0);
    const double scale = keyAxis()->coordToPixel(k0 + 1.0) - p0;
    const double pixelSpan = (data[count - 1].key - k0) * scale;
    if (!adaptiveSampling() || scale <= 0 || double(count) < 2 * pixelSpan + 2) {
        out->resize(count); // NaNs pass through: drawPolyline breaks the line at them
        std::copy(begin, end, out->begin());
        return;
    }
    // One pass, column by column; a gap is a column with first < 0.
    const bool band = pen().style() == Qt::SolidLine;
    m_columns.clear();
    qsizetype i = 0;
    while (i < count) {
        if (std::isnan(data[i].value)) {
            if (m_columns.empty() || m_columns.back().first >= 0)
                m_columns.push_back({0, -1, i, i, 0, 0, 0});
            ++i;
            continue;
        }
        double x = std::floor(p0 + (data[i].key - k0) * scale);
        if (!m_columns.empty() && m_columns.back().first >= 0 && x <= m_columns.back().x)
            x = m_columns.back().x + 1; // rounding at a column edge: never reuse a column
        const double keyEnd = k0 + (x + 1 - p0) / scale; // where the next column starts
        double low = data[i].value, high = low;
        qsizetype lowAt = i, highAt = i, j = i + 1;
        const qsizetype columnEnd =
            std::partition_point(data + j, data + count,
                                 [keyEnd](const QCPGraphData &d) { return d.key < keyEnd; }) -
            data;
        bool gap = false;
        if (band) {
            // The band needs only the extremes: a tight loop. A NaN in the column sends it
            // through the careful loop below, which ends the column there.
            double lo = low, hi = high;
            for (qsizetype k = j; k < columnEnd; ++k) {
                const double value = data[k].value;
                gap |= std::isnan(value);
                lo = std::min(lo, value);
                hi = std::max(hi, value);
            }
            if (!gap) {
                low = lo;
                high = hi;
                highAt = columnEnd - 1; // positions only order the (undrawn) line points
                j = columnEnd;
            }
        }
        for (; j < columnEnd; ++j) {
            const double value = data[j].value;
            if (std::isnan(value))
                break;
            // Branch-free: noisy data makes "new low / new high" unpredictable.
            lowAt = value < low ? j : lowAt;
            highAt = value > high ? j : highAt;
            low = std::min(low, value);
            high = std::max(high, value);
        }
        m_columns.push_back({x, i, lowAt, highAt, low, high, data[j - 1].value});
        i = j;
    }
    emitColumns(data, count, out, band);
}

void SampledGraph::drawLinePlot(QCPPainter *painter, const QVector<QPointF> &lines) const
{
    if (m_runSizes.isEmpty() || painter->pen().style() != Qt::SolidLine) {
        QCPGraph::drawLinePlot(painter, lines);
        return;
    }
    applyDefaultAntialiasingHint(painter);
    painter->setBrush(painter->pen().color());
    painter->setPen(Qt::NoPen);
    const QPointF *points = m_band.constData();
    for (int size : m_runSizes) {
        painter->drawPolygon(points, size, Qt::WindingFill);
        points += size;
    }
}

// The line: each column's low and high in time order, a NaN per gap, the newest sample last.
// The band (solid pens only): per run of columns, a polygon over low..high of each column,
// widened to the previous column's last value so that the run stays connected.
void SampledGraph::emitColumns(const QCPGraphData *data, qsizetype count,
                               QVector<QCPGraphData> *out, bool band) const
{
    const double v0 = valueAxis()->coordToPixel(0);
    const double vScale = valueAxis()->coordToPixel(1) - v0;
    out->reserve(qsizetype(m_columns.size()) * 2 + 2);
    qsizetype runStart = 0;
    const auto closeRun = [&](qsizetype runEnd) {
        // Pieces of at most bandColumns that tile: the rasterizer walks every edge of a
        // polygon that crosses a scanline, so one polygon per 24 h run filled twice as slowly.
        for (qsizetype from = runStart; band && from < runEnd; from += bandColumns)
            addBand(from, std::min(runEnd, from + bandColumns), v0, vScale);
    };
    for (qsizetype k = 0; k < qsizetype(m_columns.size()); ++k) {
        Column &c = m_columns[k];
        if (c.first < 0) {
            out->append(QCPGraphData(data[c.lowAt].key, qQNaN()));
            closeRun(k);
            runStart = k + 1;
            continue;
        }
        const bool lowFirst = c.lowAt <= c.highAt;
        out->append(
            QCPGraphData(data[lowFirst ? c.lowAt : c.highAt].key, lowFirst ? c.low : c.high));
        if (c.lowAt != c.highAt)
            out->append(
                QCPGraphData(data[lowFirst ? c.highAt : c.lowAt].key, lowFirst ? c.high : c.low));
        if (k > runStart) { // join the previous column (the band only: the line is joined)
            c.low = std::min(c.low, m_columns[k - 1].last);
            c.high = std::max(c.high, m_columns[k - 1].last);
        }
    }
    closeRun(qsizetype(m_columns.size()));
    // End the line on the newest value itself, not on an extreme of the last column.
    const QCPGraphData &newest = data[count - 1];
    if (!std::isnan(newest.value) && !out->isEmpty() && out->constLast().key != newest.key)
        out->append(newest);
}

// Vertices at pixel centres (plus the outer edges of the end columns): without antialiasing a
// pixel is filled when its centre is inside, so each column is filled exactly from its top
// to its bottom row.
void SampledGraph::addBand(qsizetype from, qsizetype to, double v0, double vScale) const
{
    const auto top = [&](qsizetype k) { return std::floor(v0 + m_columns[k].high * vScale); };
    const auto bottom = [&](qsizetype k) { return std::floor(v0 + m_columns[k].low * vScale) + 1; };
    const qsizetype size = m_band.size();
    m_band << QPointF(m_columns[from].x, top(from));
    for (qsizetype k = from; k < to; ++k)
        m_band << QPointF(m_columns[k].x + 0.5, top(k));
    m_band << QPointF(m_columns[to - 1].x + 1, top(to - 1))
           << QPointF(m_columns[to - 1].x + 1, bottom(to - 1));
    for (qsizetype k = to - 1; k >= from; --k)
        m_band << QPointF(m_columns[k].x + 0.5, bottom(k));
    m_band << QPointF(m_columns[from].x, bottom(from));
    m_runSizes.append(int(m_band.size() - size));
}

} // namespace qs::widgets
