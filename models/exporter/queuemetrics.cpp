#include "queuemetrics.h"

#include "exposition.h"
#include "metricfamilies.h"

#include "frameworks/registry.h"
#include "queues/queueadapter.h"

#include <array>

namespace qs::exporter {

namespace {

// A framework's native states in its order, each with its labels,
// `,state="<unified>",native_state="<native>"`.
struct StateLabels
{
    QString native;
    QByteArray labels;
};
using StateMap = QList<StateLabels>;

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
                mine.queue.append({state.first, stateLabels(state.first, state.second)});
            for (const auto &state : adapter->serverStates())
                mine.installation.append({state.first, stateLabels(state.first, state.second)});
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

// The labels of native state `native`, the `index`th of a poll's counts: the counts come in the
// framework's order, so the state at the same place is tried first (most often the same string,
// shared), then the others; a state the framework does not list reads as "other".
QByteArray labelsOfState(const StateMap &states, qsizetype index, const QString &native)
{
    if (index < states.size() && (states.at(index).native.constData() == native.constData() ||
                                  states.at(index).native == native))
        return states.at(index).labels;
    for (const StateLabels &state : states) {
        if (state.native == native)
            return state.labels;
    }
    return stateLabels(native, queues::UnifiedState::Other);
}

void appendJobs(QByteArray &out, const char *name, const QByteArray &labels,
                const QList<QPair<QString, qint64>> &counts, const StateMap &states)
{
    for (qsizetype i = 0; i < counts.size(); ++i)
        appendSample(out, name, labels, labelsOfState(states, i, counts.at(i).first),
                     double(counts.at(i).second));
}

// `,source="exact"` and the like, built once per source (every queue of a scrape needs one).
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

// Jobs finished per minute as the session's tracker has them (every framework), with its source:
// the completed ones for CompletedPerMinute, the failed ones for FailedPerMinute.
void appendPerMinute(QByteArray &out, Family family, const QByteArray &labels,
                     const monitor::QueueThroughput &throughput)
{
    if (throughput.source == monitor::ThroughputSource::Unknown)
        return;
    const bool completed = family == Family::CompletedPerMinute;
    const std::optional<double> &perMin =
        completed ? throughput.completedPerMin : throughput.failedPerMin;
    if (perMin)
        appendSample(out,
                     completed ? "queuescope_jobs_completed_per_minute"
                               : "queuescope_jobs_failed_per_minute",
                     labels, sourceLabel(throughput.source), *perMin);
}

// The framework's own counters of finished jobs (not the finished sets, which are trimmed): the
// completed ones for JobsCompleted, the failed ones for JobsFailed.
void appendFinished(QByteArray &out, Family family, const QByteArray &labels,
                    const queues::Throughput &completed, const queues::Throughput &failed)
{
    if (family == Family::JobsFailed) {
        if (failed.total)
            appendSample(out, "queuescope_jobs_failed_total", labels, double(*failed.total));
        return;
    }
    if (!completed.total)
        return;
    qint64 total = *completed.total;
    if (completed.includesFailed) // Sidekiq's processed counts the failed jobs too
        total = failed.total ? qMax<qint64>(0, total - *failed.total) : -1;
    if (total >= 0)
        appendSample(out, "queuescope_jobs_completed_total", labels, double(total));
}

QueueLabels labelsOf(const queues::QueueCounts &counts, const QByteArray &server)
{
    const queues::QueueRef &queue = counts.queue;
    return {counts.queueId(), installationLabels(server, queue.framework, queue.prefix) +
                                  ",queue=\"" + bytesLabelValue(queue.name) + '"'};
}

void renderQueue(Family family, const queues::QueueCounts &counts, const QueueLabels &queueLabels,
                 const QueueSources &sources, QByteArray &out)
{
    const QByteArray &labels = queueLabels.labels;
    switch (family) {
    case Family::QueueJobs:
        appendJobs(out, "queuescope_queue_jobs", labels, counts.counts,
                   statesOf(counts.queue.framework).queue);
        break;
    case Family::QueuePaused:
        appendSample(out, "queuescope_queue_paused", labels, counts.paused ? 1 : 0);
        break;
    case Family::QueueOldestWaiting:
        if (counts.oldestWaitingAgeMs)
            appendSample(out, "queuescope_queue_oldest_waiting_seconds", labels,
                         double(*counts.oldestWaitingAgeMs) / 1000.0);
        break;
    case Family::QueueWorkers:
        if (const auto workers = sources.liveWorkers.constFind(queueLabels.id);
            workers != sources.liveWorkers.cend())
            appendSample(out, "queuescope_queue_workers", labels, workers.value());
        break;
    case Family::JobsCompleted:
    case Family::JobsFailed:
        if (counts.details)
            appendFinished(out, family, labels, counts.details->completed, counts.details->failed);
        break;
    case Family::CompletedPerMinute:
    case Family::FailedPerMinute:
        appendPerMinute(out, family, labels, sources.throughput.queue(queueLabels.id));
        break;
    default:
        break;
    }
}

void renderInstallation(Family family, const queues::ServerCounts &counts,
                        const QueueSources &sources, QByteArray &out)
{
    const QByteArray labels = installationLabels(sources.server, counts.framework, counts.prefix);
    switch (family) {
    case Family::InstallationJobs:
        appendJobs(out, "queuescope_installation_jobs", labels, counts.counts,
                   statesOf(counts.framework).installation);
        break;
    case Family::InstallationPaused:
        appendSample(out, "queuescope_installation_paused", labels, counts.paused ? 1 : 0);
        break;
    case Family::InstallationWorkers:
        if (counts.workers)
            appendSample(out, "queuescope_installation_workers", labels, double(*counts.workers));
        break;
    case Family::JobsCompleted:
    case Family::JobsFailed:
        appendFinished(out, family, labels, counts.completed, counts.failed);
        break;
    case Family::CompletedPerMinute:
    case Family::FailedPerMinute:
        appendPerMinute(out, family, labels,
                        sources.throughput.installation(counts.framework, counts.prefix));
        break;
    default:
        break;
    }
}

// Which of the queue families have samples of queues, and which of installations.
bool hasQueueSamples(Family family)
{
    return indexOf(family) >= indexOf(Family::QueueJobs) &&
           indexOf(family) <= indexOf(Family::FailedPerMinute);
}
bool hasInstallationSamples(Family family)
{
    return indexOf(family) >= indexOf(Family::JobsCompleted) &&
           indexOf(family) <= indexOf(Family::InstallationWorkers);
}

} // namespace

QList<QueueLabels> labelQueues(const monitor::PollSnapshot &snapshot, const QByteArray &server,
                               const QList<QueueLabels> &previous)
{
    QList<QueueLabels> labels;
    labels.reserve(snapshot.queues.size());
    for (qsizetype i = 0; i < snapshot.queues.size(); ++i) {
        const queues::QueueCounts &counts = snapshot.queues.at(i);
        if (i < previous.size() && previous.at(i).id == counts.queueId())
            labels.append(previous.at(i));
        else
            labels.append(labelsOf(counts, server));
    }
    return labels;
}

bool isQueueFamily(Family family)
{
    return hasQueueSamples(family) || hasInstallationSamples(family);
}

void renderQueueFamily(Family family, const QueueSources &sources, QByteArray &out)
{
    if (hasQueueSamples(family)) {
        const QList<queues::QueueCounts> &queues = sources.snapshot.queues;
        Q_ASSERT(sources.labels.size() == queues.size());
        for (qsizetype i = 0; i < queues.size(); ++i)
            renderQueue(family, queues.at(i), sources.labels.at(i), sources, out);
    }
    if (hasInstallationSamples(family)) {
        for (const queues::ServerCounts &counts : sources.snapshot.queueServers)
            renderInstallation(family, counts, sources, out);
    }
}

} // namespace qs::exporter
