#include "workersjson.h"

#include "clioutput.h"
#include "queuespec.h"

#include "frameworks/registry.h"
#include "queues/timestamps.h"

#include <QJsonArray>

namespace qs::cli {

namespace {

using queues::WorkerInfo;

QJsonValue optional(const std::optional<qint64> &value)
{
    return value ? QJsonValue(double(*value)) : QJsonValue(QJsonValue::Null);
}

QJsonValue optional(const std::optional<int> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonValue text(const QString &value)
{
    return value.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}

bool consumes(const WorkerInfo &worker, const queues::QueueRef &queue)
{
    return worker.framework == queue.framework && worker.prefix == queue.prefix &&
           worker.queues.contains(queue.name);
}

QString queueList(const QList<QByteArray> &queues)
{
    QStringList names;
    for (const QByteArray &queue : queues)
        names << identifier(queue);
    return names.isEmpty() ? QStringLiteral("-") : names.join(QLatin1Char(','));
}

QString frameworkOf(queues::Framework framework)
{
    return queues::frameworkName(framework);
}

} // namespace

QString noConsumerNote(const monitor::QueueConsumers &consumers, qint64 nowMs)
{
    return QStringLiteral("no consumer: %1 has %2 waiting jobs and no live worker (for %3)")
        .arg(queueSpec(consumers.queue), QString::number(consumers.waiting),
             queues::roughDuration(nowMs - consumers.unconsumedSinceMs.value_or(nowMs)));
}

WorkersView workersView(const queues::WorkerScan &scan,
                        const QList<monitor::QueueConsumers> &consumers,
                        const queues::QueueRef &queue, qint64 nowMs)
{
    const bool all = queue.name.isEmpty();
    WorkersView view;
    for (const WorkerInfo &worker : scan.workers) {
        if (all || consumes(worker, queue))
            view.workers.append(worker);
    }
    std::stable_sort(view.workers.begin(), view.workers.end(),
                     [](const WorkerInfo &a, const WorkerInfo &b) {
                         if (a.framework != b.framework)
                             return a.framework < b.framework;
                         if (a.host != b.host)
                             return a.host < b.host;
                         return a.name < b.name;
                     });
    for (const queues::StuckJob &job : scan.stuck) {
        if (all || (job.framework == queue.framework && job.prefix == queue.prefix &&
                    job.queue == queue.name))
            view.stuck.append(job);
    }
    for (const auto &[framework, why] : scan.unknown) {
        if (all || framework == queue.framework)
            view.notes.append(frameworks::label(framework) + QStringLiteral(": ") + why);
    }
    for (const monitor::QueueConsumers &entry : consumers) {
        if (entry.noConsumer && (all || entry.queue == queue))
            view.notes.append(noConsumerNote(entry, nowMs));
    }
    view.notes += scan.notes;
    return view;
}

QJsonObject workersToJson(const WorkersView &view)
{
    QJsonArray workers;
    for (const WorkerInfo &worker : view.workers) {
        QJsonArray queues;
        for (const QByteArray &queue : worker.queues)
            queues.append(QString::fromUtf8(queue));
        QJsonArray jobs;
        for (const queues::WorkerJob &job : worker.currentJobs)
            jobs.append(QJsonObject{{QStringLiteral("queue"), QString::fromUtf8(job.queue)},
                                    {QStringLiteral("id"), job.id}});
        QJsonObject object{
            {QStringLiteral("framework"), frameworkOf(worker.framework)},
            {QStringLiteral("id"), worker.id},
            {QStringLiteral("name"), text(worker.name)},
            {QStringLiteral("host"), text(worker.host)},
            {QStringLiteral("pid"), optional(worker.pid)},
            {QStringLiteral("queues"), queues},
            {QStringLiteral("state"), queues::workerStateName(worker.state)},
            {QStringLiteral("busy"), optional(worker.busy)},
            {QStringLiteral("concurrency"), optional(worker.concurrency)},
            {QStringLiteral("currentJobs"), jobs},
            {QStringLiteral("startedAt"), optional(worker.startedAtMs)},
            {QStringLiteral("lastSeenAt"), optional(worker.lastSeenAtMs)},
        };
        if (!worker.node.isEmpty()) // a Redis Cluster: the node its connection was listed on
            object.insert(QStringLiteral("node"), worker.node);
        workers.append(object);
    }
    QJsonArray stuck;
    for (const queues::StuckJob &job : view.stuck)
        stuck.append(QJsonObject{{QStringLiteral("framework"), frameworkOf(job.framework)},
                                 {QStringLiteral("queue"), QString::fromUtf8(job.queue)},
                                 {QStringLiteral("id"), job.id},
                                 {QStringLiteral("reason"), job.reason},
                                 {QStringLiteral("sinceMs"), optional(job.sinceMs)}});
    return {{QStringLiteral("workers"), workers},
            {QStringLiteral("stuck"), stuck},
            {QStringLiteral("notes"), QJsonArray::fromStringList(view.notes)}};
}

QString workersToText(const WorkersView &view, qint64 nowMs)
{
    QString text;
    if (view.workers.isEmpty())
        text += QStringLiteral("no workers found\n");
    for (const WorkerInfo &worker : view.workers) {
        QString busy = worker.busy ? QString::number(*worker.busy) : QStringLiteral("?");
        if (worker.concurrency)
            busy += QLatin1Char('/') + QString::number(*worker.concurrency);
        const QString seen =
            worker.lastSeenAtMs
                ? queues::roughDuration(nowMs - *worker.lastSeenAtMs) + QStringLiteral(" ago")
                : QStringLiteral("-");
        text += QStringLiteral("%1  %2  %3  %4  pid %5  queues %6  busy %7  seen %8")
                    .arg(frameworkOf(worker.framework).leftJustified(7),
                         queues::workerStateName(worker.state).leftJustified(9), field(worker.name),
                         field(worker.host.isEmpty() ? QStringLiteral("-") : worker.host),
                         worker.pid ? QString::number(*worker.pid) : QStringLiteral("-"),
                         queueList(worker.queues), busy, seen);
        if (!worker.detail.isEmpty())
            text += QStringLiteral("  (") + field(worker.detail) + QLatin1Char(')');
        text += QLatin1Char('\n');
        for (const queues::WorkerJob &job : worker.currentJobs)
            text += QStringLiteral("    %1 %2/%3 %4\n")
                        .arg(worker.state == queues::WorkerState::Offline ? QStringLiteral("had")
                                                                          : QStringLiteral("runs"),
                             frameworkOf(worker.framework), identifier(job.queue),
                             identifier(job.id.toUtf8()));
    }
    for (const queues::StuckJob &job : view.stuck) {
        text += QStringLiteral("stuck  %1/%2 %3  %4")
                    .arg(frameworkOf(job.framework), identifier(job.queue),
                         identifier(job.id.toUtf8()), job.reason);
        if (job.sinceMs)
            text += QStringLiteral(" (%1)").arg(queues::roughDuration(nowMs - *job.sinceMs));
        text += QStringLiteral(": ") + job.outcome + QLatin1Char('\n');
    }
    for (const QString &note : view.notes)
        text += QStringLiteral("note   ") + field(note) + QLatin1Char('\n');
    return text;
}

} // namespace qs::cli
