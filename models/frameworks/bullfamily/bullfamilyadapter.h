#pragma once

#include "queues/queueadapter.h"

namespace qs::queues {

// The slower reads of a BullMQ or Bull queue (QueueAdapter::detailCommands), shared by both
// adapters because both frameworks keep the same keys for them.
//
// Throughput: when a Worker (BullMQ) or Queue (Bull) enables metrics, `<q>:metrics:completed`
// and `:failed` hold a `count` that only grows: an exact counter. Otherwise the completed and
// failed sets, scored by finishedOn (ms), say how many jobs finished in the last minute
// (ZCOUNT, O(log N)) as long as removeOnComplete/removeOnFail did not trim jobs of that minute:
// when every job of the set is within the minute, the number is a lower bound.
//
// Oldest waiting: workers take from the tail of `wait` (of `paused` while a BullMQ 5 or Bull
// queue is paused), so the tail is the oldest waiting job; its hash's `timestamp` (+ `delay`, for
// a delayed job that was promoted when due) is when it started waiting. The id and the hash
// are dependent reads: the hash is read in a second pipelined step (parseDetails returns it).
class BullFamilyAdapter : public QueueAdapter
{
public:
    QList<redis::RedisCommand> detailCommands(const QueueRef &queue, qint64 nowMs) const override;
    QList<redis::RedisCommand> parseDetails(const QueueRef &queue,
                                            const QList<redis::RedisReply> &replies,
                                            const QueueCounts &counts,
                                            QueueDetails &details) const override;
    void parseDetailReads(const QueueRef &queue, const QList<redis::RedisReply> &replies,
                          QueueDetails &details) const override;

    static constexpr qint64 kWindowMs = 60'000; // "the last minute" of the finished sets
};

} // namespace qs::queues
