#pragma once

#include "queuecounts.h"
#include "queueref.h"

#include "redis/redisreply.h"

#include <QList>

namespace qs::queues {

// How one framework's queues are found and counted. Stateless and read-only: an adapter only
// BUILDS commands and PARSES their replies; the poller and the discovery engine send them,
// batched into their own pipelines. Nothing here may write to Redis (counting must never
// mutate, unlike BullMQ's getJobCounts or RQ's .count).
class QueueAdapter
{
public:
    virtual ~QueueAdapter() = default;
    virtual Framework framework() const = 0;

    // ---- Discovery (at connect, then rarely; never KEYS) ----
    // Key patterns to SCAN for (MATCH, and TYPE on Redis >= 6). Empty when the framework has a
    // registry instead.
    struct ScanPattern
    {
        QByteArray match; // e.g. "bull:*:meta"
        QByteArray type;  // e.g. "hash"; empty = any
    };
    virtual QList<ScanPattern> scanPatterns() const = 0;
    // Queues named by keys that matched scanPatterns() (several keys may name one queue).
    virtual QList<QueueRef> queuesFromKeys(const QList<QByteArray> &keys) const = 0;
    // Registry reads done once per discovery cycle (e.g. SMEMBERS rq:queues), and the queues
    // they name. Default: none.
    virtual QList<redis::RedisCommand> registryCommands() const { return {}; }
    virtual QList<QueueRef> queuesFromRegistry(const QList<redis::RedisReply> &replies) const
    {
        Q_UNUSED(replies);
        return {};
    }
    // Some scanned keys only point at queues (Celery's `_kombu.binding.<exchange>` sets, whose
    // MEMBERS name the queues). Reads of such keys, sent in one pipeline right after the SCAN call
    // that found them; their queues come from queuesFromKeyReads(). Default: none.
    virtual QList<redis::RedisCommand> keyReadCommands(const QList<QByteArray> &keys) const
    {
        Q_UNUSED(keys);
        return {};
    }
    // replies: exactly one per command of keyReadCommands(keys), in order.
    virtual QList<QueueRef> queuesFromKeyReads(const QList<QByteArray> &keys,
                                               const QList<redis::RedisReply> &replies) const
    {
        Q_UNUSED(keys);
        Q_UNUSED(replies);
        return {};
    }

    // ---- Confirmation (optional; once per newly found queue, at discovery) ----
    // Key names alone cannot always tell frameworks apart: Bull and BullMQ both keep <q>:id on
    // the same default prefix, and a paused Bull queue also has a <q>:meta hash. An adapter whose
    // patterns are shared returns a few O(1) reads here; the discovery engine sends them for
    // every new candidate of a SCAN batch in one pipeline and reports only the candidates that
    // confirmQueue() accepts. Default: no reads, every candidate is accepted.
    virtual QList<redis::RedisCommand> confirmCommands(const QueueRef &candidate) const
    {
        Q_UNUSED(candidate);
        return {};
    }
    // replies: exactly one per command of confirmCommands(candidate), in order.
    virtual bool confirmQueue(const QueueRef &candidate,
                              const QList<redis::RedisReply> &replies) const
    {
        Q_UNUSED(candidate);
        Q_UNUSED(replies);
        return true;
    }

    // ---- Existence (a queue named by a user, e.g. on the command line; O(1) reads) ----
    // Reads that show whether `queue` exists on the server even while it holds no job (its
    // registry entry, id counter, meta hash, binding...), and the verdict on their replies
    // (exactly one per command, in order). false = no sign of it in these keys; a caller may
    // still run a discovery pass before calling it unknown.
    virtual QList<redis::RedisCommand> existenceCommands(const QueueRef &queue) const = 0;
    virtual bool queueExists(const QueueRef &queue,
                             const QList<redis::RedisReply> &replies) const = 0;

    // ---- Counting (every poll, inside the poller's single pipeline; O(1) commands only) ----
    // nowMs: wall clock, for registries scored by expiry time (RQ: ZCOUNT key now +inf).
    virtual QList<redis::RedisCommand> countCommands(const QueueRef &queue, qint64 nowMs) const = 0;
    // Whether countCommands() depends on nowMs. When not, the poller builds them once per queue
    // and reuses them on every tick.
    virtual bool countsUseClock() const { return false; }
    // replies: exactly one per command of countCommands(), in order. Error replies (NOPERM,
    // WRONGTYPE) degrade the counts with a note; they never throw.
    virtual QueueCounts parseCounts(const QueueRef &queue, redis::ReplyRun replies) const = 0;
    // The native state names of parseCounts(), in display order, and their unified meaning.
    virtual const QList<QPair<QString, UnifiedState>> &states() const = 0;

