#include "servermetrics.h"

#include "metricfamilies.h"
#include "queuemetrics.h"

namespace qs::exporter {

namespace {

// INFO's words for a healthy state read as 1, its words for a failure as 0 (as redis_exporter).
std::optional<double> infoValue(const redis::InfoSnapshot &info, const QString &field)
{
    const auto found = info.fields.constFind(field);
    if (found == info.fields.cend())
        return std::nullopt;
    const QString &text = found.value();
    if (text == QLatin1String("ok") || text == QLatin1String("true"))
        return 1;
    if (text == QLatin1String("err") || text == QLatin1String("fail") ||
        text == QLatin1String("false"))
        return 0;
    bool ok = false;
    const double value = text.toDouble(&ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

void renderInfo(int familyIndex, const redis::InfoSnapshot &info, const QByteArray &server,
                QByteArray &out)
{
    if (familyIndex >= indexOf(Family::FixedCount)) {
        const InfoMetric &metric = infoMetrics().at(familyIndex - indexOf(Family::FixedCount));
        if (const std::optional<double> value = infoValue(info, QString::fromLatin1(metric.field)))
            appendSample(out, metric.family.name, server, *value);
        return;
    }
    if (familyIndex == indexOf(Family::InstanceInfo)) {
        QByteArray labels = server;
        for (const char *field : {"role", "redis_version", "redis_mode", "maxmemory_policy"})
            labels += ',' + QByteArray(field) + "=\"" +
                      escapeLabelValue(info.text(QString::fromLatin1(field))) + '"';
        appendSample(out, "redis_instance_info", labels, 1);
        return;
    }
    const bool expiring = familyIndex == indexOf(Family::DbKeysExpiring);
    for (const redis::KeyspaceEntry &db : info.keyspace)
        appendSample(out, expiring ? "redis_db_keys_expiring" : "redis_db_keys", server,
                     ",db=\"db" + QByteArray::number(db.db) + '"',
                     double(expiring ? db.expires : db.keys));
}

// queuescope_poll_*: what the poll cost.
void renderCost(int familyIndex, const monitor::PollSnapshot &snapshot, const QByteArray &server,
                QByteArray &out)
{
    switch (Family(familyIndex)) {
    case Family::PollDuration:
        appendSample(out, "queuescope_poll_duration_seconds", server,
                     snapshot.cost.milliseconds / 1000.0);
        break;
    case Family::PollCommands:
        appendSample(out, "queuescope_poll_commands", server, snapshot.cost.commands);
        break;
    case Family::PollRoundTrips:
        appendSample(out, "queuescope_poll_round_trips", server, snapshot.cost.roundTrips);
        break;
    case Family::PollTimestamp:
        appendSample(out, "queuescope_poll_timestamp_seconds", server,
                     double(snapshot.timestampMs) / 1000.0);
        break;
    default:
        break;
    }
}

bool readInFull(const monitor::PollSnapshot &snapshot)
{
    for (const queues::QueueCounts &counts : snapshot.queues) {
        if (!counts.note.isEmpty())
            return false;
    }
    for (const queues::ServerCounts &counts : snapshot.queueServers) {
        if (!counts.note.isEmpty())
            return false;
    }
    return true;
}

} // namespace

ServerMetrics::ServerMetrics(ServerState state)
    : m_state(std::move(state))
{
    const monitor::PollSnapshot &snapshot = m_state.snapshot;
    m_answered = snapshot.timestampMs > 0 && snapshot.ok();
    m_readInFull = m_answered && readInFull(snapshot);
    const QByteArray server = "server=\"" + escapeLabelValue(m_state.server) + '"';
    QueueLabelCache &labels = m_state.labels;
    const QList<QueueLabels> previous =
        labels.server == server ? std::move(labels.queues) : QList<QueueLabels>{};
    labels.server = server;
    labels.queues = m_answered ? labelQueues(snapshot, server, previous) : QList<QueueLabels>{};
}

void ServerMetrics::render(int familyIndex, QByteArray &out) const
{
    const QByteArray &server = m_state.labels.server;
    if (familyIndex == indexOf(Family::RedisUp))
        appendSample(out, "redis_up", server, m_answered ? 1 : 0);
    else if (familyIndex == indexOf(Family::QueuescopeUp))
        appendSample(out, "queuescope_up", server, m_readInFull ? 1 : 0);
    if (!m_answered || familyIndex <= indexOf(Family::QueuescopeUp))
        return;
    const monitor::PollSnapshot &snapshot = m_state.snapshot;
    if (familyIndex <= indexOf(Family::PollTimestamp))
        renderCost(familyIndex, snapshot, server, out);
    else if (isQueueFamily(Family(familyIndex)))
        renderQueueFamily(
            Family(familyIndex),
            {snapshot, m_state.labels.queues, m_state.liveWorkers, m_state.throughput, server},
            out);
    else
        renderInfo(familyIndex, snapshot.info, server, out);
}

} // namespace qs::exporter
