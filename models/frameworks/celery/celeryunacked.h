#pragma once

#include "queues/workerreader.h"

namespace qs::queues {

// Celery's stuck jobs (issue 14). kombu keeps every delivery that a worker has not acknowledged
// in the hash `unacked` (delivery tag -> JSON [message, exchange, routing_key]) and the zset
// `unacked_index` (tag -> delivery time, epoch seconds), without recording which worker holds
// it. So whether a delivery is stuck depends on what the event stream says of the workers
// (Context::liveFromEvents):
//  - none alive (heartbeats were heard, every worker is offline now): every delivery is stuck,
//    "unacked: no live worker". The next worker to start restores it once it is older than
//    visibility_timeout (1 h by default), or QueueScope's Restore puts it back now.
//  - some alive: a live worker's delivery (prefetched, an ETA/countdown task) cannot be told from
//    a dead one's, so only those older than the visibility timeout are listed, "unacked beyond
//    visibility_timeout": kombu gives up on them too (a live worker's restore_visible puts them
//    back, and one that still runs or waits for its ETA then runs twice).
//  - unknown (no heartbeat heard: workers may run with --without-heartbeat): a note with how
//    many there are and since when, no guess.
// The visibility timeout is a worker setting that Redis does not hold: kombu's default is
// assumed (kVisibilityTimeoutMs), and the outcome says so.
//
// StuckJob::id is the delivery tag, which Celery's Restore (JobAction::Restore, celery-restore)
// takes as its job id; the task id is in the outcome.
//
// Step 1: ZCARD unacked_index and its kMaxListed oldest entries (ZRANGE 0 N-1 WITHSCORES).
// Step 2: one HMGET unacked of the tags to list (task id, queue). No round trip per delivery.
class CeleryUnackedReader final : public WorkerReader
{
public:
    // The oldest 200: their HMGET stays within the 64 MB reply limit up to ~320 KB a message.
    static constexpr int kMaxListed = 200;
    static constexpr qint64 kVisibilityTimeoutMs = 3'600'000; // kombu's default

    explicit CeleryUnackedReader(Context context);

    QList<redis::RedisCommand> nextStep(const QList<redis::RedisReply> &replies) override;
    void finish(WorkerScan &scan) override;

private:
    struct Delivery
    {
        QByteArray tag;
        qint64 deliveredAtMs = 0;
    };
    QList<redis::RedisCommand> readIndex(const QList<redis::RedisReply> &replies);
    void readDeliveries(const QList<redis::RedisReply> &replies);
    bool listed(const Delivery &delivery) const;
    QString unknownLivenessNote() const;

    Context m_context;
    int m_step = 0;
    QString m_refused;
    qint64 m_total = 0;
    QList<Delivery> m_oldest; // the index's oldest entries, oldest first
    QList<Delivery> m_toList; // those listed as stuck
    QList<StuckJob> m_stuck;
};

} // namespace qs::queues
