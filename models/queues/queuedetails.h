#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace qs::queues {

// Jobs of one outcome that finished within one whole minute (UTC, starting at startMs).
struct MinuteCount
{
    qint64 startMs = 0;
    qint64 count = 0;

    bool operator==(const MinuteCount &) const = default;
};

// How many jobs of one outcome (completed or failed) finished recently, where the framework
// makes it knowable without writing and within the poll budget. Counts of the finished sets are
// no throughput: BullMQ's removeOnComplete keeps its completed set at a cap, RQ expires its
// registries, so their deltas read 0 while jobs flow.
struct Throughput
{
    // A counter that only grows (BullMQ/Bull metrics `count`, Sidekiq stat:processed): the
    // rate is its change over time, measured across polls.
    std::optional<qint64> total;
    // Jobs that finished within the last minute (BullMQ/Bull: ZCOUNT of the finishedOn-scored
    // set from now - 60 s).
    std::optional<qint64> lastMinute;
    // lastMinute is a lower bound: every job in the set finished within the minute, so older
    // ones may have been trimmed from it meanwhile.
    bool atLeast = false;
    // The framework's own count of the last whole minute before the read (BullMQ/Bull metrics:
    // their per-minute data list and counters, aligned on prevTS): exact.
    std::optional<MinuteCount> lastWholeMinute;
    // `total` counts the jobs of the other outcome too (Sidekiq's stat:processed counts failed
    // jobs as well): completed = total - failed.total.
    bool includesFailed = false;
    // Why neither is knowable (RQ, Celery, per-queue Sidekiq), said in a tooltip instead of 0.
    QString unknownWhy;

    bool operator==(const Throughput &) const = default;
};

// What a framework recorded of its own throughput before QueueScope watched (BullMQ/Bull metrics
// lists per minute, Sidekiq's counters per UTC day): read to backfill the history.
struct PastThroughput
{
    static constexpr qint64 kDayMs = 86'400'000;
    qint64 stepMs = 60'000;       // 60 000: per minute; kDayMs: per UTC day
    QList<MinuteCount> completed; // whole steps, oldest first (startMs: the step's start)
    QList<MinuteCount> failed;
    // The last step of each list is the current one (today), still growing: later reads replace
    // it, while the whole steps only fill what the history has not recorded.
    bool lastIsCurrent = false;
};

// What a queue's slower reads found (QueueAdapter::detailCommands): recent throughput and when
// the oldest waiting job started waiting. Read on the first poll and then every few seconds, so
// each value says when it was read.
struct QueueDetails
{
    qint64 readAtMs = 0; // wall clock of the poll that read these
    Throughput completed;
    Throughput failed;
    // Epoch ms since which the oldest waiting job waits (BullMQ/Bull job `timestamp` + `delay`,
    // RQ `enqueued_at`, Celery `eta`). nullopt: nothing waited when read, or not knowable.
    std::optional<qint64> oldestWaitingSinceMs;
    bool nothingWaited = false; // the waiting list was empty when read
    QString oldestWaitingWhy;   // why the oldest waiting job's age is not knowable
    QString note;               // reads that failed (NOPERM ...), as QueueCounts::note

    bool operator==(const QueueDetails &) const = default;
};

} // namespace qs::queues

Q_DECLARE_METATYPE(qs::queues::QueueDetails)
