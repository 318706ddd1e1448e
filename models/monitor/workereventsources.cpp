#include "workereventsources.h"

#include "celeryeventwatcher.h"
#include "frameworks/registry.h"
#include "queuemonitor.h"

namespace qs::monitor {

WorkerEventSources::WorkerEventSources(const redis::RedisConnection &connection,
                                       const QueueMonitor *queues,
                                       const QList<queues::QueueRef> &installations,
                                       QObject *parent)
    : QObject(parent)
    , m_queues(queues)
{
    for (const queues::QueueRef &installation : installations) {
        if (!frameworks::entry(installation.framework).workerEvents)
            continue;
        bool known = false;
        for (const Source &source : std::as_const(m_sources))
            known = known || source.installation == installation;
        if (!known)
            m_sources.append(
                {installation, new CeleryEventWatcher(connection, installation.prefix, this)});
    }
}

WorkerEventSources::~WorkerEventSources() = default;

bool WorkerEventSources::inUse(const queues::QueueRef &installation) const
{
    if (!m_queues)
        return true;
    for (const queues::QueueRef &queue : m_queues->queues()) {
        if (queue.framework == installation.framework && queue.prefix == installation.prefix)
            return true;
    }
    return false;
}

QList<CeleryEventWatcher *> WorkerEventSources::start()
{
    QList<CeleryEventWatcher *> running;
    for (const Source &source : std::as_const(m_sources)) {
        if (!inUse(source.installation))
            continue;
        source.watcher->start();
        running.append(source.watcher);
    }
    return running;
}

void WorkerEventSources::stop()
{
    for (const Source &source : std::as_const(m_sources))
        source.watcher->stop();
}

void WorkerEventSources::addTo(queues::WorkerScan &scan, qint64 nowMs)
{
    for (CeleryEventWatcher *watcher : start())
        watcher->addTo(scan, nowMs);
}

} // namespace qs::monitor
