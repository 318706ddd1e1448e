#include "alerts/alertseries.h"

#include "monitor/historysamples.h"
#include "monitor/queuehistory.h"
#include "monitor/queuemonitor.h"

namespace qs::alerts {

namespace {

void addUnified(SeriesValues &values, const queues::QueueCounts &counts,
                const monitor::QueueMonitor *queues)
{
    if (!queues)
        return;
    const monitor::UnifiedCounts unified =
        monitor::unifiedCounts(counts, queues->adapterFor(counts.queue.framework));
    const std::pair<const char *, const std::optional<qint64> &> states[] = {
        {"waiting", unified.waiting},     {"active", unified.active},
        {"delayed", unified.delayed},     {"failed", unified.failed},
        {"completed", unified.completed},
    };
    for (const auto &[state, count] : states) {
        if (count)
            values.insert(
                monitor::HistorySamples::queueSeries(counts.queue, QString::fromLatin1(state)),
                double(*count));
    }
}

} // namespace

SeriesValues alertSeries(const monitor::PollSnapshot &snapshot,
                         const QList<history::Sample> &samples, const monitor::HealthReport &health,
                         const monitor::QueueMonitor *queues)
{
    SeriesValues values;
    values.reserve(samples.size() + snapshot.queues.size() * 4 + 8);
    for (const history::Sample &sample : samples)
        values.insert(sample.series, sample.value);
    if (health.memoryPercent)
        values.insert(QStringLiteral("server.memoryPercent"), *health.memoryPercent);
    if (health.rejectedConnections)
        values.insert(QStringLiteral("server.rejectedConnections"),
                      double(*health.rejectedConnections));
    const auto failed = [](const QString &status) { return status == QLatin1String("err"); };
    values.insert(QStringLiteral("server.saveFailed"),
                  failed(health.rdbLastStatus) ||
                          (health.aofEnabled && failed(health.aofLastWriteStatus))
                      ? 1.0
                      : 0.0);
    values.insert(QStringLiteral("server.pollMs"), snapshot.cost.milliseconds);
    for (const queues::QueueCounts &counts : snapshot.queues) {
        addUnified(values, counts, queues);
        if (counts.oldestWaitingAgeMs)
            values.insert(monitor::HistorySamples::queueSeries(
                              counts.queue, QStringLiteral("oldestWaitingSeconds")),
                          double(*counts.oldestWaitingAgeMs) / 1000.0);
        if (counts.workers)
            values.insert(
                monitor::HistorySamples::queueSeries(counts.queue, QStringLiteral("workers")),
                double(*counts.workers));
    }
    return values;
}

} // namespace qs::alerts
