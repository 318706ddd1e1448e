#include "timeserieschart.h"

#include "monitor/metrichistory.h"
#include "monitor/units.h"

#include <qcustomplot.h>

#include <QDateTime>
#include <QFileDialog>
#include <QMenu>
#include <QSaveFile>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <cmath>

namespace qs::widgets {

using monitor::Metric;

namespace {

constexpr int minWindowSeconds = 10;

// Mid-luminance colours (relative luminance about 0.2): at least 3:1 against white and against
// a dark Base, and told apart by hue. Limits are drawn dashed in the text colour instead.
constexpr std::array<QRgb, 8> seriesColours{0x3a7bd5, 0xd9730d, 0x2e9e44, 0xd9434e,
                                            0x9b59d0, 0x12948f, 0xc2408f, 0xa68a00};

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
                              const QCPGraphDataContainer::const_iterator &end) const override
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

    void drawLinePlot(QCPPainter *painter, const QVector<QPointF> &lines) const override
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

private:
    static constexpr qsizetype bandColumns = 128; // fastest of 16..512 (callgrind)

    struct Column
    {
        double x;        // pixel column
        qsizetype first; // index of its first sample; -1 for a gap
        qsizetype lowAt, highAt;
        double low, high, last;
    };

    // The line: each column's low and high in time order, a NaN per gap, the newest sample last.
    // The band (solid pens only): per run of columns, a polygon over low..high of each column,
    // widened to the previous column's last value so that the run stays connected.
    void emitColumns(const QCPGraphData *data, qsizetype count, QVector<QCPGraphData> *out,
                     bool band) const
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
                out->append(QCPGraphData(data[lowFirst ? c.highAt : c.lowAt].key,
                                         lowFirst ? c.high : c.low));
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
    void addBand(qsizetype from, qsizetype to, double v0, double vScale) const
    {
        const auto top = [&](qsizetype k) { return std::floor(v0 + m_columns[k].high * vScale); };
        const auto bottom = [&](qsizetype k) {
            return std::floor(v0 + m_columns[k].low * vScale) + 1;
        };
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

    mutable std::vector<Column> m_columns;
    // Filled outlines of the last dense sampling, in pixels; valid until the next getLines().
    mutable QVector<QPointF> m_band;
    mutable QVector<int> m_runSizes;
};

QString timeFormatFor(double spanSeconds)
{
    if (spanSeconds <= 15 * 60)
        return QStringLiteral("HH:mm:ss");
    if (spanSeconds <= 36 * 3600)
        return QStringLiteral("HH:mm");
    return QStringLiteral("d MMM\nHH:mm");
}

} // namespace

// Value axis labels in the chart's unit: "512 MiB", "1.5 GiB", "1.2k", "45%". One scale per
// axis, picked from the largest visible magnitude, and a nice step in that scale, so that all
// labels share a unit and show just the decimals the step needs.
class TimeSeriesChart::Ticker final : public QCPAxisTicker
{
public:
    void setFormat(ValueFormat format) { m_format = format; }

protected:
    double getTickStep(const QCPRange &range) override
    {
        static const std::array<const char *, 6> binary{"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        static const std::array<const char *, 5> decimal{"", "k", "M", "G", "T"};
        const double magnitude = std::max(std::abs(range.lower), std::abs(range.upper));
        m_scale = 1;
        m_suffix.clear();
        if (m_format == ValueFormat::Bytes) {
            std::size_t unit = 0;
            while (unit + 1 < binary.size() && magnitude >= m_scale * 1024) {
                m_scale *= 1024;
                ++unit;
            }
            m_suffix = QLatin1Char(' ') + QLatin1String(binary[unit]);
        } else if (m_format == ValueFormat::Percent) {
            m_suffix = QStringLiteral("%");
        } else {
            std::size_t unit = 0;
            while (unit + 1 < decimal.size() && magnitude >= m_scale * 1000) {
                m_scale *= 1000;
                ++unit;
            }
            m_suffix = QLatin1String(decimal[unit]);
        }
        double step =
            QCPAxisTicker::getTickStep(QCPRange(range.lower / m_scale, range.upper / m_scale));
        if (m_format == ValueFormat::Bytes && m_scale == 1)
            step = std::max(step, 1.0); // no fractions of a byte
        m_decimals = 0;
        for (double scaled = step; m_decimals < 6; scaled *= 10, ++m_decimals) {
            if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled))
                break;
        }
        m_step = step * m_scale;
        return m_step;
    }

    QString getTickLabel(double tick, const QLocale &, QChar, int) override
    {
        if (std::abs(tick) < m_step * 1e-6)
            return QStringLiteral("0"); // neither "-0" nor "0 GiB"
        // '.' whatever the locale, as everywhere else in QueueScope.
        return QString::number(tick / m_scale, 'f', m_decimals) + m_suffix;
    }

