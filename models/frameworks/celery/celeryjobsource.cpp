#include "celeryjobsource.h"

#include "queues/payloadformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace qs::jobs {

namespace {

using Kind = StateStore::Kind;
using Order = StateStore::Order;

constexpr int scanCount = 1000;

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QByteArray compact(const QJsonValue &value)
{
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
}

// An unacked entry: [message, exchange, routing_key].
QJsonArray unackedEntry(const QByteArray &value)
{
    return QJsonDocument::fromJson(value).array();
}

} // namespace

QList<StateStore> CeleryJobSource::stores(const queues::QueueRef &queue) const
{
    // Workers BRPOP the right end of the queue list (then its priority sub-lists).
    return {{QStringLiteral("pending"), queue.prefix + queue.name, Kind::List, Order::TailFirst},
            {QStringLiteral("reserved"), queue.prefix + "unacked", Kind::Scan, Order::HeadFirst},
            {QStringLiteral("failure"), "celery-task-meta-*", Kind::Scan, Order::HeadFirst}};
}

QList<redis::RedisCommand> CeleryJobSource::pageCommands(const StateStore &store, qint64 offset,
                                                         int limit, const QByteArray &cursor,
                                                         qint64 nowMs) const
{
    const QByteArray from = cursor.isEmpty() ? QByteArrayLiteral("0") : cursor;
    if (store.state == QLatin1String("reserved"))
        return {{"HLEN", store.key},
                {"HSCAN", store.key, from, "COUNT", QByteArray::number(qMax(limit, 100))}};
    if (store.state == QLatin1String("failure"))
        return {{"DBSIZE"},
                {"SCAN", from, "MATCH", store.key, "COUNT", QByteArray::number(scanCount)}};
    return JobSource::pageCommands(store, offset, limit, cursor, nowMs);
}

JobPage CeleryJobSource::readPage(const queues::QueueRef &queue, const StateStore &store,
                                  qint64 offset, const QList<redis::RedisReply> &replies) const
{
    if (store.kind != Kind::Scan) {
        JobPage page = JobSource::readPage(queue, store, offset, replies);
        for (JobSummary &job : page.jobs)
            readMessage(job, job.raw);
        return page;
    }
    JobPage page;
    page.queue = queue;
    page.state = store.state;
    page.offset = offset;
    const redis::RedisReply scan = replies.value(1);
    if (scan.isError() || scan.elements.size() != 2) {
        page.error =
            QStringLiteral("cannot list %1: %2").arg(store.state, QString::fromUtf8(scan.string));
        return page;
    }
    page.nextCursor = scan.elements.at(0).string;
    const QList<redis::RedisReply> &items = scan.elements.at(1).elements;
    if (store.state == QLatin1String("reserved")) {
        page.note = QStringLiteral("reserved = received by a worker and not acknowledged yet "
                                   "(prefetched, or held for an ETA/countdown)");
        for (qsizetype i = 0; i + 1 < items.size(); i += 2) {
            const QJsonArray entry = unackedEntry(items.at(i + 1).string);
            if (entry.at(2).toString().toUtf8() != queue.name)
                continue; // another queue's delivery (unacked is server-wide)
            JobSummary job;
            job.state = store.state;
            job.raw = items.at(i + 1).string;
            readMessage(job, compact(entry.at(0))); // the message is an object in the triple
            job.handle = items.at(i).string;        // the delivery tag
            page.jobs.append(job);
        }
        return page;
    }
    page.note = QStringLiteral("Celery keeps no failed index: results are found by SCAN, a "
                               "bounded part of the keyspace per page");
    for (const redis::RedisReply &key : items) {
        JobSummary job;
        job.state = store.state;
        job.id = key.string.mid(qsizetype(sizeof("celery-task-meta-") - 1));
        page.jobs.append(job);
    }
    return page;
}

QList<redis::RedisCommand> CeleryJobSource::summaryCommands(const JobPage &page) const
{
    if (page.state != QLatin1String("failure") || page.jobs.isEmpty())
        return {};
    redis::RedisCommand mget{"MGET"};
    for (const JobSummary &job : page.jobs)
        mget.append(resultKey(job.id));
    return {mget};
}

void CeleryJobSource::readSummaries(JobPage &page, const QList<redis::RedisReply> &replies) const
{
    if (page.state != QLatin1String("failure"))
        return;
    const QList<redis::RedisReply> values = replies.value(0).elements;
    QList<JobSummary> failures;
    for (qsizetype i = 0; i < page.jobs.size() && i < values.size(); ++i) {
        JobSummary job = page.jobs.at(i);
        job.raw = values.at(i).string;
        if (!readResult(job, job.raw) || job.state != QLatin1String("FAILURE"))
            continue;
        // result_extended stores the queue; without it a failure cannot be placed: show it.
        if (!job.queue.isEmpty() && job.queue.toUtf8() != page.queue.name)
            continue;
        job.state = page.state;
        failures.append(job);
    }
    page.jobs = failures;
}