    // ---- Details (a slower cadence: a queue's first poll, then every few seconds) ----
    // Reads not worth doing on every tick: recent throughput (QueueDetails::completed/failed)
    // and the oldest waiting job. A few O(1) or O(log N) commands per queue, built with the
    // clock (e.g. ZCOUNT completed <now - 60 s> +inf). Default: none.
    virtual QList<redis::RedisCommand> detailCommands(const QueueRef &queue, qint64 nowMs) const
    {
        Q_UNUSED(queue);
        Q_UNUSED(nowMs);
        return {};
    }
    // The poller keeps each queue's detail commands (encoded, as they are sent) and builds them
    // once: how many of them carry the clock, which come last in detailCommands() (default:
    // none), and setting the clock of those again on a later tick. `clocked`: the last
    // clockedDetailCommands() of detailCommands(queue, some earlier time), left as
    // detailCommands(queue, nowMs) builds them.
    virtual int clockedDetailCommands() const { return 0; }
    virtual void setDetailsClock(QList<redis::RedisCommand> &clocked, qint64 nowMs) const
    {
        Q_UNUSED(clocked);
        Q_UNUSED(nowMs);
    }
    // replies: one per command of detailCommands(), in order; counts: the same poll's counts.
    // Fills `details` and returns the reads that depend on these replies (the oldest waiting
    // job's hash, named by an id read here), which the poller sends as a second pipelined step
    // of the same tick; empty when none are needed.
    virtual QList<redis::RedisCommand> parseDetails(const QueueRef &queue, redis::ReplyRun replies,
                                                    const QueueCounts &counts,
                                                    QueueDetails &details) const
    {
        Q_UNUSED(queue);
        Q_UNUSED(replies);
        Q_UNUSED(counts);
        Q_UNUSED(details);
        return {};
    }
    // replies: one per command parseDetails() returned, in order.
    virtual void parseDetailReads(const QueueRef &queue, redis::ReplyRun replies,
                                  QueueDetails &details) const
    {
        Q_UNUSED(queue);
        Q_UNUSED(replies);
        Q_UNUSED(details);
    }

    // ---- Server-wide counts (optional; once per tick per adapter, same single pipeline) ----
    // For states no single queue owns (see ServerCounts). `previous` is this adapter's last
    // parseServerCounts() result (default-constructed on the first tick). Default: none.
    virtual QList<redis::RedisCommand> serverCountCommands(qint64 nowMs,
                                                           const ServerCounts &previous) const
    {
        Q_UNUSED(nowMs);
        Q_UNUSED(previous);
        return {};
    }
    // replies: exactly one per command of serverCountCommands(), in order.
    virtual ServerCounts parseServerCounts(redis::ReplyRun replies) const
    {
        Q_UNUSED(replies);
        return {};
    }
    virtual QList<QPair<QString, UnifiedState>> serverStates() const { return {}; }
};

// Groups of overrides that go together, declared inside a framework's adapter by their name, so
// that a change to one of them is made here once.

// The per-queue reads every adapter defines (the pure virtual functions above): whether the
// queue exists, its counts and their states.
#define QS_QUEUE_ADAPTER_COUNT_OVERRIDES                                                           \
    QList<redis::RedisCommand> existenceCommands(const QueueRef &queue) const override;            \
    bool queueExists(const QueueRef &queue, const QList<redis::RedisReply> &replies)               \
        const override;                                                                            \
    QList<redis::RedisCommand> countCommands(const QueueRef &queue, qint64 nowMs) const override;  \
    QueueCounts parseCounts(const QueueRef &queue, redis::ReplyRun replies) const override;        \
    const QList<QPair<QString, UnifiedState>> &states() const override;

// The details of a framework whose detail replies name further reads (the oldest job's hash).
#define QS_QUEUE_ADAPTER_DETAIL_OVERRIDES                                                          \
    QList<redis::RedisCommand> detailCommands(const QueueRef &queue, qint64 nowMs) const override; \
    QList<redis::RedisCommand> parseDetails(const QueueRef &queue, redis::ReplyRun replies,        \
                                            const QueueCounts &counts, QueueDetails &details)      \
        const override;                                                                            \
    void parseDetailReads(const QueueRef &queue, redis::ReplyRun replies, QueueDetails &details)   \
        const override;

// The server-wide counts of a framework that keeps some (ServerCounts).
#define QS_QUEUE_ADAPTER_SERVER_COUNT_OVERRIDES                                                    \
    QList<redis::RedisCommand> serverCountCommands(qint64 nowMs, const ServerCounts &previous)     \
        const override;                                                                            \
    ServerCounts parseServerCounts(redis::ReplyRun replies) const override;

} // namespace qs::queues
