#include "monitor/historysamples.h"

#include <cmath>

namespace qs::monitor {

QString HistorySamples::serverSeries(Metric metric)
{
    return QStringLiteral("server.") + metricName(metric);
}

QString HistorySamples::queueSeries(const queues::QueueRef &queue, const QString &state)
{
    return QStringLiteral("queue.%1.%2").arg(queue.id(), state);
}

QList<history::Sample> HistorySamples::take(const PollSnapshot &snapshot)
{
    m_rates.append(snapshot);
    QList<history::Sample> samples;
    if (!snapshot.ok())
        return samples;
    for (int metric = 0; metric < metricCount; ++metric) {
        const double value = m_rates.latest(Metric(metric));
        if (std::isfinite(value))
            samples.append({serverSeries(Metric(metric)), value, true});
    }
    for (const queues::QueueCounts &queue : snapshot.queues) {
        for (const auto &[state, count] : queue.counts)
            samples.append({queueSeries(queue.queue, state), double(count), false});
    }
    for (const queues::ServerCounts &server : snapshot.queueServers) {
        const queues::QueueRef installation{server.framework, server.prefix, {}};
        for (const auto &[state, count] : server.counts)
            samples.append({QStringLiteral("framework.%1.%2").arg(installation.id(), state),
                            double(count), false});
    }
    return samples;
}

} // namespace qs::monitor
