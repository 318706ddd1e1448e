#pragma once

#include "queues/workerevents.h"
#include "queues/workerinfo.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QString>

#include <deque>

namespace qs::monitor {

// Celery's workers as their events describe them (sans-I/O: events and receive times in,
// WorkerInfo out). Alive as celery.events.state judges it: until the last heartbeat's local
// receive time + 2 * freq (a heartbeat every 2 s: offline 4 s after the last one), offline at
// once on worker-offline. Busy while `active` > 0; with task events (-E) the tasks it runs.
// Bounded against a chatty or hostile publisher: kMaxWorkers workers, kMaxTasksPerWorker running
// tasks each, kMaxKnownQueues task ids remembered for their queue.
class CeleryWorkerTable
{
public:
    static constexpr int kExpireWindowPercent = 200;        // celery.events.state
    static constexpr qint64 kDefaultHeartbeatMs = 2'000;    // Celery's default interval
    static constexpr qint64 kForgetOfflineMs = 10 * 60'000; // offline workers kept this long
    static constexpr qsizetype kMaxWorkers = 10'000;
    static constexpr qsizetype kMaxTasksPerWorker = 1'000;
    static constexpr qsizetype kMaxKnownQueues = 10'000;
    static constexpr qint64 kMaxDriftMs = 16'000; // celery.events.state's HEARTBEAT_DRIFT_MAX

    explicit CeleryWorkerTable(QByteArray prefix = {});

    // One parsed message, received at receivedAtMs (epoch ms, this machine's clock).
    void apply(const queues::WorkerEvents &events, qint64 receivedAtMs);
    // A message over the subscriber's size limit (redis::PushMessage::droppedSize).
    void noteDropped(qint64 size);

    // The workers (alive and recently offline) as WorkerInfo, and what the operator should know.
    // listeningSinceMs: since when the subscription has been confirmed (0: not subscribed),
    // for the note that nothing was heard.
    void addTo(queues::WorkerScan &scan, qint64 nowMs, qint64 listeningSinceMs) const;

    qsizetype size() const { return m_workers.size(); }
    qint64 lastHeardMs() const { return m_lastHeardMs; }
    // The window after which silence means "no heartbeat": one interval of the slowest worker
    // known (Celery's default when none is) plus half a second.
    qint64 silenceWindowMs() const;

private:
    struct Worker
    {
        queues::WorkerEvent last; // the latest worker event
        qint64 heardAtMs = 0;     // when it arrived (local clock)
        std::optional<qint64> startedAtMs;
        bool offline = false; // worker-offline received since the last heartbeat
        QMap<QString, queues::WorkerJob> running; // task id -> job (task events)
        QList<QByteArray> queues;
    };

    void applyWorker(const queues::WorkerEvent &event, qint64 receivedAtMs);
    void applyTask(const queues::TaskEvent &event, qint64 receivedAtMs);
    Worker *workerFor(const QString &hostname);
    void rememberQueue(const QString &uuid, const QByteArray &queue);
    void forgetOld(qint64 nowMs);
    queues::WorkerInfo info(const Worker &worker, qint64 nowMs) const;

    QByteArray m_prefix;
    QHash<QString, Worker> m_workers;
    QHash<QString, QByteArray> m_queueOfTask;
    std::deque<QString> m_queueOrder; // oldest first, for the bound
    qint64 m_lastHeardMs = 0;
    qint64 m_ignored = 0;
    QString m_firstIgnored;
    qint64 m_dropped = 0;
    qint64 m_largestDropped = 0;
    qint64 m_skippedWorkers = 0;
    QString m_driftHost;
    qint64 m_driftMs = 0;
};

} // namespace qs::monitor
