#pragma once

#include "queues/queueadapter.h"

namespace qs::queues {

// Celery with the Redis broker (kombu's Redis transport; checked with Celery 5.2 / kombu 5.2).
//
// Queues: kombu deletes a queue's list when it runs empty, so lists cannot be discovered. The
// durable record is the binding set `_kombu.binding.<exchange>`, whose members are
// `routing_key SEP pattern SEP queue` (SEP = "\x06\x16"). Discovery SCANs for those sets and
// reads their members; the remote-control (`*.pidbox`), event (`celeryev`) and reply bindings
// are Celery's own plumbing, not task queues.
//
// Counts per queue: pending = the base list plus its priority sub-lists `q SEP 1..9` (what
// kombu's own queue size sums). Server-wide (see ServerCounts): `unacked` holds what workers
// have received but not acknowledged, for ALL queues together, and the pidbox binding names the
// workers; neither can be split per queue in O(1), so they are reported once.
//
// prefix: kombu's `global_keyprefix` transport option ("" by default), prepended to every key.
class CeleryAdapter final : public QueueAdapter
{
public:
    explicit CeleryAdapter(QByteArray globalKeyPrefix = {});

    Framework framework() const override { return Framework::Celery; }

    QList<ScanPattern> scanPatterns() const override;
    QList<QueueRef> queuesFromKeys(const QList<QByteArray> &keys) const override;
    QList<redis::RedisCommand> keyReadCommands(const QList<QByteArray> &keys) const override;
    QList<QueueRef> queuesFromKeyReads(const QList<QByteArray> &keys,
                                       const QList<redis::RedisReply> &replies) const override;

    QList<redis::RedisCommand> existenceCommands(const QueueRef &queue) const override;
    bool queueExists(const QueueRef &queue, const QList<redis::RedisReply> &replies) const override;
    QList<redis::RedisCommand> countCommands(const QueueRef &queue, qint64 nowMs) const override;
    QueueCounts parseCounts(const QueueRef &queue, redis::ReplyRun replies) const override;
    const QList<QPair<QString, UnifiedState>> &states() const override;

    // The next message to run (the right end of the base list: producers LPUSH, workers BRPOP):
    // its `eta`, when it has one, says since when it is due. Celery messages carry no time of
    // publishing, and Celery keeps no count of finished tasks in Redis.
    QList<redis::RedisCommand> detailCommands(const QueueRef &queue, qint64 nowMs) const override;
    QList<redis::RedisCommand> parseDetails(const QueueRef &queue, redis::ReplyRun replies,
                                            const QueueCounts &counts,
                                            QueueDetails &details) const override;

    QList<redis::RedisCommand> serverCountCommands(qint64 nowMs,
                                                   const ServerCounts &previous) const override;
    ServerCounts parseServerCounts(redis::ReplyRun replies) const override;
    QList<QPair<QString, UnifiedState>> serverStates() const override;

    // The queue named by one binding member, or nothing for Celery's internal queues.
    static std::optional<QByteArray> queueFromBinding(const QByteArray &member);

    static constexpr int kPrioritySubLists = 9; // kombu clamps priorities to steps 0..9

private:
    QList<QByteArray> bindingKeys(const QList<QByteArray> &keys) const;

    QByteArray m_prefix;
};

} // namespace qs::queues
