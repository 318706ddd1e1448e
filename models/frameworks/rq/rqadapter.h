#pragma once

#include "queues/queueadapter.h"

namespace qs::queues {

// RQ (checked with RQ 1.13). Queues come from the registry set `rq:queues` (members
// `rq:queue:<name>`). Per queue: the list `rq:queue:<q>` and six sorted-set registries.
//
// The started, finished and failed registries are scored by EXPIRY time, and RQ's own `.count`
// first deletes expired entries (ZREMRANGEBYSCORE 0 now) before ZCARD. A monitor must not
// write, so those three are counted with `ZCOUNT key (now +inf`: the same number RQ would
// report, without the cleanup. The deferred, scheduled and canceled registries hold no expiry
// (RQ's cleanup of them is a no-op), so ZCARD is exact.
//
// Server-wide: `rq:suspended` (set by `rq suspend`) stops every worker of every queue, and
// `rq:workers` lists all workers; reported once in ServerCounts.
class RqAdapter final : public QueueAdapter
{
public:
    // RQ's keys always start "rq:" (no setting changes it): every RQ queue's prefix.
    static constexpr char kPrefix[] = "rq";

    Framework framework() const override { return Framework::RQ; }

    QList<ScanPattern> scanPatterns() const override { return {}; }
    QList<QueueRef> queuesFromKeys(const QList<QByteArray> &keys) const override;
    QList<redis::RedisCommand> registryCommands() const override;
    QList<QueueRef> queuesFromRegistry(const QList<redis::RedisReply> &replies) const override;

    QS_QUEUE_ADAPTER_COUNT_OVERRIDES
    bool countsUseClock() const override { return true; } // ZCOUNT <now> +inf

    // The oldest queued job: the head of rq:queue:<q> (RQ RPUSHes, workers BLPOP), then its
    // hash's enqueued_at. RQ keeps no count of finished jobs (the finished registry expires its
    // entries after each job's result_ttl), so there is no throughput to read.
    QS_QUEUE_ADAPTER_DETAIL_OVERRIDES

    QS_QUEUE_ADAPTER_SERVER_COUNT_OVERRIDES

    static QueueRef queue(const QByteArray &name) { return {Framework::RQ, kPrefix, name}; }
};

} // namespace qs::queues
