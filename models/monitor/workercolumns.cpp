#include "monitor/workercolumns.h"

#include "monitor/clientlistmodel.h"

#include "core/displaytext.h"
#include "frameworks/registry.h"

#include <map>

namespace qs::monitor {

namespace {

using queues::WorkerInfo;
using C = const WorkerInfo &;

constexpr Qt::Alignment kNumber = Qt::AlignRight | Qt::AlignVCenter;

QString queueNames(const QList<QByteArray> &queues)
{
    QStringList names;
    names.reserve(queues.size());
    for (const QByteArray &queue : queues)
        names.append(core::displayBytes(queue, core::DisplayMode::Identifier));
    return names.join(QStringLiteral(", "));
}

QString jobsCell(C w)
{
    if (!w.busy && !w.concurrency)
        return QStringLiteral("—");
    const QString busy = w.busy ? QString::number(*w.busy) : QStringLiteral("?");
    return w.concurrency ? QStringLiteral("%1 / %2").arg(busy).arg(*w.concurrency) : busy;
}

// On a Redis Cluster also the node its connection was listed on.
QString hostCell(C w)
{
    return w.node.isEmpty() ? w.host : WorkerColumns::tr("%1 (on %2)").arg(w.host, w.node);
}

QVariant detailTip(C w)
{
    QStringList lines{WorkerColumns::tr("Id: %1").arg(w.id)};
    if (!w.detail.isEmpty())
        lines.append(w.detail);
    return core::displayText(lines.join(QLatin1Char('\n')), core::DisplayMode::Block);
}

} // namespace

QString describeCurrentJobs(const QList<queues::WorkerJob> &jobs)
{
    QStringList parts;
    parts.reserve(jobs.size());
    for (const queues::WorkerJob &job : jobs) {
        const QString queue = core::displayBytes(job.queue, core::DisplayMode::Identifier);
        parts.append(queue.isEmpty() ? QStringLiteral("#%1").arg(job.id)
                                     : QStringLiteral("%1 #%2").arg(queue, job.id));
    }
    return parts.join(QStringLiteral(", "));
}

qint64 secondsBefore(const std::optional<qint64> &atMs, qint64 scannedAtMs)
{
    if (!atMs || scannedAtMs <= 0)
        return -1;
    return qMax<qint64>(0, (scannedAtMs - *atMs) / 1000);
}

QList<core::ColumnSpec<WorkerInfo>> WorkerColumns::specs(const qint64 *scannedAtMs)
{
    auto secondsSince = [scannedAtMs](const std::optional<qint64> &at) {
        return secondsBefore(at, *scannedAtMs);
    };
    return {
        {.header = tr("Framework"), .display = [](C w) { return frameworks::label(w.framework); }},
        {.header = tr("Worker"), .display = [](C w) { return w.name; }, .toolTip = detailTip},
        {.header = tr("Host"), .display = hostCell},
        {.header = tr("PID"),
         .display = [](C w) { return w.pid ? QString::number(*w.pid) : QStringLiteral("—"); },
         .sortKey = [](C w) { return w.pid.value_or(-1); },
         .alignment = kNumber},
        {.header = tr("Queues"), .display = [](C w) { return queueNames(w.queues); }},
        {.header = tr("State"),
         .display = [](C w) { return queues::workerStateName(w.state); },
         .toolTip = detailTip},
        {.header = tr("Jobs"),
         .headerToolTip = tr("Jobs running now / jobs it may run at once"),
         .display = jobsCell,
         .sortKey = [](C w) { return w.busy.value_or(-1); },
         .alignment = kNumber},
        {.header = tr("Up"),
         .display = [secondsSince](C w) { return formatSeconds(secondsSince(w.startedAtMs)); },
         .sortKey = [secondsSince](C w) { return secondsSince(w.startedAtMs); },
         .alignment = kNumber},
        {.header = tr("Last seen"),
         .headerToolTip = tr("Time since its last heartbeat (or, for a BullMQ/Bull connection, "
                             "since its last command)"),
         .display =
             [secondsSince](C w) {
                 if (w.idleMs)
                     return formatSeconds(*w.idleMs / 1000);
                 return formatSeconds(secondsSince(w.lastSeenAtMs));
             },
         .sortKey = [secondsSince](
                        C w) { return w.idleMs ? *w.idleMs / 1000 : secondsSince(w.lastSeenAtMs); },
         .alignment = kNumber},
        {.header = tr("Version"), .display = [](C w) { return w.version; }},
        {.header = tr("Current jobs"),
         .display = [](C w) { return describeCurrentJobs(w.currentJobs); }},
    };
}

QString describeStates(const QList<WorkerInfo> &workers)
{
    std::map<queues::WorkerState, int> byState;
    for (const WorkerInfo &worker : workers)
        ++byState[worker.state];
    QStringList parts;
    for (const auto &[state, count] : byState)
        parts.append(QStringLiteral("%1 %2").arg(count).arg(queues::workerStateName(state)));
    return parts.join(QStringLiteral(", "));
}

QString workerGroupLabel(const WorkerInfo &worker)
{
    const QString host = worker.host.isEmpty() ? WorkerColumns::tr("unknown host") : worker.host;
    return QStringLiteral("%1 \u00b7 %2").arg(frameworks::label(worker.framework), host);
}

} // namespace qs::monitor
