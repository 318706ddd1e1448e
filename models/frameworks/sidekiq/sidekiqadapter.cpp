#include "sidekiqadapter.h"

#include "core/checkedint64.h"

#include "queues/countreplies.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <array>
#include <cmath>

namespace qs::queues {

namespace {

// The fixed part of the server-wide commands; HGET <identity> busy follows, one per process.
struct ServerRead
{
    const char *state; // as Sidekiq::Stats and the Web UI name it
    const char *verb;
    const char *key;
};
constexpr std::array<ServerRead, 6> kServerReads{{
    {"processed", "GET", "stat:processed"},
    {"failed", "GET", "stat:failed"},
    {"scheduled", "ZCARD", "schedule"},
    {"retries", "ZCARD", "retry"},
    {"dead", "ZCARD", "dead"},
    {"processes", "SCARD", "processes"},
}};
constexpr int kMembersReply = int(kServerReads.size()); // SMEMBERS processes
constexpr int kBusyReplies = kMembersReply + 1;         // first HGET <identity> busy

} // namespace

SidekiqAdapter::SidekiqAdapter(QByteArray ns, Clock clock)
    : m_ns(std::move(ns))
    , m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentMSecsSinceEpoch(); }))
{
}

QByteArray SidekiqAdapter::key(const QByteArray &ns, const QByteArray &name)
{
    return ns.isEmpty() ? name : ns + ':' + name;
}

QByteArray SidekiqAdapter::key(const QByteArray &name) const
{
    return key(m_ns, name);
}

QList<QueueRef> SidekiqAdapter::queuesFromKeys(const QList<QByteArray> &keys) const
{
    Q_UNUSED(keys); // Sidekiq has a registry; nothing is scanned
    return {};
}

QList<redis::RedisCommand> SidekiqAdapter::registryCommands() const
{
    return {{"SMEMBERS", key("queues")}};
}

QList<QueueRef> SidekiqAdapter::queuesFromRegistry(const QList<redis::RedisReply> &replies) const
{
    QList<QueueRef> queues;
    if (replies.isEmpty())
        return queues;
    for (const redis::RedisReply &member : replies.first().elements)
        queues.append({Framework::Sidekiq, m_ns, member.string}); // members are bare names
    return queues;
}

QList<redis::RedisCommand> SidekiqAdapter::countCommands(const QueueRef &queue, qint64 nowMs) const
{
    Q_UNUSED(nowMs); // the age is computed when the reply arrives (parseCounts)
    const QByteArray list = key(queue.prefix, "queue:" + queue.name);
    return {{"LLEN", list}, {"LRANGE", list, "-1", "-1"}};
}

QueueCounts SidekiqAdapter::parseCounts(const QueueRef &queue, redis::ReplyRun replies) const
{
    QueueCounts counts;
    counts.queue = queue;
    CountReplies read([this, &queue] { return countCommands(queue, 0); }, replies);
    if (const std::optional<qint64> enqueued = read.integer(0))
        counts.set(QStringLiteral("enqueued"), *enqueued);

    const redis::RedisReply *oldest = read.reply(1);
    if (oldest && oldest->elements.isEmpty()) {
        counts.oldestWaitingAgeMs = 0; // nothing waits: Sidekiq reports a latency of 0
    } else if (oldest) {
        const QJsonObject job = QJsonDocument::fromJson(oldest->elements.first().string).object();
        const double enqueuedAt = job.value(QStringLiteral("enqueued_at")).toDouble(NAN);
        if (job.isEmpty()) {
            read.addText(QStringLiteral("oldest job in queue:%1 is not a JSON object")
                             .arg(queue.displayName()));
        } else if (std::isnan(enqueuedAt)) {
            read.addText(QStringLiteral("oldest job in queue:%1 has no enqueued_at")
                             .arg(queue.displayName()));
        } else {
            // Sidekiq 6 writes float seconds; Sidekiq 7 writes integer milliseconds.
            const double atMs = enqueuedAt > 1e11 ? enqueuedAt : enqueuedAt * 1000.0;
            // Clocks of the pushing host and this one may disagree: never a negative age.
            // A stored 1e300 or -inf cannot be cast (undefined behaviour): the age is unknown.
            const std::optional<qint64> at = core::checkedInt64(std::round(atMs));
            if (at && *at > m_clock() - (qint64(1) << 62))
                counts.oldestWaitingAgeMs = qMax<qint64>(0, m_clock() - *at);
            else
                read.addText(QStringLiteral("oldest job in queue:%1 has an impossible "
                                            "enqueued_at")
                                 .arg(queue.displayName()));
        }
    }
    counts.note = read.note();
    return counts;
}

const QList<QPair<QString, UnifiedState>> &SidekiqAdapter::states() const
{
    static const QList<QPair<QString, UnifiedState>> states{
        {QStringLiteral("enqueued"), UnifiedState::Waiting}};
    return states;
}

