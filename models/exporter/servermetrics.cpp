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

void renderInfo(const redis::InfoSnapshot &info, const QByteArray &server,
                QList<QByteArray> &bodies)
{
    const QList<InfoMetric> &metrics = infoMetrics();
    for (qsizetype i = 0; i < metrics.size(); ++i) {
        if (const std::optional<double> value =
                infoValue(info, QString::fromLatin1(metrics.at(i).field)))
            appendSample(bodies[indexOf(Family::FixedCount) + int(i)], metrics.at(i).family.name,
                         server, *value);
    }
    QByteArray labels = server;
    for (const char *field : {"role", "redis_version", "redis_mode", "maxmemory_policy"})
        labels += ',' + QByteArray(field) + "=\"" +
                  escapeLabelValue(info.text(QString::fromLatin1(field))) + '"';
    appendSample(bodies[indexOf(Family::InstanceInfo)], "redis_instance_info", labels, 1);
    for (const redis::KeyspaceEntry &db : info.keyspace) {
        const QByteArray dbLabels = server + ",db=\"db" + QByteArray::number(db.db) + '"';
        appendSample(bodies[indexOf(Family::DbKeys)], "redis_db_keys", dbLabels, double(db.keys));
        appendSample(bodies[indexOf(Family::DbKeysExpiring)], "redis_db_keys_expiring", dbLabels,
                     double(db.expires));
    }
}

void renderCost(const monitor::PollSnapshot &snapshot, const QByteArray &server,
                QList<QByteArray> &bodies)
{
    appendSample(bodies[indexOf(Family::PollDuration)], "queuescope_poll_duration_seconds", server,
                 snapshot.cost.milliseconds / 1000.0);
    appendSample(bodies[indexOf(Family::PollCommands)], "queuescope_poll_commands", server,
                 snapshot.cost.commands);
    appendSample(bodies[indexOf(Family::PollRoundTrips)], "queuescope_poll_round_trips", server,
                 snapshot.cost.roundTrips);
    appendSample(bodies[indexOf(Family::PollTimestamp)], "queuescope_poll_timestamp_seconds",
                 server, double(snapshot.timestampMs) / 1000.0);
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

ServerMetrics ServerMetrics::render(const ServerState &state, const ServerMetrics &previous)
{
    ServerMetrics metrics;
    metrics.m_bodies.resize(familyCount());
    QList<QByteArray> &bodies = metrics.m_bodies;
    for (int i = 0; i < familyCount(); ++i) // one allocation per family instead of its growth
        bodies[i].reserve(previous.body(i).size() + previous.body(i).size() / 16);
    const QByteArray server = "server=\"" + escapeLabelValue(state.server) + '"';
    metrics.m_server = server;
    const monitor::PollSnapshot &snapshot = state.snapshot;
    const bool answered = snapshot.timestampMs > 0 && snapshot.ok();
    appendSample(bodies[indexOf(Family::RedisUp)], "redis_up", server, answered ? 1 : 0);
    appendSample(bodies[indexOf(Family::QueuescopeUp)], "queuescope_up", server,
                 answered && readInFull(snapshot) ? 1 : 0);
    if (!answered)
        return metrics;
    renderCost(snapshot, server, bodies);
    renderInfo(snapshot.info, server, bodies);
    renderQueues(snapshot, state.liveWorkers, state.throughput, server, bodies,
                 previous.m_server == server ? previous.m_queueLabels : QList<QueueLabels>{},
                 metrics.m_queueLabels);
    for (QByteArray &body : bodies) { // held until the next poll: little room left over
        if (body.capacity() - body.size() > body.size() / 8)
            body.squeeze();
    }
    return metrics;
}

const QByteArray &ServerMetrics::body(int familyIndex) const
{
    static const QByteArray none;
    return familyIndex < m_bodies.size() ? m_bodies.at(familyIndex) : none;
}

qsizetype ServerMetrics::size() const
{
    qsizetype bytes = 0;
    for (const QByteArray &body : m_bodies)
        bytes += body.size();
    return bytes;
}

QByteArray renderExposition(const QList<const ServerMetrics *> &servers, ExpositionFormat format)
{
    const QList<QByteArray> pieces = expositionPieces(servers, format);
    qsizetype bytes = 0;
    for (const QByteArray &piece : pieces)
        bytes += piece.size();
    QByteArray out;
    out.reserve(bytes);
    for (const QByteArray &piece : pieces)
        out += piece;
    return out;
}

QList<QByteArray> expositionPieces(const QList<const ServerMetrics *> &servers,
                                   ExpositionFormat format)
{
    QList<QByteArray> pieces;
    pieces.reserve(familyCount() * (servers.size() + 1) + 1);
    for (int family = 0; family < familyCount(); ++family) {
        bool header = false;
        for (const ServerMetrics *server : servers) {
            const QByteArray &body = server->body(family);
            if (body.isEmpty())
                continue;
            if (!header)
                pieces.append(familyHeader(familyAt(family), format));
            header = true;
            pieces.append(body);
        }
    }
    if (QByteArray end = expositionEnd(format); !end.isEmpty())
        pieces.append(std::move(end));
    return pieces;
}

} // namespace qs::exporter
