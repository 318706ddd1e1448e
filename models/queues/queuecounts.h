#pragma once

#include "queuedetails.h"
#include "queueref.h"

#include <QList>
#include <QPair>
#include <QString>

#include <memory>
#include <optional>

namespace qs::queues {

// The one vocabulary the UI speaks; each framework maps its native states onto it.
enum class UnifiedState { Waiting, Active, Delayed, Prioritized, Completed, Failed, Other };
// "waiting", "active", "delayed", "prioritized", "completed", "failed", "other": stable words for
// JSON, metrics and scripts.
QString unifiedStateName(UnifiedState state);

// The count of a native state in a list of (state, count) pairs, nullopt when it has none; and
// setting one: replaced where the state is listed, appended where not (keeping the order).
std::optional<qint64> countOf(const QList<QPair<QString, qint64>> &counts, const QString &state);
void setCount(QList<QPair<QString, qint64>> &counts, const QString &state, qint64 value);

// One queue's counts from one poll, under the framework's NATIVE state names, in the order the
// framework's own dashboard shows them (e.g. BullMQ: waiting, active, delayed, prioritized,
// completed, failed, waiting-children).
struct QueueCounts
{
    QueueRef queue;
    // queue.id() as the poller computed it once for the queue (shared by every poll, so that the
    // layers keyed on it need not build it again); empty where counts were read otherwise.
    QString id;
    QList<QPair<QString, qint64>> counts; // native state -> count
    bool paused = false;
    std::optional<qint64> workers; // consumers seen, where the framework makes it cheap
    // How long the oldest waiting job has waited: read with the counts where one command tells
    // (Sidekiq enqueued_at), else from the last details; 0 when nothing waits.
    std::optional<qint64> oldestWaitingAgeMs;
    // The slower reads (throughput, oldest waiting) as of details->readAtMs, carried on every
    // poll between two reads (one read shared by them all, not copied into each); null before
    // the first read or for frameworks without any.
    std::shared_ptr<const QueueDetails> details;
    QString version; // e.g. BullMQ meta.version "bullmq:6.7.0"
    QString note;    // e.g. "NOPERM on HLEN unacked" (degraded)

    std::optional<qint64> count(const QString &state) const { return countOf(counts, state); }
    void set(const QString &state, qint64 value) { setCount(counts, state, value); }
    QString queueId() const { return id.isEmpty() ? queue.id() : id; }
};

// Counts that belong to one framework installation on the server (framework + prefix), not to
// any single queue: Celery's `unacked` hash, Sidekiq's retry/schedule/dead sets and processes, RQ's
// suspension flag. Counted once per tick and shown once, never copied onto every queue (which
// would make sums over queues wrong).
struct ServerCounts
{
    Framework framework = Framework::BullMQ;
    QByteArray prefix;
    QList<QPair<QString, qint64>> counts; // native state -> count, display order
    bool paused = false;                  // e.g. RQ `rq:suspended`: every worker stops
    std::optional<qint64> workers;
    QString note;
    // Counters of finished jobs that belong to the installation, not to a queue (Sidekiq's
    // stat:processed and stat:failed): their change over time is the throughput of all queues.
    Throughput completed;
    Throughput failed;
    // Names read in this tick's replies that the next tick's commands need (Sidekiq's process
    // identities, whose hashes hold `busy`): the poller hands the previous ServerCounts back to
    // serverCountCommands(), so a dependent read costs no second round trip.
    QList<QByteArray> carried;

    std::optional<qint64> count(const QString &state) const { return countOf(counts, state); }
    void set(const QString &state, qint64 value) { setCount(counts, state, value); }
};

} // namespace qs::queues

Q_DECLARE_METATYPE(qs::queues::QueueCounts)
Q_DECLARE_METATYPE(qs::queues::ServerCounts)
