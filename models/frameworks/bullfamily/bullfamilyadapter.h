#pragma once

#include "queues/queueadapter.h"

namespace qs::queues {

// The slower reads of a BullMQ or Bull queue (QueueAdapter::detailCommands), shared by both
// adapters because both frameworks keep the same keys for them.
//
// Throughput: when a Worker (BullMQ) or Queue (Bull) enables metrics, `<q>:metrics:completed`
// and `:failed` hold a `count` that only grows and, with the newest point of their per-minute
// list, the exact count of the last whole minute (bullmetrics.h). Otherwise the completed and
// failed sets, scored by finishedOn (ms), say how many jobs finished in the last minute
// (ZCOUNT, O(log N)) as long as removeOnComplete/removeOnFail did not trim jobs of that minute:
// when every job of the set is within the minute, the number is a lower bound.
//
// Oldest waiting: workers take from the tail of `wait` (of `paused` while a BullMQ 5 or Bull
// queue is paused), so the tail is the oldest waiting job; its hash's `timestamp` (+ `delay`, for
// a delayed job that was promoted when due) is when it started waiting. The id and the hash
// are dependent reads: the hash is read in a second pipelined step (parseDetails returns it).
//
// Discovery is the same for both too: a SCAN for the one key every queue keeps (the marker,
// <prefix>:<queue>:<marker>), one candidate per queue name; each framework confirms its own.
class BullFamilyAdapter : public QueueAdapter
{
public:
    const QByteArray &prefix() const { return m_prefix; }

    QList<ScanPattern> scanPatterns() const override;
    QList<QueueRef> queuesFromKeys(const QList<QByteArray> &keys) const override;

    QS_QUEUE_ADAPTER_DETAIL_OVERRIDES
    int clockedDetailCommands() const override;
    void setDetailsClock(QList<redis::RedisCommand> &clocked, qint64 nowMs) const override;

    static constexpr qint64 kWindowMs = 60'000; // "the last minute" of the finished sets

protected:
    struct Marker
    {
        QByteArray suffix;  // "id" for <prefix>:<queue>:id
        QByteArray type;    // its Redis type, for SCAN ... TYPE
        bool colonsInNames; // whether the framework allows ':' in a queue name
    };
    BullFamilyAdapter(QByteArray prefix, Marker marker);

private:
    QByteArray m_prefix;
    Marker m_marker;
};

} // namespace qs::queues
