#include "rqadapter.h"

#include "queues/countreplies.h"
#include "queues/timestamps.h"

#include <QCoreApplication>

#include <array>

namespace qs::queues {

namespace {

const QByteArray kQueueKeyPrefix("rq:queue:");

struct Registry
{
    const char *state; // RQ's own name for the state
    const char *key;   // rq:<key>:<queue>
    bool expiryScored; // score = expiry time: count only entries still alive
    UnifiedState unified;
};

// Display order of rq-dashboard and `rq info`: queued first, then the registries.
constexpr std::array<Registry, 6> kRegistries{{
    {"started", "wip", true, UnifiedState::Active},
    {"deferred", "deferred", false, UnifiedState::Other},
    {"scheduled", "scheduled", false, UnifiedState::Delayed},
    {"finished", "finished", true, UnifiedState::Completed},
    {"failed", "failed", true, UnifiedState::Failed},
    {"canceled", "canceled", false, UnifiedState::Other},
}};

} // namespace

QList<QueueRef> RqAdapter::queuesFromKeys(const QList<QByteArray> &keys) const
{
    Q_UNUSED(keys); // RQ has a registry; nothing is scanned
    return {};
}

QList<redis::RedisCommand> RqAdapter::registryCommands() const
{
    return {{"SMEMBERS", "rq:queues"}};
}

QList<QueueRef> RqAdapter::queuesFromRegistry(const QList<redis::RedisReply> &replies) const
{
    QList<QueueRef> queues;
    if (replies.isEmpty())
        return queues;
    for (const redis::RedisReply &member : replies.first().elements) {
        if (member.string.startsWith(kQueueKeyPrefix))
            queues.append(queue(member.string.mid(kQueueKeyPrefix.size())));
    }
    return queues;
}

QList<redis::RedisCommand> RqAdapter::countCommands(const QueueRef &queue, qint64 nowMs) const
{
    // RQ's timestamps are whole UTC seconds and its cleanup removes scores <= now, so the live
    // entries are those scored strictly above now ("(" = exclusive). A never-expiring entry is
    // scored +inf and is counted.
    const QByteArray liveFrom = '(' + QByteArray::number(nowMs / 1000);
    QList<redis::RedisCommand> commands{{"LLEN", kQueueKeyPrefix + queue.name}};
    for (const Registry &registry : kRegistries) {
        const QByteArray key = QByteArray("rq:") + registry.key + ':' + queue.name;
        if (registry.expiryScored)
            commands.append({"ZCOUNT", key, liveFrom, "+inf"});
        else
            commands.append({"ZCARD", key});
    }
    commands.append({"SCARD", "rq:workers:" + queue.name});
    return commands;
}

QueueCounts RqAdapter::parseCounts(const QueueRef &queue, redis::ReplyRun replies) const
{
    QueueCounts counts;
    counts.queue = queue;
    CountReplies read([this, &queue] { return countCommands(queue, 0); }, replies);
    if (const std::optional<qint64> queued = read.integer(0))
        counts.set(QStringLiteral("queued"), *queued);
    for (int i = 0; i < int(kRegistries.size()); ++i) {
        if (const std::optional<qint64> n = read.integer(i + 1))
            counts.set(states().at(i + 1).first, *n); // states(): "queued", then kRegistries
    }
    // Workers register per queue they listen on; a SIGKILLed worker stays listed until another
    // worker's maintenance cleans the worker registry.
    counts.workers = read.integer(int(kRegistries.size()) + 1);
    counts.note = read.note();
    return counts;
}

const QList<QPair<QString, UnifiedState>> &RqAdapter::states() const
{
    static const QList<QPair<QString, UnifiedState>> states = [] {
        QList<QPair<QString, UnifiedState>> all{{QStringLiteral("queued"), UnifiedState::Waiting}};
        for (const Registry &registry : kRegistries)
            all.append({QString::fromLatin1(registry.state), registry.unified});
        return all;
    }();
    return states;
}

QList<redis::RedisCommand> RqAdapter::detailCommands(const QueueRef &queue, qint64 nowMs) const
{
    Q_UNUSED(nowMs);
    return {{"LINDEX", kQueueKeyPrefix + queue.name, "0"}};
}

QList<redis::RedisCommand> RqAdapter::parseDetails(const QueueRef &queue, redis::ReplyRun replies,
                                                   const QueueCounts &counts,
                                                   QueueDetails &details) const
{
    Q_UNUSED(counts);
    const QString why = QCoreApplication::translate(
        "qs::queues::RqAdapter",
        "RQ keeps no count of finished jobs: its finished and failed registries drop each job "
        "after its result or failure TTL, so their sizes are no rate.");
    details.completed.unknownWhy = why;
    details.failed.unknownWhy = why;
    CountReplies read([this, &queue] { return detailCommands(queue, 0); }, replies);
    const redis::RedisReply *head = read.reply(0);
    details.note = read.note();
    if (!head)
        return {};
    if (head->isNil()) {
        details.nothingWaited = true;
        return {};
    }
    return {{"HGET", "rq:job:" + head->string, "enqueued_at"}};
}

void RqAdapter::parseDetailReads(const QueueRef &queue, redis::ReplyRun replies,
                                 QueueDetails &details) const
{
    Q_UNUSED(queue);
    const qint64 enqueued = replies.isEmpty() ? -1 : millisFromIso(replies.first().string);
    if (enqueued < 0)
        details.oldestWaitingWhy = QCoreApplication::translate(
            "qs::queues::RqAdapter", "The oldest queued job has no enqueued_at.");
    else
        details.oldestWaitingSinceMs = enqueued;
}

QList<redis::RedisCommand> RqAdapter::serverCountCommands(qint64 nowMs,
                                                          const ServerCounts &previous) const
{
    Q_UNUSED(nowMs);
    Q_UNUSED(previous);
    return {{"EXISTS", "rq:suspended"}, {"SCARD", "rq:workers"}};
}

ServerCounts RqAdapter::parseServerCounts(redis::ReplyRun replies) const
{
    ServerCounts counts;
    counts.framework = Framework::RQ;
    counts.prefix = kPrefix;
    CountReplies read(serverCountCommands(0, {}), replies);
    counts.paused = read.integer(0).value_or(0) > 0;
    counts.workers = read.integer(1);
    counts.note = read.note();
    return counts;
}

QList<redis::RedisCommand> RqAdapter::existenceCommands(const QueueRef &queue) const
{
    // rq:queues names every queue a job was ever enqueued to (until Queue.delete()); the keys
    // find a queue whose jobs were only scheduled, deferred or left in a registry.
    redis::RedisCommand exists{"EXISTS", kQueueKeyPrefix + queue.name};
    for (const Registry &registry : kRegistries)
        exists.append(QByteArray("rq:") + registry.key + ':' + queue.name);
    return {{"SISMEMBER", "rq:queues", kQueueKeyPrefix + queue.name}, exists};
}

bool RqAdapter::queueExists(const QueueRef &queue, const QList<redis::RedisReply> &replies) const
{
    Q_UNUSED(queue);
    return anyPositive(replies);
}

} // namespace qs::queues