bool CeleryJobSource::readMessage(JobSummary &job, const QByteArray &message)
{
    const QJsonObject envelope = object(message);
    const QJsonObject headers = envelope.value(QLatin1String("headers")).toObject();
    if (headers.isEmpty())
        return false;
    job.id = headers.value(QLatin1String("id")).toString().toUtf8();
    job.name = headers.value(QLatin1String("task")).toString();
    job.attempts = headers.value(QLatin1String("retries")).toInteger(0) + 1;
    job.runAtMs = millisFromIso(headers.value(QLatin1String("eta")).toString().toUtf8());
    const QJsonObject properties = envelope.value(QLatin1String("properties")).toObject();
    if (properties.contains(QLatin1String("priority")))
        job.priority = properties.value(QLatin1String("priority")).toInteger();
    return true;
}

bool CeleryJobSource::readResult(JobSummary &job, const QByteArray &meta)
{
    const QJsonObject result = object(meta);
    if (result.isEmpty())
        return false;
    job.id = result.value(QLatin1String("task_id")).toString().toUtf8();
    job.name = result.value(QLatin1String("name")).toString();
    job.state = result.value(QLatin1String("status")).toString();
    job.queue = result.value(QLatin1String("queue")).toString();
    job.finishedMs = millisFromIso(result.value(QLatin1String("date_done")).toString().toUtf8());
    if (result.contains(QLatin1String("retries")))
        job.attempts = result.value(QLatin1String("retries")).toInteger() + 1;
    const QJsonObject error = result.value(QLatin1String("result")).toObject();
    if (!error.isEmpty())
        job.failedReason = error.value(QLatin1String("exc_type")).toString() +
                           QStringLiteral(": ") +
                           compact(error.value(QLatin1String("exc_message")));
    return true;
}

QList<redis::RedisCommand> CeleryJobSource::detailCommands(const queues::QueueRef &,
                                                           const JobSummary &hint) const
{
    return {{"GET", resultKey(hint.id)}};
}

JobDetail CeleryJobSource::readDetail(const queues::QueueRef &queue, const JobSummary &hint,
                                      const QList<redis::RedisReply> &replies) const
{
    JobDetail detail;
    detail.queue = queue;
    detail.summary = hint;
    auto add = [&detail](const QString &title, const QByteArray &content,
                         const QString &note = {}) {
        if (!content.isEmpty() && content != "null")
            detail.sections.append({title, content, classifyContent(content), note});
    };
    // A pending or reserved message: its envelope; the body holds [args, kwargs, embed].
    QByteArray message = hint.raw;
    if (hint.state == QLatin1String("reserved"))
        message = compact(unackedEntry(hint.raw).at(0));
    const QJsonObject envelope = object(message);
    if (!envelope.isEmpty()) {
        detail.found = true;
        const QByteArray body =
            QByteArray::fromBase64(envelope.value(QLatin1String("body")).toString().toUtf8());
        const QJsonArray parts = QJsonDocument::fromJson(body).array();
        add(QStringLiteral("Arguments"), compact(parts.at(0)));
        add(QStringLiteral("Keyword arguments"), compact(parts.at(1)));
        add(QStringLiteral("Headers"), compact(envelope.value(QLatin1String("headers"))));
        add(QStringLiteral("Properties"), compact(envelope.value(QLatin1String("properties"))));
        add(QStringLiteral("Message"), message);
    }
    // Its result, if one was stored (always for a failure; for a message: an earlier run).
    const QByteArray meta = replies.value(0).string;
    const QJsonObject result = object(meta);
    if (!result.isEmpty()) {
        detail.found = true;
        JobSummary fromResult = detail.summary;
        readResult(fromResult, meta);
        if (hint.state == QLatin1String("failure"))
            detail.summary = fromResult;
        detail.summary.failedReason = fromResult.failedReason;
        add(QStringLiteral("Status"), result.value(QLatin1String("status")).toString().toUtf8());
        add(QStringLiteral("Arguments"), compact(result.value(QLatin1String("args"))),
            QStringLiteral("stored with the result (result_extended)"));
        add(QStringLiteral("Keyword arguments"), compact(result.value(QLatin1String("kwargs"))));
        add(QStringLiteral("Result"), compact(result.value(QLatin1String("result"))));
        add(QStringLiteral("Traceback"),
            result.value(QLatin1String("traceback")).toString().toUtf8());
        add(QStringLiteral("Stored result"), meta);
    }
    for (const DetailSection &section : detail.sections)
        detail.fields.append({section.title, section.content});
    if (!detail.found)
        detail.error =
            QStringLiteral("no message and no result for task %1").arg(QString::fromUtf8(hint.id));
    return detail;
}

QList<redis::RedisCommand> CeleryJobSource::locateCommands(const queues::QueueRef &,
                                                           const QByteArray &id) const
{
    return {{"GET", resultKey(id)}};
}

std::optional<JobSummary>
CeleryJobSource::readLocation(const queues::QueueRef &queue, const QByteArray &id,
                              const QList<redis::RedisReply> &replies) const
{
    Q_UNUSED(queue);
    JobSummary job;
    if (!readResult(job, replies.value(0).string))
        return std::nullopt; // pending messages have no index by id
    job.id = id;
    job.raw = replies.value(0).string;
    job.state =
        job.state == QLatin1String("FAILURE") ? QStringLiteral("failure") : job.state.toLower();
    return job;
}

} // namespace qs::jobs
