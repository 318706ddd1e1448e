#include "workerscanmerge.h"

#include "frameworks/registry.h"

namespace qs::monitor {

using queues::WorkerInfo;
using queues::WorkerScan;
using queues::WorkerState;

namespace {

QString keyOf(const WorkerInfo &worker)
{
    return queues::frameworkName(worker.framework) + QLatin1Char('/') +
           QString::fromUtf8(worker.prefix) + QLatin1Char('/') + worker.id;
}

bool isUnknown(const WorkerScan &scan, queues::Framework framework)
{
    for (const auto &entry : scan.unknown) {
        if (entry.first == framework)
            return true;
    }
    return false;
}

WorkerInfo wentOffline(const WorkerInfo &before)
{
    WorkerInfo offline = before;
    offline.state = WorkerState::Offline;
    offline.busy.reset();
    offline.idleMs.reset();
    return offline;
}

} // namespace

QList<WorkerInfo> mergeWithPrevious(WorkerScan &scan, const WorkerScan *previous)
{
    QList<WorkerInfo> offline;
    if (!previous)
        return offline;
    QHash<QString, const WorkerInfo *> before;
    for (const WorkerInfo &worker : previous->workers)
        before.insert(keyOf(worker), &worker);
    QHash<QString, bool> seen;
    for (WorkerInfo &worker : scan.workers) {
        const QString key = keyOf(worker);
        seen.insert(key, true);
        const WorkerInfo *earlier = before.value(key);
        if (worker.state != WorkerState::Offline || !earlier)
            continue;
        if (earlier->state != WorkerState::Offline)
            offline.append(wentOffline(*earlier));
        worker = wentOffline(*earlier); // what was last known of it, now offline
    }
    for (const WorkerInfo &earlier : previous->workers) {
        if (seen.contains(keyOf(earlier)))
            continue;
        if (isUnknown(scan, earlier.framework)) {
            scan.workers.append(earlier); // not read this time: as it was
            continue;
        }
        // Gone from the framework's own records: offline for a while, then forgotten.
        if (!earlier.lastSeenAtMs || scan.scannedAtMs - *earlier.lastSeenAtMs > kOfflineKeptMs)
            continue;
        if (earlier.state != WorkerState::Offline)
            offline.append(wentOffline(earlier));
        scan.workers.append(wentOffline(earlier));
    }
    return offline;
}

std::optional<int> liveWorkers(const WorkerScan &scan, const queues::QueueRef &queue)
{
    return LiveWorkers(scan).of(queue);
}

LiveWorkers::LiveWorkers(const WorkerScan &scan)
{
    for (const auto &entry : scan.unknown)
        m_unknown.append(entry.first);
    for (const WorkerInfo &worker : scan.workers) {
        if (worker.state == WorkerState::Offline)
            continue;
        Installation &installation = m_installations[{int(worker.framework), worker.prefix}];
        installation.anyNamesQueues = installation.anyNamesQueues || !worker.queues.isEmpty();
        for (qsizetype i = 0; i < worker.queues.size(); ++i) {
            const QByteArray &name = worker.queues.at(i);
            if (worker.queues.indexOf(name) == i) // a queue named twice is one consumer
                ++installation.byQueue[name];
        }
    }
}

std::optional<int> LiveWorkers::of(const queues::QueueRef &queue) const
{
    if (m_unknown.contains(queue.framework))
        return std::nullopt;
    int live = 0;
    const auto installation = m_installations.constFind({int(queue.framework), queue.prefix});
    if (installation != m_installations.cend()) {
        // Live workers that do not say what they consume: unknown, not 0.
        if (!installation->anyNamesQueues)
            return std::nullopt;
        live = installation->byQueue.value(queue.name);
    }
    // Workers known from events (Celery) name a queue only once they ran one of its tasks: none
    // of them is no proof.
    if (live == 0 && !frameworks::entry(queue.framework).makeWorkerReader)
        return std::nullopt;
    return live;
}

QList<queues::QueueRef> ConsumerTracker::update(const QList<QueueBacklog> &backlogs,
                                                const WorkerScan &scan, qint64 nowMs)
{
    QList<queues::QueueRef> lost;
    QList<QueueConsumers> next;
    next.reserve(backlogs.size());
    const LiveWorkers live(scan);
    for (qsizetype i = 0; i < backlogs.size(); ++i) {
        const QueueBacklog &backlog = backlogs.at(i);
        QueueConsumers consumers;
        consumers.queue = backlog.queue;
        consumers.live = live.of(backlog.queue);
        consumers.waiting = backlog.waiting;
        const bool unconsumed = !backlog.paused && backlog.waiting > 0 && consumers.live == 0;
        if (unconsumed) {
            // The queues come in the same order poll after poll: the one at the same place
            // first (a search for each queue made this quadratic: 10,000 queues, 50 million
            // comparisons a poll).
            const QueueConsumers *before =
                i < m_queues.size() && m_queues.at(i).queue == backlog.queue ? &m_queues.at(i)
                                                                             : find(backlog.queue);
            if (before && before->unconsumedSinceMs)
                consumers.unconsumedSinceMs = before->unconsumedSinceMs;
            else if (!before && backlog.oldestWaitingAgeMs)
                consumers.unconsumedSinceMs = nowMs - *backlog.oldestWaitingAgeMs;
            else
                consumers.unconsumedSinceMs = nowMs;
            consumers.noConsumer = nowMs - *consumers.unconsumedSinceMs >= m_thresholdMs;
            if (consumers.noConsumer && !(before && before->noConsumer))
                lost.append(backlog.queue);
        }
        next.append(consumers);
    }
    m_queues = std::move(next);
    return lost;
}

const QueueConsumers *ConsumerTracker::find(const queues::QueueRef &queue) const
{
    for (const QueueConsumers &consumers : m_queues) {
        if (consumers.queue == queue)
            return &consumers;
    }
    return nullptr;
}

} // namespace qs::monitor
