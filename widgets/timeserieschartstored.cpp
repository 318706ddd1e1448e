// The part of a TimeSeriesChart's range that memory does not hold, read from the history on disk
// (history::HistoryReader, off the GUI thread) and drawn before the rows in memory.
#include "timeserieschart.h"

#include "chartplot.h"

#include "history/historyreader.h"
#include "monitor/historysamples.h"
#include "monitor/metrichistory.h"

#include <QDateTime>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace qs::widgets {

void TimeSeriesChart::setHistoryReader(history::HistoryReader *reader)
{
    if (m_reader)
        disconnect(m_reader, nullptr, this, nullptr);
    m_reader = reader;
    if (m_reader)
        connect(m_reader, &history::HistoryReader::rangeRead, this, &TimeSeriesChart::showStored);
    scheduleStoredRead(0);
}

void TimeSeriesChart::setRange(qint64 fromMs, qint64 toMs)
{
    setFollowLive(false);
    const double width =
        std::clamp(double(toMs - fromMs) / 1000.0, 10.0, double(maxWindowSeconds()));
    m_settingRange = true;
    m_plot->xAxis->setRange(double(toMs) / 1000.0 - width, double(toMs) / 1000.0);
    m_settingRange = false;
    m_plot->updateTimeFormat();
    rescaleValueAxis();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    scheduleStoredRead(0);
}

int TimeSeriesChart::maxWindowSeconds() const
{
    return m_reader ? maxStoredSeconds : maxHistorySeconds;
}

qint64 TimeSeriesChart::memoryStartMs() const
{
    if (m_history && !m_history->isEmpty())
        return m_history->timestampAt(0);
    return QDateTime::currentMSecsSinceEpoch();
}

void TimeSeriesChart::scheduleStoredRead(int delayMs)
{
    if (!m_reader || m_series.empty())
        return;
    // A range that memory holds is the live view alone: nothing to read.
    if (qint64(std::floor(m_plot->xAxis->range().lower * 1000)) >= memoryStartMs() &&
        m_storedFromMs < 0)
        return;
    m_storedDelay->start(delayMs);
}

void TimeSeriesChart::readStored()
{
    const QCPRange range = m_plot->xAxis->range();
    const qint64 seam = memoryStartMs();
    const qint64 fromMs = qint64(std::floor(range.lower * 1000));
    if (fromMs >= seam)
        return; // zoomed into memory again: what was read stays until the range needs more
    const qint64 toMs = std::min(qint64(std::ceil(range.upper * 1000)), seam - 1);
    QStringList names;
    for (const Series &series : m_series)
        names.append(monitor::HistorySamples::serverSeries(series.metric));
    m_seamMs = seam;
    m_storedRequest = m_reader->request(quintptr(this), names, fromMs, toMs, storedPoints);
}

void TimeSeriesChart::showStored(const history::RangeReply &reply)
{
    if (reply.client != quintptr(this) || reply.id != m_storedRequest)
        return;
    const double seam = double(m_seamMs) / 1000.0;
    qint64 step = 0;
    for (size_t i = 0; i < m_series.size(); ++i) {
        const Series &series = m_series.at(i);
        QCPGraphDataContainer &data = *series.graph->data();
        // Everything before the rows in memory is replaced by what was read.
        data.removeBefore(seam);
        if (qsizetype(i) >= reply.series.size())
            continue;
        const history::SeriesRange &range = reply.series.at(i);
        step = std::max(step, range.stepMs);
        QVector<QCPGraphData> points;
        points.reserve(range.points.size() + 1);
        for (const auto &[ms, value] : range.points) {
            // As in memory: "no limit" (maxmemory 0) is no line at zero.
            const double shown = series.limit && value == 0 ? qQNaN() : value;
            if (double(ms) / 1000.0 < seam)
                points.append(QCPGraphData(double(ms) / 1000.0, shown));
        }
        // The rows in memory start after what was recorded: no line across the time between.
        if (!points.isEmpty() && !std::isnan(points.last().value) &&
            m_seamMs - qint64(points.last().key * 1000) >
                std::max<qint64>(3 * range.stepMs, 15'000))
            points.append(QCPGraphData(points.last().key + double(range.stepMs) / 1000.0, qQNaN()));
        data.add(points, true);
    }
    m_storedFromMs = reply.fromMs;
    m_storedStepMs = step;
    rescaleValueAxis();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT storedRangeShown(step, reply.message);
}

} // namespace qs::widgets
