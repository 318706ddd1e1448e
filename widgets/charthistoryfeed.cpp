#include "charthistoryfeed.h"

#include "history/historyreader.h"

#include <qcustomplot.h>

#include <QTimer>

#include <algorithm>
#include <cmath>

namespace qs::widgets {

ChartHistoryFeed::ChartHistoryFeed(QCustomPlot *plot, std::function<qint64()> memoryStartMs,
                                   QObject *parent)
    : QObject(parent)
    , m_plot(plot)
    , m_memoryStartMs(std::move(memoryStartMs))
    , m_delay(new QTimer(this))
{
    m_delay->setSingleShot(true);
    connect(m_delay, &QTimer::timeout, this, &ChartHistoryFeed::read);
}

void ChartHistoryFeed::setReader(history::HistoryReader *reader)
{
    if (m_reader)
        disconnect(m_reader, nullptr, this, nullptr);
    m_reader = reader;
    if (m_reader)
        connect(m_reader, &history::HistoryReader::rangeRead, this, &ChartHistoryFeed::show);
}

void ChartHistoryFeed::setWantedRange(std::function<std::pair<double, double>()> wanted)
{
    m_wanted = std::move(wanted);
}

std::pair<double, double> ChartHistoryFeed::wanted() const
{
    if (m_wanted)
        return m_wanted();
    return {m_plot->xAxis->range().lower, m_plot->xAxis->range().upper};
}

void ChartHistoryFeed::setLines(const QList<Line> &lines)
{
    m_lines = lines;
    forget();
    m_request = 0; // a read under way is for other lines
}

void ChartHistoryFeed::forget()
{
    m_fromMs = -1;
    m_stepMs = 0;
    m_hasPoints = false;
}

void ChartHistoryFeed::schedule(int delayMs)
{
    if (!m_reader || m_lines.isEmpty())
        return;
    const qint64 fromMs = qint64(std::floor(wanted().first * 1000));
    if (fromMs >= m_memoryStartMs() && !active())
        return; // memory holds the range: the live view alone
    m_delay->start(delayMs);
}

void ChartHistoryFeed::read()
{
    const auto [lower, upper] = wanted();
    const qint64 seam = m_memoryStartMs();
    const qint64 fromMs = qint64(std::floor(lower * 1000));
    if (fromMs >= seam)
        return; // zoomed into memory again: what was read stays until the range needs more
    const qint64 toMs = std::min(qint64(std::ceil(upper * 1000)), seam - 1);
    QList<QStringList> lines;
    for (const Line &line : std::as_const(m_lines))
        lines.append(line.series);
    m_seamMs = seam;
    m_request = m_reader->request(quintptr(this), lines, fromMs, toMs, maxPoints);
}

void ChartHistoryFeed::show(const history::RangeReply &reply)
{
    if (reply.client != quintptr(this) || reply.id != m_request)
        return;
    const double seam = double(m_seamMs) / 1000.0;
    qint64 step = 0;
    bool hasPoints = false;
    for (qsizetype i = 0; i < m_lines.size(); ++i) {
        const Line &line = m_lines.at(i);
        QCPGraphDataContainer &data = *line.graph->data();
        data.removeBefore(seam); // everything before the rows in memory is replaced
        if (i >= reply.lines.size())
            continue;
        const history::SeriesRange &range = reply.lines.at(i);
        step = std::max(step, range.stepMs);
        QVector<QCPGraphData> points;
        points.reserve(range.points.size() + 1);
        for (const auto &[ms, value] : range.points) {
            if (double(ms) / 1000.0 < seam)
                points.append(QCPGraphData(double(ms) / 1000.0,
                                           line.zeroIsGap && value == 0 ? qQNaN() : value));
        }
        // The rows in memory start after what was recorded: no line across the time between.
        if (!points.isEmpty() && !std::isnan(points.last().value) &&
            m_seamMs - qint64(points.last().key * 1000) >
                std::max<qint64>(3 * range.stepMs, 15'000))
            points.append(QCPGraphData(points.last().key + double(range.stepMs) / 1000.0, qQNaN()));
        hasPoints = hasPoints || !points.isEmpty();
        data.add(points, true);
    }
    m_fromMs = reply.fromMs;
    m_stepMs = step;
    m_hasPoints = hasPoints;
    Q_EMIT shown(step, reply.message);
}

} // namespace qs::widgets
