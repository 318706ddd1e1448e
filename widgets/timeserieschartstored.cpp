// A TimeSeriesChart's range beyond its memory history: the history on disk, through a
// ChartHistoryFeed.
#include "timeserieschart.h"

#include "charthistoryfeed.h"
#include "chartplot.h"

#include "monitor/historysamples.h"
#include "monitor/metrichistory.h"

#include <QDateTime>

#include <algorithm>

namespace qs::widgets {

void TimeSeriesChart::setHistoryReader(history::HistoryReader *reader)
{
    m_feed->setReader(reader);
    m_feed->schedule(0);
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
    m_feed->schedule(0);
}

qint64 TimeSeriesChart::storedStepMs() const
{
    return m_feed->stepMs();
}

qint64 TimeSeriesChart::storedUntilMs() const
{
    return m_feed->seamMs();
}

int TimeSeriesChart::maxWindowSeconds() const
{
    return m_feed->reader() ? maxStoredSeconds : maxHistorySeconds;
}

qint64 TimeSeriesChart::memoryStartMs() const
{
    if (m_history && !m_history->isEmpty())
        return m_history->timestampAt(0);
    return QDateTime::currentMSecsSinceEpoch();
}

void TimeSeriesChart::feedLines()
{
    QList<ChartHistoryFeed::Line> lines;
    for (const Series &series : m_series)
        lines.append(
            {{monitor::HistorySamples::serverSeries(series.metric)}, series.graph, series.limit});
    m_feed->setLines(lines);
}

void TimeSeriesChart::showStored(qint64 stepMs, const QString &message)
{
    rescaleValueAxis();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT storedRangeShown(stepMs, message);
}

} // namespace qs::widgets
