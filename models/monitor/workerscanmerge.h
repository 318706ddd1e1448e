#pragma once

#include "queues/workerinfo.h"

#include <QHash>

#include <optional>

namespace qs::monitor {

// What a worker scan means beyond what the readers read: offline transitions across scans,
// per-queue live workers, and queues that wait with nobody to consume them. Pure (no I/O).

// How long a worker that vanished stays listed as offline after it was last seen.
inline constexpr qint64 kOfflineKeptMs = 10 * 60 * 1000;

// Merges a scan just read with the previous one: a worker reported offline keeps what was last
// known of it (host, queues, the jobs it ran); a worker of the previous scan that is gone from
// this one becomes offline, for kOfflineKeptMs after it was last seen (kept as it was when its
// framework could not be read this time). Returns the workers that went offline in this scan.
QList<queues::WorkerInfo> mergeWithPrevious(queues::WorkerScan &scan,
                                            const queues::WorkerScan *previous);

// Workers of `queue` that are not offline; nullopt when its framework's workers are unknown
// (refused, not read, or none of them says which queues it consumes), and instead of 0 for a
// framework whose workers come from events (Celery: a worker names a queue only after running
// one of its tasks). For one queue; LiveWorkers below answers for many.
std::optional<int> liveWorkers(const queues::WorkerScan &scan, const queues::QueueRef &queue);

// liveWorkers() for many queues at once: the scan's live workers indexed by framework, prefix
// and queue once (a poll asks for every queue; going over every worker for each one is
// queues x workers comparisons).
class LiveWorkers
{
public:
    explicit LiveWorkers(const queues::WorkerScan &scan);
    std::optional<int> of(const queues::QueueRef &queue) const;

private:
    struct Installation // the live workers of one framework + prefix
    {
        bool anyNamesQueues = false;
        QHash<QByteArray, int> byQueue;
    };
    QList<queues::Framework> m_unknown;
    QHash<QPair<int, QByteArray>, Installation> m_installations; // (framework, prefix)
};

// One queue's backlog as a poll counted it.
struct QueueBacklog
{
    queues::QueueRef queue;
    qint64 waiting = 0; // waiting + prioritized
    bool paused = false;
    std::optional<qint64> oldestWaitingAgeMs;
};

// A queue's consumers as QueueScope judges them.
struct QueueConsumers
{
    queues::QueueRef queue;
    std::optional<int> live; // nullopt: unknown
    qint64 waiting = 0;
    // Since when it has had waiting jobs and no live worker (epoch ms), while it has.
    std::optional<qint64> unconsumedSinceMs;
    bool noConsumer = false; // for longer than the threshold
};

// "No consumer": a queue (not paused) with waiting jobs and no live worker for longer than a
// threshold. The first time a queue is seen so, its oldest waiting job's age dates the start (a
// one-shot command judges from that alone); afterwards the transitions seen do.
class ConsumerTracker
{
public:
    static constexpr qint64 defaultThresholdMs = 60'000;

    void setThresholdMs(qint64 ms) { m_thresholdMs = ms; }
    qint64 thresholdMs() const { return m_thresholdMs; }
    // Returns the queues that entered the no-consumer state now.
    QList<queues::QueueRef> update(const QList<QueueBacklog> &backlogs,
                                   const queues::WorkerScan &scan, qint64 nowMs);
    const QList<QueueConsumers> &queues() const { return m_queues; }
    const QueueConsumers *find(const queues::QueueRef &queue) const;

private:
    qint64 m_thresholdMs = defaultThresholdMs;
    QList<QueueConsumers> m_queues;
};

} // namespace qs::monitor
