#include "celeryworkertable.h"

#include "redis/replylimits.h"

#include <QLocale>

namespace qs::monitor {

using queues::TaskEvent;
using queues::WorkerEvent;
using queues::WorkerInfo;
using queues::WorkerState;

namespace {

qint64 heartbeatMs(const WorkerEvent &event)
{
    return qint64(event.freq * 1000.0);
}

// "celery@web-1" -> "web-1" (Celery's node names are name@host).
QString hostOf(const QString &hostname)
{
    const qsizetype at = hostname.indexOf(QLatin1Char('@'));
    return at < 0 ? hostname : hostname.mid(at + 1);
}

bool endsTask(TaskEvent::Kind kind)
{
    switch (kind) {
    case TaskEvent::Kind::Succeeded:
    case TaskEvent::Kind::Failed:
    case TaskEvent::Kind::Retried:
    case TaskEvent::Kind::Revoked:
    case TaskEvent::Kind::Rejected:
        return true;
    case TaskEvent::Kind::Sent:
    case TaskEvent::Kind::Received:
    case TaskEvent::Kind::Started:
        break;
    }
    return false;
}

} // namespace

CeleryWorkerTable::CeleryWorkerTable(QByteArray prefix)
    : m_prefix(std::move(prefix))
{
}

void CeleryWorkerTable::apply(const queues::WorkerEvents &events, qint64 receivedAtMs)
{
    for (const WorkerEvent &event : events.workers)
        applyWorker(event, receivedAtMs);
    for (const TaskEvent &event : events.tasks)
        applyTask(event, receivedAtMs);
    if (!events.ignored.isEmpty()) {
        if (m_firstIgnored.isEmpty())
            m_firstIgnored = events.ignored.first();
        m_ignored += events.ignored.size();
    }
    forgetOld(receivedAtMs);
}

void CeleryWorkerTable::noteDropped(qint64 size)
{
    ++m_dropped;
    m_largestDropped = qMax(m_largestDropped, size);
}

CeleryWorkerTable::Worker *CeleryWorkerTable::workerFor(const QString &hostname)
{
    auto it = m_workers.find(hostname);
    if (it != m_workers.end())
        return &it.value();
    if (m_workers.size() >= kMaxWorkers) {
        ++m_skippedWorkers;
        return nullptr;
    }
    return &m_workers[hostname];
}

void CeleryWorkerTable::applyWorker(const WorkerEvent &event, qint64 receivedAtMs)
{
    Worker *worker = workerFor(event.hostname);
    if (!worker)
        return;
    m_lastHeardMs = qMax(m_lastHeardMs, receivedAtMs);
    if (worker->heardAtMs > receivedAtMs)
        return; // an older message (should not happen on one subscription)
    worker->last = event;
    worker->heardAtMs = receivedAtMs;
    worker->offline = event.kind == WorkerEvent::Kind::Offline;
    if (event.kind == WorkerEvent::Kind::Online)
        worker->startedAtMs = event.timestampMs;
    // Nothing runs: whatever task events were missed, no task is current.
    if (event.active == 0 || worker->offline)
        worker->running.clear();
    const qint64 drift = qAbs(receivedAtMs - event.timestampMs);
    if (drift > kMaxDriftMs && drift > m_driftMs) {
        m_driftMs = drift;
        m_driftHost = event.hostname;
    }
}

void CeleryWorkerTable::rememberQueue(const QString &uuid, const QByteArray &queue)
{
    if (m_queueOfTask.contains(uuid))
        return;
    m_queueOfTask.insert(uuid, queue);
    m_queueOrder.push_back(uuid);
    while (m_queueOrder.size() > size_t(kMaxKnownQueues)) {
        m_queueOfTask.remove(m_queueOrder.front());
        m_queueOrder.pop_front();
    }
}

void CeleryWorkerTable::applyTask(const TaskEvent &event, qint64 receivedAtMs)
{
    if (!event.queue.isEmpty())
        rememberQueue(event.uuid, event.queue);
    if (event.kind == TaskEvent::Kind::Sent || event.hostname.isEmpty())
        return; // task-sent comes from the client, not from a worker
    Worker *worker = workerFor(event.hostname);
    if (!worker)
        return;
    if (worker->heardAtMs == 0) { // task events before any heartbeat: alive now
        worker->last.hostname = event.hostname;
        worker->heardAtMs = receivedAtMs;
    }
    const QByteArray queue = m_queueOfTask.value(event.uuid);
    if (!queue.isEmpty() && !worker->queues.contains(queue))
        worker->queues.append(queue);
    if (endsTask(event.kind)) {
        worker->running.remove(event.uuid);
        m_queueOfTask.remove(event.uuid); // the order list drops it in time
    } else if (event.kind == TaskEvent::Kind::Started &&
               worker->running.size() < kMaxTasksPerWorker) {
        worker->running.insert(event.uuid, queues::WorkerJob{queue, event.uuid});
    }
}

void CeleryWorkerTable::forgetOld(qint64 nowMs)
{
    for (auto it = m_workers.begin(); it != m_workers.end();) {
        if (nowMs - it->heardAtMs > kForgetOfflineMs)
            it = m_workers.erase(it);
        else
            ++it;
    }
}

qint64 CeleryWorkerTable::silenceWindowMs() const
{
    qint64 slowest = kDefaultHeartbeatMs;
    for (const Worker &worker : m_workers)
        slowest = qMax(slowest, heartbeatMs(worker.last));
    return slowest + 500;
}

WorkerInfo CeleryWorkerTable::info(const Worker &worker, qint64 nowMs) const
{
    const WorkerEvent &last = worker.last;
    WorkerInfo info;
    info.framework = queues::Framework::Celery;
    info.prefix = m_prefix;
    info.id = last.hostname;
    info.name = last.hostname;
    info.host = hostOf(last.hostname);
    info.pid = last.pid;
    info.queues = worker.queues;
    const qint64 expiresMs = worker.heardAtMs + heartbeatMs(last) * kExpireWindowPercent / 100;
    const bool alive = !worker.offline && nowMs < expiresMs;
    info.busy =
        alive ? std::optional<int>(qMax(last.active, int(worker.running.size()))) : std::nullopt;
    info.state = !alive                  ? WorkerState::Offline
                 : info.busy.value() > 0 ? WorkerState::Busy
                                         : WorkerState::Idle;
    if (alive)
        info.currentJobs = worker.running.values();
    info.startedAtMs = worker.startedAtMs;
    info.lastSeenAtMs = worker.heardAtMs;
    info.version = last.swVersion;
    QStringList detail;
    detail << QStringLiteral("%L1 processed").arg(last.processed);
    if (last.loadavg.size() == 3)
        detail << QStringLiteral("load %1 %2 %3")
                      .arg(last.loadavg.at(0), 0, 'f', 2)
                      .arg(last.loadavg.at(1), 0, 'f', 2)
                      .arg(last.loadavg.at(2), 0, 'f', 2);
    detail << QStringLiteral("heartbeat every %1 s").arg(last.freq);
    if (!last.swSystem.isEmpty())
        detail << last.swSystem;
    info.detail = detail.join(QStringLiteral(", "));
    return info;
}

void CeleryWorkerTable::addTo(queues::WorkerScan &scan, qint64 nowMs, qint64 listeningSinceMs) const
{
    QList<const Worker *> workers;
    for (const Worker &worker : m_workers) {
        if (nowMs - worker.heardAtMs <= kForgetOfflineMs)
            workers.append(&worker);
    }
    std::sort(workers.begin(), workers.end(),
              [](const Worker *a, const Worker *b) { return a->last.hostname < b->last.hostname; });
    for (const Worker *worker : std::as_const(workers))
        scan.workers.append(info(*worker, nowMs));

    if (listeningSinceMs > 0) {
        const qint64 silentSince = qMax(listeningSinceMs, m_lastHeardMs);
        if (nowMs - silentSince > silenceWindowMs())
            scan.notes << QStringLiteral("no Celery heartbeat heard: workers may run with "
                                         "--without-heartbeat, or none is running");
    }
    if (m_ignored > 0)
        scan.notes << QStringLiteral("Celery events: %L1 not read (first: %2)")
                          .arg(m_ignored)
                          .arg(m_firstIgnored);
    if (m_dropped > 0)
        scan.notes << QStringLiteral("Celery events: %L1 messages over the size limit dropped "
                                     "(largest %2)")
                          .arg(m_dropped)
                          .arg(redis::describeSize(m_largestDropped));
    if (m_skippedWorkers > 0)
        scan.notes << QStringLiteral("Celery events: more than %L1 workers; %L2 events of others "
                                     "not kept")
                          .arg(kMaxWorkers)
                          .arg(m_skippedWorkers);
    if (m_driftMs > 0)
        scan.notes << QStringLiteral("Celery worker %1 reports a time %2 s away from this "
                                     "machine's: clocks may be out of sync")
                          .arg(m_driftHost)
                          .arg(m_driftMs / 1000);
}

} // namespace qs::monitor
