#pragma once

#include "history/seriesbuckets.h"
#include "queues/queuedetails.h"
#include "queues/queueref.h"

#include <QHash>
#include <QObject>

namespace qs::redis {
class RedisConnection;
}

namespace qs::monitor {

// Backfills the history with what the frameworks recorded of their own throughput before
// QueueScope watched: BullMQ's/Bull's per-minute metrics lists (a week at the most) into
// "queue.<id>.completedPerMin", "...failedPerMin" and "...throughputExact", Sidekiq's daily
// counters (90 days) into "framework.<installation>.completedPerDay" and "...failedPerDay".
// Reads are bounded (frameworks::pastThroughputReads: 2-4 commands per queue or installation),
// one pipeline per owner, one after the other, never more than once an hour per owner. The
// chunks fill only what was not recorded (history::Chunk::fillOnly): a backfill never replaces
// a recorded minute; only the current day's count, still growing, replaces its older reading.
class ThroughputBackfill final : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kRepeatMs = 3'600'000;

    explicit ThroughputBackfill(redis::RedisConnection *connection, QObject *parent = nullptr);

    // Reads every queue's, and every installation's of these queues, past throughput, except
    // those read within kRepeatMs.
    void run(const QList<queues::QueueRef> &queues);
    bool isRunning() const { return !m_todo.isEmpty(); }
    int commandsSent() const { return m_commands; } // since construction

    // The chunks of one owner's past (a queue, or an installation when owner.name is empty).
    static QList<history::Chunk> chunksOf(const queues::QueueRef &owner,
                                          const queues::PastThroughput &past);

Q_SIGNALS:
    void backfilled(const QList<qs::history::Chunk> &chunks);
    void finished();

private:
    void next();

    redis::RedisConnection *m_connection;
    QList<queues::QueueRef> m_todo;
    QHash<QString, qint64> m_readAtMs; // owner id -> when its past was read
    int m_commands = 0;
};

} // namespace qs::monitor