private:
    ValueFormat m_format = ValueFormat::Number;
    double m_scale = 1;
    double m_step = 1;
    int m_decimals = 0;
    QString m_suffix;
};

struct TimeSeriesChart::Series
{
    Metric metric = Metric::UsedMemory;
    QCPGraph *graph = nullptr;
    bool limit = false;
};

TimeSeriesChart::TimeSeriesChart(const QString &title, QWidget *parent)
    : QWidget(parent)
    , m_title(title)
{
    m_plot = new QCustomPlot(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);

    // Speed over smoothness for the data: 1 px lines without antialiasing (text stays smooth).
    m_plot->setNotAntialiasedElements(QCP::aePlottables | QCP::aeGrid | QCP::aeSubGrid |
                                      QCP::aeAxes | QCP::aeZeroLine);
    // Nothing is drawn on the overlay: sharing the main buffer saves a full-size clear and blend.
    m_plot->layer(QStringLiteral("overlay"))->setMode(QCPLayer::lmLogical);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->setMouseTracking(true);
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);

    // Header row: the title on the left, the legend on the right, so no data hides behind it.
    m_titleElement = new QCPTextElement(m_plot, title, QFont(font().family(), -1, QFont::Bold));
    m_titleElement->setTextFlags(Qt::AlignLeft | Qt::AlignVCenter);
    m_titleElement->setMargins(QMargins(8, 4, 8, 0));
    auto *header = new QCPLayoutGrid;
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.01);
    m_plot->plotLayout()->addElement(0, 0, header);
    header->addElement(0, 0, m_titleElement);
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    header->addElement(0, 1, m_plot->legend);
    header->setColumnStretchFactor(0, 1);
    header->setColumnStretchFactor(1, 0.01);

    auto timeTicker = QSharedPointer<QCPAxisTickerDateTime>::create();
    timeTicker->setDateTimeSpec(Qt::LocalTime);
    m_plot->xAxis->setTicker(timeTicker);
    m_ticker = QSharedPointer<Ticker>::create();
    m_plot->yAxis->setTicker(m_ticker);
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->setSubTicks(false);
        axis->grid()->setSubGridVisible(false);
    }

    m_plot->legend->setVisible(true);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setWrap(4);
    m_plot->legend->setIconSize(18, 8);
    m_plot->legend->setMargins(QMargins(4, 4, 8, 0));

    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
            &TimeSeriesChart::onRangeChanged);
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *event) {
        if (event->buttons() == Qt::NoButton)
            showToolTip(event->pos());
    });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { setFollowLive(true); });
    connect(m_plot, &QWidget::customContextMenuRequested, this, &TimeSeriesChart::showContextMenu);

    applyPalette();
    applyXRange();
    rescaleValueAxis();
}

TimeSeriesChart::~TimeSeriesChart() = default;

void TimeSeriesChart::addSeries(Metric metric, const QString &label)
{
    addGraph(metric, label, false);
}

void TimeSeriesChart::addLimitSeries(Metric metric, const QString &label)
{
    addGraph(metric, label, true);
}

