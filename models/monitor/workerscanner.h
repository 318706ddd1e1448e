#pragma once

#include "workerscanmerge.h"

#include "queues/queuecounts.h"
#include "queues/workerinfo.h"
#include "queues/workerreader.h"
#include "redis/redisconnection.h" // QPointer needs the complete type

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace qs::monitor {

class QueueMonitor;

// Reads every framework's workers on its own cadence (issue 14): the readers of all the
// server's framework installations (FrameworkEntry::makeWorkerReader) run their steps together,
// ONE pipeline per step, identical commands sent once (CLIENT LIST for BullMQ and Bull), at most
// kMaxRoundTrips round trips however many workers there are. Poll, complete, re-arm like the
// ServerInspector: while active it scans every intervalMs after the previous scan completed.
//
// Each scan is merged with the previous one (workerscanmerge.h): vanished workers turn offline
// and stay listed for a while, Sidekiq work of a vanished process becomes "lost"; per queue it
// counts the live workers and judges "no consumer" from the backlog the poller counted
// (setBacklog). Frameworks whose workers come from events instead of keys (Celery) contribute
// through addEventSource().
class WorkerScanner final : public QObject
{
    Q_OBJECT
public:
    static constexpr int defaultIntervalMs = 5'000;
    static constexpr int kMaxRoundTrips = 3;
    using EventSource = std::function<void(queues::WorkerScan &scan, qint64 nowMs)>;

    // installations: framework + prefix of every installation to read (registry
    // installationsFor(); those of the monitor's queues are added). `queues` gives the known
    // queues (stalled and abandoned jobs are looked for in them). Neither is owned.
    WorkerScanner(redis::RedisConnection *connection, const QueueMonitor *queues,
                  QList<queues::QueueRef> installations, QObject *parent = nullptr);
    ~WorkerScanner() override;

    // Active: scans now, then re-arms after every scan. Inactive: what is in flight still lands.
    void setActive(bool active);
    bool isActive() const { return m_active; }
    void setIntervalMs(int ms) { m_intervalMs = ms; }
    int intervalMs() const { return m_intervalMs; }
    void setNoConsumerThresholdMs(qint64 ms) { m_consumers.setThresholdMs(ms); }

    // Called at the start of every scan: adds workers read elsewhere (monitor/celeryeventwatcher),
    // and what they know of liveness (WorkerScan::liveness), which the readers get in their
    // context (Celery's unacked deliveries are stuck only when no worker lives); merged after
    // the readers. Frameworks whose workers come from events are "unknown" while none is set.
    void addEventSource(EventSource source);

    // The backlog of every queue from the latest poll (the session hands every poll over).
    void setBacklog(const QList<queues::QueueCounts> &counts, qint64 nowMs);

    bool hasScan() const { return m_hasScan; }
    const queues::WorkerScan &latest() const { return m_latest; }
    QString lastError() const { return m_error; } // of the last scan; empty when it completed
    std::optional<int> liveWorkers(const queues::QueueRef &queue) const;
    const QList<QueueConsumers> &consumers() const { return m_consumers.queues(); }
    const QueueConsumers *consumersOf(const queues::QueueRef &queue) const
    {
        return m_consumers.find(queue);
    }

public Q_SLOTS:
    // Now; while a scan is in flight, right after it.
    void refresh();

Q_SIGNALS:
    void scanned(); // latest() (or lastError()) and consumers() updated
    void workerWentOffline(const qs::queues::WorkerInfo &worker);
    void queueLostConsumers(const qs::queues::QueueRef &queue);

private:
    struct Run;
    void runStep(std::shared_ptr<Run> run, const QList<redis::RedisReply> &replies);
    void sendOnCluster(const std::shared_ptr<Run> &run, const QList<redis::RedisCommand> &commands);
    bool checkReplies(const redis::PipelineResult &result, qsizetype expected); // else failScan
    void finishScan(const std::shared_ptr<Run> &run);
    void failScan(const QString &error);
    void armNext();
    void updateConsumers(qint64 nowMs);
    QList<queues::QueueRef> allInstallations() const;

    QPointer<redis::RedisConnection> m_connection;
    const QueueMonitor *m_queues = nullptr;
    QList<queues::QueueRef> m_installations;
    QList<EventSource> m_sources;
    QList<QueueBacklog> m_backlog;
    ConsumerTracker m_consumers;
    queues::WorkerScan m_latest;
    QString m_error;
    int m_intervalMs = defaultIntervalMs;
    quint64 m_armToken = 0;
    quint64 m_generation = 0;
    bool m_hasScan = false;
    bool m_active = false;
    bool m_inFlight = false;
    bool m_refreshQueued = false;
};

} // namespace qs::monitor
