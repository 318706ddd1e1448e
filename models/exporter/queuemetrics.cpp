#include "queuemetrics.h"

#include "exposition.h"
#include "metricfamilies.h"

#include "frameworks/registry.h"
#include "queues/queueadapter.h"

#include <array>

namespace qs::exporter {

namespace {

// native state -> its labels, `,state="<unified>",native_state="<native>"`
using StateMap = QHash<QString, QByteArray>;

QByteArray stateLabels(const QString &native, queues::UnifiedState unified)
{
    return ",state=\"" + queues::unifiedStateName(unified).toLatin1() + "\",native_state=\"" +
           escapeLabelValue(native) + '"';
}

// Each framework's native states and their unified names, for queues and installations.
struct FrameworkStates
{
    StateMap queue;
    StateMap installation;
};

const FrameworkStates &statesOf(queues::Framework framework)
{
    static const auto all = [] {
        std::array<FrameworkStates, 5> states;
        for (const queues::FrameworkEntry &entry : frameworks::all()) {
            const auto adapter = entry.makeAdapter(entry.defaultPrefix);
            FrameworkStates &mine = states.at(size_t(entry.framework));
            for (const auto &state : adapter->states())
                mine.queue.insert(state.first, stateLabels(state.first, state.second));
            for (const auto &state : adapter->serverStates())
                mine.installation.insert(state.first, stateLabels(state.first, state.second));
        }
        return states;
    }();
    return all.at(size_t(framework));
}

QByteArray installationLabels(const QByteArray &server, queues::Framework framework,
                              const QByteArray &prefix)
{
    return server + ",framework=\"" + queues::frameworkName(framework).toLatin1() + "\",prefix=\"" +
           bytesLabelValue(prefix) + '"';
}

void appendJobs(QByteArray &body, const char *name, const QByteArray &labels,
                const QList<QPair<QString, qint64>> &counts, const StateMap &states)
{
    for (const auto &count : counts) {
        const auto known = states.constFind(count.first);
        appendSample(body, name, labels,
                     known != states.cend() ? known.value()
                                            : stateLabels(count.first, queues::UnifiedState::Other),
                     double(count.second));
    }
}

// `,source="exact"` and the like, built once per source (every queue on every render needs one).
const QByteArray &sourceLabel(monitor::ThroughputSource source)
{
    static const auto labels = [] {
        std::array<QByteArray, 3> all;
        for (auto each : {monitor::ThroughputSource::Unknown, monitor::ThroughputSource::Exact,
                          monitor::ThroughputSource::Estimated})
            all.at(size_t(each)) =
                ",source=\"" + monitor::throughputSourceName(each).toLatin1() + '"';
        return all;
    }();
    return labels.at(size_t(source));
}

// Jobs finished per minute as the session's tracker has them (every framework), with its source.
void appendPerMinute(QList<QByteArray> &bodies, const QByteArray &labels,
                     const monitor::QueueThroughput &throughput)
{
    if (throughput.source == monitor::ThroughputSource::Unknown)
        return;
    const QByteArray &source = sourceLabel(throughput.source);
    if (throughput.completedPerMin)
        appendSample(bodies[indexOf(Family::CompletedPerMinute)],
                     "queuescope_jobs_completed_per_minute", labels, source,
                     *throughput.completedPerMin);
    if (throughput.failedPerMin)
        appendSample(bodies[indexOf(Family::FailedPerMinute)], "queuescope_jobs_failed_per_minute",
                     labels, source, *throughput.failedPerMin);
}

// The framework's own counters of finished jobs (not the finished sets, which are trimmed).
void appendFinished(QList<QByteArray> &bodies, const QByteArray &labels,
                    const queues::Throughput &completed, const queues::Throughput &failed)
{
    if (completed.total) {
        qint64 total = *completed.total;
        if (completed.includesFailed) // Sidekiq's processed counts the failed jobs too
            total = failed.total ? qMax<qint64>(0, total - *failed.total) : -1;
        if (total >= 0)
            appendSample(bodies[indexOf(Family::JobsCompleted)], "queuescope_jobs_completed_total",
                         labels, double(total));
    }
    if (failed.total)
        appendSample(bodies[indexOf(Family::JobsFailed)], "queuescope_jobs_failed_total", labels,
                     double(*failed.total));
}

QueueLabels labelsOf(const queues::QueueCounts &counts, const QByteArray &server)
{
    const queues::QueueRef &queue = counts.queue;
    return {queue, counts.queueId(),
            installationLabels(server, queue.framework, queue.prefix) + ",queue=\"" +
                bytesLabelValue(queue.name) + '"'};
}

void renderQueue(const queues::QueueCounts &counts, const QueueLabels &queueLabels,
                 const QHash<QString, int> &liveWorkers,
                 const monitor::ThroughputTracker &throughput, QList<QByteArray> &bodies)
{
    const queues::QueueRef &queue = counts.queue;
    const QByteArray &labels = queueLabels.labels;
    appendJobs(bodies[indexOf(Family::QueueJobs)], "queuescope_queue_jobs", labels, counts.counts,
               statesOf(queue.framework).queue);
    appendSample(bodies[indexOf(Family::QueuePaused)], "queuescope_queue_paused", labels,
                 counts.paused ? 1 : 0);
    if (counts.oldestWaitingAgeMs)
        appendSample(bodies[indexOf(Family::QueueOldestWaiting)],
                     "queuescope_queue_oldest_waiting_seconds", labels,
                     double(*counts.oldestWaitingAgeMs) / 1000.0);
    const auto workers = liveWorkers.constFind(queueLabels.id);
    if (workers != liveWorkers.cend())
        appendSample(bodies[indexOf(Family::QueueWorkers)], "queuescope_queue_workers", labels,
                     workers.value());
    if (counts.details)
        appendFinished(bodies, labels, counts.details->completed, counts.details->failed);
    appendPerMinute(bodies, labels, throughput.queue(queueLabels.id));
}

void renderInstallation(const queues::ServerCounts &counts,
                        const monitor::ThroughputTracker &throughput, const QByteArray &server,
                        QList<QByteArray> &bodies)
{
    const QByteArray labels = installationLabels(server, counts.framework, counts.prefix);
    appendJobs(bodies[indexOf(Family::InstallationJobs)], "queuescope_installation_jobs", labels,
               counts.counts, statesOf(counts.framework).installation);
    appendSample(bodies[indexOf(Family::InstallationPaused)], "queuescope_installation_paused",
                 labels, counts.paused ? 1 : 0);
    if (counts.workers)
        appendSample(bodies[indexOf(Family::InstallationWorkers)],
                     "queuescope_installation_workers", labels, double(*counts.workers));
    appendFinished(bodies, labels, counts.completed, counts.failed);
    appendPerMinute(bodies, labels, throughput.installation(counts.framework, counts.prefix));
}

} // namespace

void renderQueues(const monitor::PollSnapshot &snapshot, const QHash<QString, int> &liveWorkers,
                  const monitor::ThroughputTracker &throughput, const QByteArray &server,
                  QList<QByteArray> &bodies, const QList<QueueLabels> &previous,
                  QList<QueueLabels> &labels)
{
    labels.clear();
    labels.reserve(snapshot.queues.size());
    for (qsizetype i = 0; i < snapshot.queues.size(); ++i) {
        const queues::QueueCounts &counts = snapshot.queues.at(i);
        if (i < previous.size() && previous.at(i).queue == counts.queue)
            labels.append(previous.at(i));
        else
            labels.append(labelsOf(counts, server));
        renderQueue(counts, labels.constLast(), liveWorkers, throughput, bodies);
    }
    for (const queues::ServerCounts &counts : snapshot.queueServers)
        renderInstallation(counts, throughput, server, bodies);
}

} // namespace qs::exporter
