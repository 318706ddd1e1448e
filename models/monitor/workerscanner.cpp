#include "workerscanner.h"

#include "clusterworkerstep.h"
#include "queuemonitor.h"

#include "frameworks/registry.h"
#include "redis/clusterslot.h"

#include <QDateTime>
#include <QHash>
#include <QTimer>

namespace qs::monitor {

using queues::QueueRef;
using queues::WorkerScan;

// One scan in flight: its readers, where each one's commands went in the step's pipeline, and
// what the scan costs so far.
struct WorkerScanner::Run
{
    struct Reader
    {
        std::unique_ptr<queues::WorkerReader> reader;
        QList<int> places; // per command of its current step: index in the step's pipeline
        bool done = false;
    };
    std::vector<Reader> readers;
    QList<queues::Framework> withoutReader; // installations whose workers are not read from keys
    WorkerScan events;                      // what the event sources said at the scan's start
    WorkerScan scan;
    quint64 generation = 0;
    bool truncated = false;
};

WorkerScanner::WorkerScanner(redis::RedisConnection *connection, const QueueMonitor *queues,
                             QList<QueueRef> installations, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_queues(queues)
    , m_installations(std::move(installations))
{
}

WorkerScanner::~WorkerScanner() = default;

void WorkerScanner::setActive(bool active)
{
    m_active = active;
    if (active)
        refresh();
    else
        ++m_armToken; // what is in flight still lands; nothing new is asked for
}

void WorkerScanner::addEventSource(EventSource source)
{
    m_sources.append(std::move(source));
}

QList<QueueRef> WorkerScanner::allInstallations() const
{
    QList<QueueRef> all = m_installations;
    for (const QueueRef &queue : m_queues ? m_queues->queues() : QList<QueueRef>()) {
        const QueueRef installation{queue.framework, queue.prefix, {}};
        if (!all.contains(installation))
            all.append(installation);
    }
    return all;
}

void WorkerScanner::refresh()
{
    if (!m_connection)
        return;
    if (m_inFlight) {
        m_refreshQueued = true;
        return;
    }
    ++m_armToken; // this scan replaces the armed one
    m_inFlight = true;
    auto run = std::make_shared<Run>();
    run->generation = ++m_generation;
    run->scan.scannedAtMs = QDateTime::currentMSecsSinceEpoch();
    // The event sources first: readers whose stuck jobs depend on whether any worker is alive
    // (Celery's unacked deliveries) get what the events say through their context.
    for (const EventSource &source : m_sources)
        source(run->events, run->scan.scannedAtMs);
    const QList<QueueRef> known = m_queues ? m_queues->queues() : QList<QueueRef>();
    for (const QueueRef &installation : allInstallations()) {
        queues::WorkerReader::Context context;
        context.prefix = installation.prefix;
        context.nowMs = run->scan.scannedAtMs;
        context.previous = m_hasScan ? &m_latest : nullptr;
        if (m_connection->isCluster())
            context.clusterMasterOf = [topology = m_connection->topology()](const QByteArray &key) {
                return topology.masterServing(redis::keyHashSlot(key));
            };
        for (const QueueRef &queue : known) {
            if (queue.framework == installation.framework && queue.prefix == installation.prefix)
                context.queues.append(queue);
        }
        for (const queues::EventLiveness &liveness : std::as_const(run->events.liveness)) {
            if (liveness.framework == installation.framework &&
                liveness.prefix == installation.prefix)
                context.liveFromEvents = liveness.alive;
        }
        auto reader = frameworks::makeWorkerReader(installation.framework, context);
        const bool fromEvents = frameworks::entry(installation.framework).workerEvents.has_value();
        if ((!reader || fromEvents) && !context.queues.isEmpty() &&
            !run->withoutReader.contains(installation.framework))
            run->withoutReader.append(installation.framework);
        if (reader)
            run->readers.push_back({std::move(reader), {}, false});
    }
    runStep(run, {});
}

void WorkerScanner::runStep(std::shared_ptr<Run> run, const QList<redis::RedisReply> &replies)
{
    QList<redis::RedisCommand> commands;
    QHash<redis::RedisCommand, int> sent; // identical commands of several readers: sent once
    for (Run::Reader &reader : run->readers) {
        if (reader.done)
            continue;
        QList<redis::RedisReply> mine;
        for (const int slot : reader.places)
            mine.append(replies.value(slot));
        const QList<redis::RedisCommand> next = reader.reader->nextStep(mine);
        reader.places.clear();
        if (next.isEmpty() || run->scan.roundTrips >= kMaxRoundTrips) {
            run->truncated = run->truncated || !next.isEmpty();
            reader.done = true;
            continue;
        }
        for (const redis::RedisCommand &command : next) {
            int slot = sent.value(command, -1);
            if (slot < 0) {
                slot = int(commands.size());
                sent.insert(command, slot);
                commands.append(command);
            }
            reader.places.append(slot);
        }
    }
    if (commands.isEmpty()) {
        finishScan(run);
        return;
    }
    ++run->scan.roundTrips;
    if (m_connection->isCluster()) {
        sendOnCluster(run, commands);
        return;
    }
    run->scan.commands += int(commands.size());
    const qsizetype expected = commands.size();
    m_connection->pipeline(commands, this,
                           [this, run, expected](const redis::PipelineResult &result) {
                               if (run->generation != m_generation)
                                   return; // a scan replaced by a newer one
                               if (!checkReplies(result, expected))
                                   return;
                               runStep(run, result.replies);
                           });
}

void WorkerScanner::sendOnCluster(const std::shared_ptr<Run> &run,
                                  const QList<redis::RedisCommand> &commands)
{
    // CLIENT LIST on every master, the rest routed by slot (clusterworkerstep.h).
    const ClusterWorkerStep step = ClusterWorkerStep::plan(m_connection->topology(), commands);
    run->scan.commands += int(step.commands.size());
    run->scan.notes += step.notes;
    const qsizetype expected = step.commands.size();
    m_connection->pipelineOnNodes(step.commands, this,
                                  [this, run, step, expected](const redis::PipelineResult &result) {
                                      if (run->generation != m_generation)
                                          return;
                                      if (!checkReplies(result, expected))
                                          return;
                                      runStep(run, step.read(result.replies, &run->scan.notes));
                                  });
}

bool WorkerScanner::checkReplies(const redis::PipelineResult &result, qsizetype expected)
{
    if (!result.ok())
        failScan(result.error.message);
    else if (result.replies.size() != expected)
        failScan(tr("The server sent %n replies to %1 commands.", "", int(result.replies.size()))
                     .arg(expected));
    else
        return true;
    return false;
}

void WorkerScanner::finishScan(const std::shared_ptr<Run> &run)
{
    WorkerScan &scan = run->scan;
    for (Run::Reader &reader : run->readers)
        reader.reader->finish(scan);
    if (run->truncated)
        scan.notes.append(tr("some workers were not read: a scan stops after %1 round trips")
                              .arg(kMaxRoundTrips));
    if (m_sources.isEmpty()) {
        for (const queues::Framework framework : run->withoutReader)
            scan.unknown.append(
                {framework, tr("workers unknown: %1 workers are known only from their events, "
                               "which are not followed here")
                                .arg(frameworks::label(framework))});
    }
    scan.workers += run->events.workers;
    scan.stuck += run->events.stuck;
    scan.unknown += run->events.unknown;
    scan.notes += run->events.notes;
    scan.liveness += run->events.liveness;
    const QList<queues::WorkerInfo> offline =
        mergeWithPrevious(scan, m_hasScan ? &m_latest : nullptr);
    m_latest = scan;
    m_hasScan = true;
    m_error.clear();
    m_inFlight = false;
    updateConsumers(scan.scannedAtMs);
    for (const queues::WorkerInfo &worker : offline)
        Q_EMIT workerWentOffline(worker);
    Q_EMIT scanned();
    armNext();
}

void WorkerScanner::failScan(const QString &error)
{
    // The connection failed, not a command: keep the last scan, say why it is not fresh.
    m_error = error;
    m_inFlight = false;
    Q_EMIT scanned();
    armNext();
}

void WorkerScanner::armNext()
{
    if (m_refreshQueued) {
        m_refreshQueued = false;
        refresh();
        return;
    }
    if (!m_active)
        return;
    // Poll, complete, re-arm: a slow server delays the next scan instead of piling them up.
    const quint64 token = ++m_armToken;
    QTimer::singleShot(m_intervalMs, this, [this, token] {
        if (token == m_armToken && m_active)
            refresh();
    });
}

std::optional<int> WorkerScanner::liveWorkers(const QueueRef &queue) const
{
    if (!m_hasScan)
        return std::nullopt;
    return monitor::liveWorkers(m_latest, queue);
}

void WorkerScanner::setBacklog(const QList<queues::QueueCounts> &counts, qint64 nowMs)
{
    m_backlog.clear();
    m_backlog.reserve(counts.size()); // one allocation of the size, not a doubling one
    for (const queues::QueueCounts &queue : counts) {
        QueueBacklog backlog;
        backlog.queue = queue.queue;
        backlog.paused = queue.paused;
        backlog.oldestWaitingAgeMs = queue.oldestWaitingAgeMs;
        const queues::QueueAdapter *adapter =
            m_queues ? m_queues->adapterFor(queue.queue.framework) : nullptr;
        const auto states =
            adapter ? adapter->states() : QList<QPair<QString, queues::UnifiedState>>();
        for (const auto &[state, unified] : states) {
            if (unified == queues::UnifiedState::Waiting ||
                unified == queues::UnifiedState::Prioritized)
                backlog.waiting += queue.count(state).value_or(0);
        }
        m_backlog.append(backlog);
    }
    if (m_hasScan)
        updateConsumers(nowMs);
}

void WorkerScanner::updateConsumers(qint64 nowMs)
{
    for (const QueueRef &queue : m_consumers.update(m_backlog, m_latest, nowMs))
        Q_EMIT queueLostConsumers(queue);
}

} // namespace qs::monitor
