#include "rqjobsource.h"

#include "core/checkedint64.h"

#include "queues/payloadformat.h"

namespace qs::jobs {

namespace {

using Kind = StateStore::Kind;
using Order = StateStore::Order;

const QList<QByteArray> summaryFields = {"description", "status",   "created_at", "enqueued_at",
                                         "started_at",  "ended_at", "origin",     "retries_left"};
constexpr int maxResults = 10;

QByteArray jobKey(const QByteArray &id)
{
    return "rq:job:" + id;
}

// The traceback of a failed run in rq:results:<id>: exc_string = base64(zlib(text)).
QByteArray tracebackOf(const QList<redis::RedisReply> &entryFields)
{
    for (qsizetype i = 0; i + 1 < entryFields.size(); i += 2) {
        if (entryFields.at(i).string == "exc_string") {
            const QByteArray packed = QByteArray::fromBase64(entryFields.at(i + 1).string);
            return inflateZlib(packed).value_or(packed);
        }
    }
    return {};
}

QByteArray fieldOf(const QList<redis::RedisReply> &fields, const QByteArray &name)
{
    for (qsizetype i = 0; i + 1 < fields.size(); i += 2) {
        if (fields.at(i).string == name)
            return fields.at(i + 1).string;
    }
    return {};
}

QString lastLine(const QByteArray &text)
{
    const QList<QByteArray> lines = text.trimmed().split('\n');
    return QString::fromUtf8(lines.isEmpty() ? QByteArray() : lines.last().trimmed());
}

} // namespace

QList<StateStore> RqJobSource::stores(const queues::QueueRef &queue) const
{
    const QByteArray &q = queue.name;
    // Workers BLPOP the queue's left end; registries list the newest (latest expiry) first.
    StateStore started{QStringLiteral("started"), "rq:wip:" + q, Kind::ZSet, Order::Descending};
    started.liveOnly = true;
    StateStore finished{QStringLiteral("finished"), "rq:finished:" + q, Kind::ZSet,
                        Order::Descending};
    finished.liveOnly = true;
    StateStore failed{QStringLiteral("failed"), "rq:failed:" + q, Kind::ZSet, Order::Descending};
    failed.liveOnly = true;
    return {
        {QStringLiteral("queued"), "rq:queue:" + q, Kind::List, Order::HeadFirst},
        started,
        {QStringLiteral("deferred"), "rq:deferred:" + q, Kind::ZSet, Order::Ascending},
        {QStringLiteral("scheduled"), "rq:scheduled:" + q, Kind::ZSet, Order::Ascending},
        finished,
        failed,
        {QStringLiteral("canceled"), "rq:canceled:" + q, Kind::ZSet, Order::Descending},
    };
}

void RqJobSource::applyScore(JobSummary &job, const StateStore &store, double score) const
{
    if (store.state == QLatin1String("scheduled"))
        job.runAtMs = core::millisOrUnknown(score * 1000.0);
}

QList<redis::RedisCommand> RqJobSource::summaryCommands(const JobPage &page) const
{
    QList<redis::RedisCommand> commands;
    const bool failed = page.state == QLatin1String("failed");
    for (const JobSummary &job : page.jobs) {
        commands.append(redis::RedisCommand{"HMGET", jobKey(job.id)} + summaryFields);
        if (failed) // the reason is the last line of the latest run's traceback
            commands.append({"XREVRANGE", "rq:results:" + job.id, "+", "-", "COUNT", "1"});
    }
    return commands;
}

void RqJobSource::readSummaries(JobPage &page, const QList<redis::RedisReply> &replies) const
{
    const bool failed = page.state == QLatin1String("failed");
    const qsizetype step = failed ? 2 : 1;
    for (qsizetype i = 0; i < page.jobs.size() && (i + 1) * step <= replies.size(); ++i) {
        JobSummary &job = page.jobs[i];
        const QList<redis::RedisReply> &f = replies.at(i * step).elements;
        if (f.size() != summaryFields.size())
            continue;
        job.missing =
            std::all_of(f.cbegin(), f.cend(), [](const redis::RedisReply &r) { return r.isNil(); });
        job.name = QString::fromUtf8(f.at(0).string);
        job.createdMs = millisFromIso(f.at(2).string);
        job.processedMs = millisFromIso(f.at(4).string);
        job.finishedMs = millisFromIso(f.at(5).string);
        job.queue = QString::fromUtf8(f.at(6).string);
        if (failed) {
            const QList<redis::RedisReply> entries = replies.at(i * 2 + 1).elements;
            if (!entries.isEmpty())
                job.failedReason =
                    lastLine(tracebackOf(entries.first().elements.value(1).elements));
        }
    }
}

QList<redis::RedisCommand> RqJobSource::detailCommands(const queues::QueueRef &queue,
                                                       const JobSummary &hint) const
{
    Q_UNUSED(queue);
    return {
        {"HGETALL", jobKey(hint.id)},
        {"XREVRANGE", "rq:results:" + hint.id, "+", "-", "COUNT", QByteArray::number(maxResults)},
        {"SCARD", jobKey(hint.id) + ":dependents"},
        {"SRANDMEMBER", jobKey(hint.id) + ":dependents", "100"}};
}

JobDetail RqJobSource::readDetail(const queues::QueueRef &queue, const JobSummary &hint,
                                  const QList<redis::RedisReply> &replies) const
{
    JobDetail detail;
    if (!readJobHash(detail, queue, hint, replies, 4,
                     QStringLiteral("job %1 has no data (expired, deleted, or a dangling id)")))
        return detail;
    const QList<redis::RedisReply> &hash = replies.at(0).elements;
    const QByteArray description = fieldOf(hash, "description");
    JobSummary &s = detail.summary;
    s.name = QString::fromUtf8(description);
    s.createdMs = millisFromIso(fieldOf(hash, "created_at"));
    s.processedMs = millisFromIso(fieldOf(hash, "started_at"));
    s.finishedMs = millisFromIso(fieldOf(hash, "ended_at"));
    s.queue = QString::fromUtf8(fieldOf(hash, "origin"));
    if (s.state.isEmpty())
        s.state = QString::fromUtf8(fieldOf(hash, "status"));
    auto add = [&detail](const QString &title, const QByteArray &content, ContentFormat format,
                         const QString &note = {}) {
        if (!content.isEmpty())
            detail.sections.append({title, content, format, note});
    };
    add(QStringLiteral("Call"), description, ContentFormat::Text);
    const QByteArray data = fieldOf(hash, "data");
    add(QStringLiteral("Data"), data, ContentFormat::Pickle,
        QStringLiteral("a zlib-compressed Python pickle (%1) of the function and its arguments; "
                       "QueueScope does not unpickle it (unpickling runs code). The call above "
                       "is RQ's own readable description.")
            .arg(byteSize(data.size())));
    if (const QByteArray exc = fieldOf(hash, "exc_info"); !exc.isEmpty()) {
        bool capped = false;
        const std::optional<QByteArray> text = inflateZlib(exc, maxInflatedBytes, &capped);
        add(QStringLiteral("Exception"), text.value_or(exc),
            text ? classifyContent(*text) : ContentFormat::Binary,
            capped ? QStringLiteral("inflates to more than %1: the start is shown")
                         .arg(byteSize(maxInflatedBytes))
                   : QString());
    }
    const QByteArray meta = fieldOf(hash, "meta");
    add(QStringLiteral("Meta"), meta, ContentFormat::Pickle,
        QStringLiteral("a Python pickle (%1): not decoded").arg(byteSize(meta.size())));
    // rq:results:<id>: one entry per run, newest first: 1 = successful, 2 = failed, 3 = stopped.
    for (const redis::RedisReply &entry : replies.at(1).elements) {
        const QList<redis::RedisReply> fields = entry.elements.value(1).elements;
        const QByteArray type = fieldOf(fields, "type");
        const QString when = QString::fromUtf8(fieldOf(fields, "created_at"));
        if (type == "2") {
            const QByteArray traceback = tracebackOf(fields);
            if (s.failedReason.isEmpty())
                s.failedReason = lastLine(traceback);
            add(QStringLiteral("Failed run %1").arg(when), traceback, ContentFormat::Text);
        } else if (type == "1") {
            add(QStringLiteral("Successful run %1").arg(when),
                QByteArray::fromBase64(fieldOf(fields, "return_value")), ContentFormat::Pickle,
                QStringLiteral("the return value, pickled: not decoded"));
        } else if (type == "3") {
            add(QStringLiteral("Stopped run %1").arg(when), "stopped", ContentFormat::Text);
        }
    }
    QByteArrayList dependents;
    for (const redis::RedisReply &member : replies.at(3).elements)
        dependents.append(member.string);
    add(QStringLiteral("Dependents"), dependents.join('\n'), ContentFormat::Text,
        replies.at(2).toInteger() > dependents.size()
            ? QStringLiteral("%1 of %2 shown").arg(dependents.size()).arg(replies.at(2).toInteger())
            : QString());
    return detail;
}

QList<redis::RedisCommand> RqJobSource::locateCommands(const queues::QueueRef &queue,
                                                       const QByteArray &id) const
{
    return QList<redis::RedisCommand>{{"HGET", jobKey(id), "status"}} + storeLookups(queue, id);
}

std::optional<JobSummary> RqJobSource::readLocation(const queues::QueueRef &queue,
                                                    const QByteArray &id,
                                                    const QList<redis::RedisReply> &replies) const
{
    JobSummary job = jobFromLookups(queue, id, replies, 1);
    if (!job.state.isEmpty())
        return job;
    if (replies.value(0).isNil() || replies.value(0).isError())
        return std::nullopt;
    job.state = QString::fromUtf8(replies.value(0).string); // RQ's own status field
    return job;
}

} // namespace qs::jobs