void TimeSeriesChart::addGraph(Metric metric, const QString &label, bool limit)
{
    auto *graph = new SampledGraph(m_plot->xAxis, m_plot->yAxis);
    graph->setName(label.isEmpty() ? monitor::metricLabel(metric) : label);
    graph->setAntialiased(false);
    graph->setAntialiasedFill(false);
    graph->setAdaptiveSampling(true);
    // A limit changes rarely and in steps: never draw a ramp between two settings.
    graph->setLineStyle(limit ? QCPGraph::lsStepLeft : QCPGraph::lsLine);
    m_series.push_back({metric, graph, limit});
    applyPalette();
    rebuild();
    fitLegend();
}

QList<Metric> TimeSeriesChart::metrics() const
{
    QList<Metric> out;
    for (const Series &series : m_series)
        out.append(series.metric);
    return out;
}

void TimeSeriesChart::setValueFormat(ValueFormat format)
{
    m_format = format;
    m_ticker->setFormat(format);
    if (!m_includeZeroSet)
        m_includeZero = format != ValueFormat::Percent;
    rescaleValueAxis();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimeSeriesChart::setIncludeZero(bool include)
{
    m_includeZero = include;
    m_includeZeroSet = true;
    rescaleValueAxis();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimeSeriesChart::setHistory(const monitor::MetricHistory *history)
{
    m_history = history;
    rebuild();
}

void TimeSeriesChart::refresh()
{
    if (!m_history)
        return;
    const int size = m_history->size();
    if (!m_haveRows) {
        if (size > 0)
            rebuild();
        return;
    }
    // Continue after the last row taken. If it is gone, the history was cleared, replaced or
    // wrapped past it (hidden for a long time): start again from what it holds now.
    const int last = m_history->lowerBound(m_lastTimestampMs) + m_rowsAtLastTimestamp - 1;
    if (last >= size || m_history->timestampAt(last) != m_lastTimestampMs) {
        rebuild();
        return;
    }
    if (last + 1 == size)
        return; // nothing new
    appendRows(last + 1);
    updateView();
}

void TimeSeriesChart::rebuild()
{
    for (const Series &series : m_series)
        series.graph->data()->clear();
    m_haveRows = false;
    m_rowsAtLastTimestamp = 0;
    if (m_history && !m_history->isEmpty()) {
        const qint64 newest = m_history->timestampAt(m_history->size() - 1);
        appendRows(m_history->lowerBound(newest - qint64(maxHistorySeconds) * 1000));
    }
    updateView();
}

void TimeSeriesChart::appendRows(int from)
{
    const int size = m_history->size();
    if (from >= size)
        return;
    QVector<QCPGraphData> points(size - from);
    for (const Series &series : m_series) {
        for (int i = from; i < size; ++i) {
            double value = m_history->value(series.metric, i);
            if (series.limit && value == 0)
                value = qQNaN(); // "no limit" is not a line at zero
            points[i - from] = QCPGraphData(double(m_history->timestampAt(i)) / 1000.0, value);
        }
        series.graph->data()->add(points, true);
    }
    const qint64 newest = m_history->timestampAt(size - 1);
    int rowsAtNewest = 0;
    for (int i = size - 1; i >= 0 && m_history->timestampAt(i) == newest; --i)
        ++rowsAtNewest;
    m_lastTimestampMs = newest;
    m_rowsAtLastTimestamp = rowsAtNewest;
    m_haveRows = true;
}

void TimeSeriesChart::updateView()
{
    if (m_haveRows) {
        // At most 24 h, and never more than the history still holds.
        const double cutoff = std::max(double(m_lastTimestampMs) / 1000.0 - maxHistorySeconds,
                                       double(m_history->timestampAt(0)) / 1000.0);
        for (const Series &series : m_series)
            series.graph->data()->removeBefore(cutoff);
    }
    if (m_followLive)
        applyXRange();
    rescaleValueAxis();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimeSeriesChart::setWindow(int seconds)
{
    m_windowSeconds = std::clamp(seconds, minWindowSeconds, maxHistorySeconds);
    if (m_followLive) {
        applyXRange();
    } else {
        // Keep the right edge the user chose; only the width changes.
        const double upper = m_plot->xAxis->range().upper;
        m_settingRange = true;
        m_plot->xAxis->setRange(upper - m_windowSeconds, upper);
        m_settingRange = false;
    }
    rescaleValueAxis();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimeSeriesChart::setFollowLive(bool follow)
{
    if (m_followLive == follow)
        return;
    m_followLive = follow;
    if (follow) {
        applyXRange();
        rescaleValueAxis();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
    emit followLiveChanged(follow);
}

void TimeSeriesChart::applyXRange()
{
    const double newest = m_haveRows ? double(m_lastTimestampMs) / 1000.0
                                     : double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    m_settingRange = true;
    m_plot->xAxis->setRange(newest, m_windowSeconds, Qt::AlignRight);
    m_settingRange = false;
    updateTimeFormat();
}

void TimeSeriesChart::onRangeChanged()
{
    if (m_settingRange)
        return;
    // Only wheel and drag change the range behind our back: the user took over.
    QCPRange range = m_plot->xAxis->range();
    if (range.size() > maxHistorySeconds || range.size() < minWindowSeconds) {
        const double width =
            std::clamp(range.size(), double(minWindowSeconds), double(maxHistorySeconds));
        m_settingRange = true;
        m_plot->xAxis->setRange(range.center(), width, Qt::AlignCenter);
        m_settingRange = false;
    }
    updateTimeFormat();
    rescaleValueAxis();
    setFollowLive(false);
}

void TimeSeriesChart::updateTimeFormat()
{
    auto ticker = m_plot->xAxis->ticker().staticCast<QCPAxisTickerDateTime>();
    const QString format = timeFormatFor(m_plot->xAxis->range().size());
    if (ticker->dateTimeFormat() != format)
        ticker->setDateTimeFormat(format);
}

void TimeSeriesChart::rescaleValueAxis()
{
    const QCPRange keys = m_plot->xAxis->range();
    double low = qInf(), high = -qInf(), limit = -qInf();
    for (const Series &series : m_series) {
        // A plain min/max over the visible points (QCPGraph::getValueRange checks each key
        // again): std::min/max keep the running value when the sample is NaN.
        const QCPGraphDataContainer &data = *series.graph->data();
        auto it = data.findBegin(keys.lower, false);
        const auto end = data.findEnd(keys.upper, false);
        double lo = qInf(), hi = -qInf();
        for (; it != end; ++it) {
            lo = std::min(lo, it->value);
            hi = std::max(hi, it->value);
        }
        if (series.limit) {
            limit = std::max(limit, hi);
            // No limit set (maxmemory 0): no line, and no legend entry promising one.
            const bool shown = hi > -qInf();
            if (shown != m_plot->legend->hasItemWithPlottable(series.graph)) {
                if (shown)
                    series.graph->addToLegend();
                else
                    series.graph->removeFromLegend();
                fitLegend();
            }
        } else {
            low = std::min(low, lo);
            high = std::max(high, hi);
        }
    }
    // A limit in the legend is always on the chart: how far the data is from it is the point
    // (memory at 5% of maxmemory is a flat line near the bottom, and that is the news).
    if (limit > -qInf()) {
        low = std::min(low, limit);
        high = std::max(high, limit);
    }
    if (low > high) {
        low = 0;
        high = 1;
    }
    if (m_includeZero) {
        low = std::min(low, 0.0);
        high = std::max(high, 0.0);
    }
    double lower = low, upper = high;
    if (upper - lower <= 0) {
        const double pad = high != 0 ? std::abs(high) * 0.1 : 1.0;
        lower -= pad;
        upper += pad;
    } else {
        // A little room above and below, none below zero.
        const double span = upper - lower;
        upper += span * 0.05;
        if (lower != 0)
            lower -= span * 0.05;
    }
    if (low >= 0 && lower < 0)
        lower = 0;
    m_plot->yAxis->setRange(lower, upper);
}

void TimeSeriesChart::applyPalette()
{
    if (!m_plot)
        return;
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QColor axisColour = pal.color(QPalette::WindowText);
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(140); // Mid at full strength competes with the data on light themes
    m_plot->setBackground(base);
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis, m_plot->xAxis2, m_plot->yAxis2}) {
        axis->setBasePen(QPen(axisColour, 0));
        axis->setTickPen(QPen(axisColour, 0));
        axis->setSubTickPen(QPen(axisColour, 0));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(grid, 0, Qt::SolidLine));
        axis->grid()->setZeroLinePen(Qt::NoPen);
    }
    m_titleElement->setTextColor(text);
    m_plot->legend->setBrush(Qt::NoBrush);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setTextColor(text);

    int colour = 0;
    for (const Series &series : m_series) {
        if (series.limit) {
            series.graph->setPen(QPen(text, 1, Qt::DashLine));
        } else {
            series.graph->setPen(QPen(QColor(seriesColours[colour % seriesColours.size()]), 1));
            ++colour;
        }
    }
}

bool TimeSeriesChart::exportPng(const QString &path) const
{
    return m_plot->savePng(path);
}

bool TimeSeriesChart::exportCsv(const QString &path) const
{
    if (!m_history || m_series.empty())
        return false;
    const QCPRange range = m_plot->xAxis->range();
    // toCsv takes [from, to): one millisecond past the right edge keeps the sample drawn there.
    const QByteArray csv = m_history->toCsv(metrics(), qint64(std::floor(range.lower * 1000)),
                                            qint64(std::floor(range.upper * 1000)) + 1);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(csv);
    return file.commit();
}

void TimeSeriesChart::showContextMenu(const QPoint &pos)
{
    QMenu menu(this);
    const QString stem = m_title.isEmpty() ? QStringLiteral("chart") : m_title.toLower();
    QAction *png = menu.addAction(tr("Export PNG…"));
    connect(png, &QAction::triggered, this, [this, stem] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export chart as PNG"),
                                         stem + QStringLiteral(".png"), tr("PNG images (*.png)"));
        if (!path.isEmpty() && !exportPng(path))
            emit failed(tr("Could not write the chart image to %1.").arg(path));
    });
    QAction *csv = menu.addAction(tr("Export CSV…"));
    csv->setEnabled(m_history != nullptr);
    connect(csv, &QAction::triggered, this, [this, stem] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export visible data as CSV"),
                                         stem + QStringLiteral(".csv"), tr("CSV files (*.csv)"));
        if (!path.isEmpty() && !exportCsv(path))
            emit failed(tr("Could not write the chart data to %1.").arg(path));
    });
    menu.addSeparator();
    QAction *follow = menu.addAction(tr("Follow live"));
    follow->setCheckable(true);
    follow->setChecked(m_followLive);
    connect(follow, &QAction::toggled, this, &TimeSeriesChart::setFollowLive);
    menu.exec(m_plot->mapToGlobal(pos));
}