QList<redis::RedisCommand> SidekiqAdapter::parseDetails(const QueueRef &queue,
                                                        redis::ReplyRun replies,
                                                        const QueueCounts &counts,
                                                        QueueDetails &details) const
{
    Q_UNUSED(queue);
    Q_UNUSED(replies);
    Q_UNUSED(counts);
    const QString why = QCoreApplication::translate(
        "qs::queues::SidekiqAdapter",
        "Sidekiq counts processed and failed jobs for all its queues together (stat:processed, "
        "stat:failed); their rate is shown once, for every Sidekiq queue together.");
    details.completed.unknownWhy = why;
    details.failed.unknownWhy = why;
    return {};
}

QList<redis::RedisCommand> SidekiqAdapter::serverCountCommands(qint64 nowMs,
                                                               const ServerCounts &previous) const
{
    Q_UNUSED(nowMs);
    QList<redis::RedisCommand> commands;
    for (const ServerRead &read : kServerReads)
        commands.append({read.verb, key(read.key)});
    commands.append({"SMEMBERS", key("processes")});
    // Only identities that came from a Sidekiq server's SMEMBERS reply (previous.carried).
    for (const QByteArray &identity : previous.carried.mid(0, kMaxProcesses))
        commands.append({"HGET", key(identity), "busy"});
    return commands;
}

ServerCounts SidekiqAdapter::parseServerCounts(redis::ReplyRun replies) const
{
    ServerCounts counts;
    counts.framework = Framework::Sidekiq;
    counts.prefix = m_ns;
    // The HGETs are named by the previous tick's identities, which this parser does not know:
    // rebuild the command list with placeholders just to name commands in error notes.
    ServerCounts placeholder;
    for (qsizetype i = kBusyReplies; i < replies.size(); ++i)
        placeholder.carried.append(QByteArrayLiteral("<process>"));
    CountReplies read(serverCountCommands(0, placeholder), replies);
    for (int i = 0; i < int(kServerReads.size()); ++i) {
        if (const std::optional<qint64> n = read.integer(i))
            counts.set(QString::fromLatin1(kServerReads[i].state), *n);
    }
    counts.workers = counts.count(QStringLiteral("processes"));
    counts.completed.total = counts.count(QStringLiteral("processed"));
    counts.completed.includesFailed = true; // every job run, failed or not
    counts.failed.total = counts.count(QStringLiteral("failed"));

    const redis::RedisReply *members = read.reply(kMembersReply);
    if (members) {
        for (const redis::RedisReply &identity : members->elements)
            counts.carried.append(identity.string);
    }
    // busy: with no process there is nothing to sum; with processes but no hash read yet (the
    // first tick) the number is unknown, not 0.
    const qsizetype hashes = qMax<qsizetype>(0, replies.size() - kBusyReplies);
    if (members && (counts.carried.isEmpty() || hashes > 0)) {
        qint64 busy = 0;
        bool complete = true;
        for (qsizetype i = 0; i < hashes; ++i) {
            const std::optional<qint64> n = read.integer(int(kBusyReplies + i));
            complete = complete && n.has_value();
            busy += n.value_or(0); // nil: the process stopped; its hash expired
        }
        if (complete)
            counts.set(QStringLiteral("busy"), busy);
    }
    QList<QPair<QString, qint64>> ordered; // display order, whatever the read order
    for (const auto &state : serverStates()) {
        if (const std::optional<qint64> n = counts.count(state.first))
            ordered.append({state.first, *n});
    }
    counts.counts = ordered;
    if (counts.carried.size() > kMaxProcesses)
        read.addText(QStringLiteral("busy counts the first %1 processes only").arg(kMaxProcesses));
    counts.note = read.note();
    return counts;
}

QList<QPair<QString, UnifiedState>> SidekiqAdapter::serverStates() const
{
    // Sidekiq::Stats order. "failed" counts failures ever (a counter), not failed jobs now:
    // the jobs that failed and are still around are "retries" and "dead".
    return {{QStringLiteral("processed"), UnifiedState::Completed},
            {QStringLiteral("failed"), UnifiedState::Other},
            {QStringLiteral("busy"), UnifiedState::Active},
            {QStringLiteral("scheduled"), UnifiedState::Delayed},
            {QStringLiteral("retries"), UnifiedState::Failed},
            {QStringLiteral("dead"), UnifiedState::Failed},
            {QStringLiteral("processes"), UnifiedState::Other}};
}

QList<redis::RedisCommand> SidekiqAdapter::existenceCommands(const QueueRef &queue) const
{
    // Every push SADDs the queue to `queues`; Queue#clear removes it again with the list.
    return {{"SISMEMBER", key(queue.prefix, "queues"), queue.name},
            {"EXISTS", key(queue.prefix, "queue:" + queue.name)}};
}

bool SidekiqAdapter::queueExists(const QueueRef &queue,
                                 const QList<redis::RedisReply> &replies) const
{
    Q_UNUSED(queue);
    return anyPositive(replies);
}

} // namespace qs::queues
