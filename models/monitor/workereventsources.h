#pragma once

#include "queues/queueref.h"
#include "queues/workerinfo.h"

#include <QList>
#include <QObject>

namespace qs::redis {
class RedisConnection;
}

namespace qs::monitor {

class CeleryEventWatcher;
class QueueMonitor;

// The worker event streams of one server (Celery's heartbeats): one CeleryEventWatcher per
// installation (framework + prefix) whose framework publishes its workers
// (FrameworkEntry::workerEvents), each started only once queues of that installation are known,
// so that a server without Celery gets no subscription and no "no heartbeat" note.
// addTo() has the signature of WorkerScanner::addEventSource:
//     scanner->addEventSource([sources](WorkerScan &scan, qint64 now) { sources->addTo(scan, now);
//     });
class WorkerEventSources final : public QObject
{
    Q_OBJECT
public:
    // `connection` is cloned per watcher; `queues` (not owned) tells which installations are in
    // use. `installations`: as for the WorkerScanner (registry installationsFor()).
    WorkerEventSources(const redis::RedisConnection &connection, const QueueMonitor *queues,
                       const QList<queues::QueueRef> &installations, QObject *parent = nullptr);
    ~WorkerEventSources() override;

    // Starts the watchers of the installations whose queues are known now; returns the
    // watchers running (for a command that waits until they are subscribed and have listened).
    QList<CeleryEventWatcher *> start();
    void stop();
    // What the running watchers heard (starts those whose queues appeared since).
    void addTo(queues::WorkerScan &scan, qint64 nowMs);

    // How long a command listens after subscribing to hear every worker once: Celery's default
    // heartbeat interval (2 s) and half a second.
    static constexpr int kListenMs = 2'500;

private:
    struct Source
    {
        queues::QueueRef installation;
        CeleryEventWatcher *watcher = nullptr;
    };
    bool inUse(const queues::QueueRef &installation) const;

    const QueueMonitor *m_queues = nullptr;
    QList<Source> m_sources;
};

} // namespace qs::monitor
