#include "history/historyreader.h"

#include <QFileInfo>
#include <QMap>
#include <QMutexLocker>

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs::history {

QList<QPair<qint64, double>> breakAtGaps(const SeriesRange &range, qint64 untilMs)
{
    const QList<QPair<qint64, double>> &points = range.points;
    QList<QPair<qint64, double>> out;
    if (points.isEmpty())
        return out;
    // The usual distance between points: the median, so a few gaps do not widen it.
    QList<qint64> deltas;
    deltas.reserve(points.size());
    for (qsizetype i = 1; i < points.size(); ++i)
        deltas.append(points.at(i).first - points.at(i - 1).first);
    qint64 usual = range.stepMs;
    if (!deltas.isEmpty()) {
        std::nth_element(deltas.begin(), deltas.begin() + deltas.size() / 2, deltas.end());
        usual = std::max(usual, deltas.at(deltas.size() / 2));
    }
    const qint64 gap = std::max<qint64>(usual * 5 / 2, 1);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    out.reserve(points.size() + 16);
    for (qsizetype i = 0; i < points.size(); ++i) {
        out.append(points.at(i));
        const qint64 next = i + 1 < points.size() ? points.at(i + 1).first : untilMs;
        if (next >= 0 && next - points.at(i).first > gap)
            out.append({points.at(i).first + std::max<qint64>(range.stepMs, 1), nan});
    }
    return out;
}

SeriesRange sumOf(const QList<SeriesRange> &parts)
{
    if (parts.size() == 1)
        return parts.first();
    SeriesRange sum;
    QMap<qint64, double> steps;
    for (const SeriesRange &part : parts) {
        sum.stepMs = std::max(sum.stepMs, part.stepMs);
        for (const auto &[at, value] : part.points)
            steps[at] += value;
    }
    sum.points.reserve(steps.size());
    for (auto it = steps.cbegin(); it != steps.cend(); ++it)
        sum.points.append({it.key(), it.value()});
    return sum;
}

QList<QPair<qint64, double>> keepEnvelope(const QList<QPair<qint64, double>> &points, int maxPoints)
{
    const qsizetype runs = std::max(1, maxPoints / 2);
    if (points.size() <= maxPoints || points.size() <= 2 * runs)
        return points;
    QList<QPair<qint64, double>> out;
    out.reserve(2 * runs + 16);
    for (qsizetype run = 0; run < runs; ++run) {
        const qsizetype begin = points.size() * run / runs;
        const qsizetype end = points.size() * (run + 1) / runs;
        qsizetype low = -1, high = -1;
        for (qsizetype i = begin; i < end; ++i) {
            const double value = points.at(i).second;
            if (std::isnan(value))
                continue;
            if (low < 0 || value < points.at(low).second)
                low = i;
            if (high < 0 || value > points.at(high).second)
                high = i;
        }
        for (qsizetype i = begin; i < end; ++i) {
            if (i == low || i == high || std::isnan(points.at(i).second))
                out.append(points.at(i));
        }
    }
    return out;
}

class HistoryReader::Worker final : public QObject
{
public:
    Worker(QString path, std::shared_ptr<Newest> newest)
        : m_path(std::move(path))
        , m_newest(std::move(newest))
    {
    }

    // Opens the store where there is a database (on the reader's thread, as every use of it).
    bool open()
    {
        if (!m_store)
            m_store = std::make_unique<HistoryStore>(m_path);
        return m_store->status().readable || m_store->open(HistoryStore::Access::Read).readable;
    }

    // Runs on the reader's thread: the store (an SQLite connection) is made and used there only.
    RangeReply read(quintptr client, quint64 id, const QList<QStringList> &lines, qint64 fromMs,
                    qint64 toMs, int maxPoints, bool *superseded)
    {
        {
            QMutexLocker lock(&m_newest->mutex);
            *superseded = m_newest->ids.value(client) != id;
        }
        RangeReply reply{client, id, fromMs, toMs, {}, {}};
        if (*superseded)
            return reply;
        if (m_path.isEmpty()) {
            reply.message = QStringLiteral("history is not recorded for this server");
            return reply;
        }
        if (!open()) {
            // Nothing recorded yet is nothing to warn about: the charts show what memory holds.
            if (QFileInfo::exists(m_path))
                reply.message = m_store->status().message;
            m_store.reset(); // opened again next time: the recorder may have made it by then
            return reply;
        }
        for (const QStringList &line : lines) {
            QList<SeriesRange> parts;
            for (const QString &name : line)
                parts.append(m_store->read(name, fromMs, toMs, maxPoints));
            SeriesRange range = parts.isEmpty() ? SeriesRange{} : sumOf(parts);
            range.points = keepEnvelope(breakAtGaps(range), maxPoints);
            reply.lines.append(std::move(range));
        }
        return reply;
    }

private:
    QString m_path;
    std::shared_ptr<Newest> m_newest;
    std::unique_ptr<HistoryStore> m_store;
};

HistoryReader::HistoryReader(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_worker(new Worker(path, m_newest))
{
    qRegisterMetaType<RangeReply>();
    m_thread.setObjectName(QStringLiteral("queuescope-history-reader"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
    // Opened now, not at the first chart's request: the first range opens sooner.
    if (!path.isEmpty() && QFileInfo::exists(path))
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker] { worker->open(); }, Qt::QueuedConnection);
}

HistoryReader::~HistoryReader()
{
    {
        QMutexLocker lock(&m_newest->mutex);
        m_newest->ids.clear(); // whatever is still queued is dropped unread
    }
    m_thread.quit();
    m_thread.wait();
}

quint64 HistoryReader::request(quintptr client, const QList<QStringList> &lines, qint64 fromMs,
                               qint64 toMs, int maxPoints)
{
    const quint64 id = m_nextId++;
    {
        QMutexLocker lock(&m_newest->mutex);
        m_newest->ids.insert(client, id);
    }
    // The reply is posted to this object: Qt drops it if the reader is gone by then, and the
    // reader outlives every read (its destructor waits for the thread).
    QMetaObject::invokeMethod(
        m_worker,
        [reader = this, worker = m_worker, client, id, lines, fromMs, toMs, maxPoints] {
            bool superseded = false;
            RangeReply reply =
                worker->read(client, id, lines, fromMs, toMs, maxPoints, &superseded);
            if (superseded)
                return;
            QMetaObject::invokeMethod(
                reader, [reader, reply = std::move(reply)] { Q_EMIT reader->rangeRead(reply); },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return id;
}

} // namespace qs::history
