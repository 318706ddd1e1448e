#include "timeserieschart.h"

#include "chartcolours.h"
#include "charthistoryfeed.h"
#include "chartplot.h"
#include "sampledgraph.h"

#include "monitor/metrichistory.h"
#include "monitor/units.h"

#include <QDateTime>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <cmath>

namespace qs::widgets {

using monitor::Metric;

namespace {

constexpr int minWindowSeconds = 10;

} // namespace

TimeSeriesChart::TimeSeriesChart(const QString &title, QWidget *parent)
    : QWidget(parent)
    , m_title(title)
{
    m_plot = new ChartPlot(title, QFont(font().family(), -1, QFont::Bold), this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);

    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
            &TimeSeriesChart::onRangeChanged);
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *event) {
        if (event->buttons() == Qt::NoButton)
            showToolTip(event->pos());
    });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { setFollowLive(true); });
    connect(m_plot, &QWidget::customContextMenuRequested, this, &TimeSeriesChart::showContextMenu);
    m_feed = new ChartHistoryFeed(
        m_plot, [this] { return memoryStartMs(); }, this);
    connect(m_feed, &ChartHistoryFeed::shown, this, &TimeSeriesChart::showStored);

    m_markers = std::make_unique<ChartMarkers>(m_plot);
    applyPalette();
    applyXRange();
    rescaleValueAxis();
}

TimeSeriesChart::~TimeSeriesChart() = default;

void TimeSeriesChart::setMarkers(const QList<ChartMarker> &markers)
{
    if (markers == m_markers->markers())
        return;
    m_markers->set(markers);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

const QList<ChartMarker> &TimeSeriesChart::markers() const
{
    return m_markers->markers();
}

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
    feedLines();
    applyPalette();
    rebuild();
    m_plot->fitLegend();
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
    m_plot->setValueFormat(format);
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
    m_feed->forget();
    updateView();
    m_feed->schedule(0); // read again what the range holds before memory
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
        double cutoff = std::max(double(m_lastTimestampMs) / 1000.0 - maxHistorySeconds,
                                 double(m_history->timestampAt(0)) / 1000.0);
        if (m_feed->active()) // what was read from disk stays until the next read
            cutoff = std::min(cutoff, double(m_feed->fromMs()) / 1000.0);
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
    m_windowSeconds = std::clamp(seconds, minWindowSeconds, maxWindowSeconds());
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
    m_feed->schedule(0);
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
        m_feed->schedule(0);
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
    m_plot->updateTimeFormat();
}

void TimeSeriesChart::onRangeChanged()
{
    if (m_settingRange)
        return;
    // Only wheel and drag change the range behind our back: the user took over.
    QCPRange range = m_plot->xAxis->range();
    if (range.size() > maxWindowSeconds() || range.size() < minWindowSeconds) {
        const double width =
            std::clamp(range.size(), double(minWindowSeconds), double(maxWindowSeconds()));
        m_settingRange = true;
        m_plot->xAxis->setRange(range.center(), width, Qt::AlignCenter);
        m_settingRange = false;
    }
    m_plot->updateTimeFormat();
    rescaleValueAxis();
    setFollowLive(false);
    m_feed->schedule(ChartHistoryFeed::settleMs);
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
                m_plot->fitLegend();
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
    m_plot->applyPalette(pal);
    const QColor text = pal.color(QPalette::Text);
    int colour = 0;
    for (const Series &series : m_series) {
        if (series.limit) {
            series.graph->setPen(QPen(text, 1, Qt::DashLine));
        } else {
            series.graph->setPen(QPen(seriesColour(colour), 1));
            ++colour;
        }
    }
}

QCustomPlot *TimeSeriesChart::plot() const
{
    return m_plot;
}

bool TimeSeriesChart::legendFits() const
{
    return m_plot->legendFits();
}

bool TimeSeriesChart::event(QEvent *event)
{
    const bool result = QWidget::event(event);
    switch (event->type()) {
    case QEvent::Resize:
        if (m_plot)
            m_plot->fitLegend();
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
