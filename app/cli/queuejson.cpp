#include "queuejson.h"

#include "clioutput.h"

#include <QDateTime>
#include <QTimeZone>

#include "monitor/queuemonitor.h"
#include "monitor/throughputtracker.h"
#include "monitor/workerscanner.h"

namespace qs::cli {

namespace {

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes); // JSON strings are unicode; invalid bytes become U+FFFD
}

QJsonObject countsObject(const QList<QPair<QString, qint64>> &counts)
{
    QJsonObject object;
    for (const auto &entry : counts)
        object.insert(entry.first, double(entry.second));
    return object;
}

void addUnified(QJsonObject &totals, const QList<QPair<QString, qint64>> &counts,
                const QList<QPair<QString, queues::UnifiedState>> &states)
{
    for (const auto &entry : counts) {
        for (const auto &state : states) {
            if (state.first != entry.first || state.second == queues::UnifiedState::Other)
                continue;
            const QString name = queues::unifiedStateName(state.second);
            totals.insert(name, totals.value(name).toDouble() + double(entry.second));
        }
    }
}

} // namespace

QJsonObject throughputToJson(const monitor::QueueThroughput &throughput)
{
    auto number = [](const std::optional<double> &value) {
        return value ? QJsonValue(*value) : QJsonValue();
    };
    return {
        {QStringLiteral("completedPerMin"), number(throughput.completedPerMin)},
        {QStringLiteral("failedPerMin"), number(throughput.failedPerMin)},
        {QStringLiteral("source"), monitor::throughputSourceName(throughput.source)},
        {QStringLiteral("minute"), throughput.minuteStartMs
                                       ? QJsonValue(QDateTime::fromMSecsSinceEpoch(
                                                        *throughput.minuteStartMs, QTimeZone::utc())
                                                        .toString(Qt::ISODate))
                                       : QJsonValue()},
        {QStringLiteral("atLeast"), throughput.atLeast},
        {QStringLiteral("note"), throughput.note},
    };
}

QJsonObject queueToJson(const queues::QueueCounts &counts, const monitor::WorkerScanner *workers,
                        const monitor::ThroughputTracker *throughput)
{
    QJsonObject object{
        {QStringLiteral("framework"), queues::frameworkName(counts.queue.framework)},
        {QStringLiteral("prefix"), text(counts.queue.prefix)},
        {QStringLiteral("name"), text(counts.queue.name)},
        {QStringLiteral("paused"), counts.paused},
        {QStringLiteral("counts"), countsObject(counts.counts)},
    };
    insertEscapedIfLossy(object, QStringLiteral("nameEscaped"), counts.queue.name);
    if (workers) { // live workers as the last scan saw them; null until one did
        const std::optional<int> live = workers->liveWorkers(counts.queue);
        object.insert(QStringLiteral("workers"), live ? QJsonValue(*live) : QJsonValue());
    }
    if (throughput)
        object.insert(QStringLiteral("throughput"),
                      throughputToJson(throughput->queue(counts.queueId())));
    if (counts.oldestWaitingAgeMs)
        object.insert(QStringLiteral("oldestWaitingAgeMs"), double(*counts.oldestWaitingAgeMs));
    if (!counts.version.isEmpty())
        object.insert(QStringLiteral("version"), counts.version);
    if (!counts.note.isEmpty())
        object.insert(QStringLiteral("note"), counts.note);
    return object;
}

QJsonArray queuesToJson(const QList<queues::QueueCounts> &queues,
                        const monitor::WorkerScanner *workers,
                        const monitor::ThroughputTracker *throughput)
{
    QJsonArray array;
    for (const queues::QueueCounts &counts : queues)
        array.append(queueToJson(counts, workers, throughput));
    return array;
}

QJsonArray serverCountsToJson(const QList<queues::ServerCounts> &servers,
                              const monitor::ThroughputTracker *throughput)
{
    QJsonArray array;
    for (const queues::ServerCounts &server : servers) {
        QJsonObject object{
            {QStringLiteral("framework"), queues::frameworkName(server.framework)},
            {QStringLiteral("prefix"), text(server.prefix)},
            {QStringLiteral("paused"), server.paused},
            {QStringLiteral("counts"), countsObject(server.counts)},
        };
        if (server.workers)
            object.insert(QStringLiteral("workers"), double(*server.workers));
        if (!server.note.isEmpty())
            object.insert(QStringLiteral("note"), server.note);
        if (throughput && (server.completed.total || server.failed.total))
            object.insert(QStringLiteral("throughput"), throughputToJson(throughput->installation(
                                                            server.framework, server.prefix)));
        array.append(object);
    }
    return array;
}

QJsonObject unifiedQueueStats(const monitor::PollSnapshot &snapshot,
                              const monitor::QueueMonitor &monitor)
{
    QJsonObject totals;
    for (const QString &name :
         {QStringLiteral("waiting"), QStringLiteral("active"), QStringLiteral("delayed"),
          QStringLiteral("prioritized"), QStringLiteral("completed"), QStringLiteral("failed")})
        totals.insert(name, 0);
    int paused = 0;
    for (const queues::QueueCounts &counts : snapshot.queues) {
        if (const queues::QueueAdapter *adapter = monitor.adapterFor(counts.queue.framework))
            addUnified(totals, counts.counts, adapter->states());
        paused += counts.paused ? 1 : 0;
    }
    for (const queues::ServerCounts &server : snapshot.queueServers) {
        if (const queues::QueueAdapter *adapter = monitor.adapterFor(server.framework))
            addUnified(totals, server.counts, adapter->serverStates());
    }
    totals.insert(QStringLiteral("queues"), double(snapshot.queues.size()));
    totals.insert(QStringLiteral("pausedQueues"), paused);
    return totals;
}

QJsonObject costToJson(const monitor::PollCost &cost)
{
    return {{QStringLiteral("commands"), cost.commands},
            {QStringLiteral("roundTrips"), cost.roundTrips},
            {QStringLiteral("bytesSent"), double(cost.bytesSent)},
            {QStringLiteral("bytesReceived"), double(cost.bytesReceived)},
            {QStringLiteral("ms"), qRound(cost.milliseconds * 1000) / 1000.0}};
}

} // namespace qs::cli