void TimeSeriesChart::showToolTip(const QPoint &pos)
{
    const int size = m_history ? m_history->size() : 0;
    if (size == 0 || !m_plot->axisRect()->rect().contains(pos)) {
        QToolTip::hideText();
        return;
    }
    const qint64 ms = qint64(std::llround(m_plot->xAxis->pixelToCoord(pos.x()) * 1000));
    int index = std::min(m_history->lowerBound(ms), size - 1);
    if (index > 0 && ms - m_history->timestampAt(index - 1) < m_history->timestampAt(index) - ms)
        --index;
    const qint64 sampleMs = m_history->timestampAt(index);
    // Left of the oldest or right of the newest sample there is nothing to tell.
    if (std::abs(m_plot->xAxis->coordToPixel(double(sampleMs) / 1000.0) - pos.x()) > 24) {
        QToolTip::hideText();
        return;
    }
    QString text = QStringLiteral("<b>%1</b>")
                       .arg(QDateTime::fromMSecsSinceEpoch(sampleMs).toLocalTime().toString(
                           QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    for (const Series &series : m_series) {
        text += QStringLiteral("<br><span style=\"color:%1\">&#9632;</span> %2: %3")
                    .arg(series.graph->pen().color().name(), series.graph->name().toHtmlEscaped(),
                         formatValue(series.metric, m_history->value(series.metric, index)));
    }
    QToolTip::showText(m_plot->mapToGlobal(pos), text, m_plot);
}

QString TimeSeriesChart::formatValue(Metric metric, double value) const
{
    if (std::isnan(value))
        return tr("no data");
    const QString unit = monitor::metricUnit(metric);
    switch (m_format) {
    case ValueFormat::Bytes:
        if (std::abs(value) < 1024)
            return monitor::formatBytes(qint64(std::llround(value)));
        return QStringLiteral("%1 (%2 B)")
            .arg(monitor::formatBytes(qint64(std::llround(value))),
                 monitor::formatCount(qint64(std::llround(value))));
    case ValueFormat::Percent:
        return QString::number(value, 'f', 2) + QLatin1Char('%');
    case ValueFormat::Rate:
        return QString::number(value, 'f', 2) + QLatin1Char(' ') + unit;
    case ValueFormat::Number:
        break;
    }
    const QString number = value == std::round(value) && std::abs(value) < 1e15
                               ? monitor::formatCount(qint64(value))
                               : QString::number(value, 'f', 3);
    return unit.isEmpty() ? number : number + QLatin1Char(' ') + unit;
}

void TimeSeriesChart::fitLegend()
{
    // As many legend entries per row as fit beside the title: a narrow chart wraps its legend
    // onto more rows instead of cutting its entries ("Used memor").
    QCPLegend *legend = m_plot->legend;
    // itemCount() counts the grid's cells; a removed entry leaves an empty one (a null item).
    int items = 0;
    int widest = 0;
    for (int i = 0; i < legend->itemCount(); ++i) {
        if (const QCPAbstractLegendItem *item = legend->item(i)) {
            ++items;
            widest = std::max(widest, item->minimumOuterSizeHint().width());
        }
    }
    if (items == 0)
        return;
    const QMargins margins = legend->margins();
    const QCPLayoutElement *title = m_titleElement; // its size hint is public from the base
    const int available =
        m_plot->width() - title->minimumOuterSizeHint().width() - margins.left() - margins.right();
    const int perRow = std::clamp((available + legend->columnSpacing()) /
                                      std::max(1, widest + legend->columnSpacing()),
                                  1, items);
    if (perRow == legend->wrap() && items == m_fittedLegendItems)
        return;
    m_fittedLegendItems = items;
    legend->setWrap(perRow);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool TimeSeriesChart::legendFits() const
{
    const QRect plot = m_plot->rect();
    for (int i = 0; i < m_plot->legend->itemCount(); ++i) {
        const QCPAbstractLegendItem *item = m_plot->legend->item(i);
        if (!item)
            continue;
        const QRect rect = item->outerRect();
        if (!plot.contains(rect) || rect.width() < item->minimumOuterSizeHint().width())
            return false;
    }
    return true;
}

bool TimeSeriesChart::event(QEvent *event)
{
    const bool result = QWidget::event(event);
    switch (event->type()) {
    case QEvent::Resize:
        if (m_plot)
            fitLegend();
        break;
    case QEvent::PaletteChange:
    case QEvent::ApplicationPaletteChange:
    case QEvent::StyleChange:
        applyPalette();
        if (m_plot)
            m_plot->replot(QCustomPlot::rpQueuedReplot);
        break;
    default:
        break;
    }
    return result;
}

} // namespace qs::widgets
