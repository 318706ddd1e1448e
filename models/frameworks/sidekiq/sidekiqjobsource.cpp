#include "sidekiqjobsource.h"

#include "core/checkedint64.h"

#include "queues/payloadformat.h"
#include "sidekiqjid.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace qs::jobs {

namespace {

using Kind = StateStore::Kind;
using Order = StateStore::Order;

QByteArray ns(const queues::QueueRef &queue)
{
    return queue.prefix.isEmpty() ? QByteArray() : queue.prefix + ':';
}

qint64 secondsToMs(const QJsonValue &value)
{
    return value.isDouble() ? core::millisOrUnknown(value.toDouble() * 1000.0) : -1;
}

} // namespace

QList<StateStore> SidekiqJobSource::stores(const queues::QueueRef &queue) const
{
    const QByteArray n = ns(queue);
    // Processors BRPOP the right end of queue:<name>; the sets hold every queue's jobs.
    StateStore scheduled{QStringLiteral("scheduled"), n + "schedule", Kind::ZSet, Order::Ascending};
    StateStore retries{QStringLiteral("retries"), n + "retry", Kind::ZSet, Order::Ascending};
    StateStore dead{QStringLiteral("dead"), n + "dead", Kind::ZSet, Order::Descending};
    scheduled.spansQueues = retries.spansQueues = dead.spansQueues = true;
    return {{QStringLiteral("enqueued"), n + "queue:" + queue.name, Kind::List, Order::TailFirst},
            scheduled,
            retries,
            dead};
}

void SidekiqJobSource::applyScore(JobSummary &job, const StateStore &store, double score) const
{
    if (store.state == QLatin1String("dead"))
        job.finishedMs = core::millisOrUnknown(score * 1000.0); // when it died
    else
        job.runAtMs = core::millisOrUnknown(score * 1000.0); // when it runs (again)
}

bool SidekiqJobSource::readPayload(JobSummary &job, const QByteArray &payload)
{
    const QJsonDocument doc = QJsonDocument::fromJson(payload);
    if (!doc.isObject())
        return false;
    const QJsonObject o = doc.object();
    job.id = o.value(QLatin1String("jid")).toString().toUtf8();
    // ActiveJob wraps the real class.
    job.name =
        o.value(QLatin1String("wrapped")).toString(o.value(QLatin1String("class")).toString());
    job.queue = o.value(QLatin1String("queue")).toString();
    job.createdMs = secondsToMs(o.value(QLatin1String("created_at")));
    if (o.contains(QLatin1String("retry_count")))
        job.attempts = o.value(QLatin1String("retry_count")).toInteger() + 1;
    const QString error = o.value(QLatin1String("error_message")).toString();
    if (!error.isEmpty())
        job.failedReason =
            o.value(QLatin1String("error_class")).toString() + QStringLiteral(": ") + error;
    if (job.finishedMs < 0)
        job.finishedMs = secondsToMs(o.value(QLatin1String("failed_at")));
    return true;
}

QList<redis::RedisCommand> SidekiqJobSource::summaryCommands(const JobPage &page) const
{
    Q_UNUSED(page); // the page's members are the payloads
    return {};
}

void SidekiqJobSource::readSummaries(JobPage &page, const QList<redis::RedisReply> &) const
{
    for (JobSummary &job : page.jobs) {
        job.handle = job.raw; // actions name the exact member
        if (!readPayload(job, job.raw)) {
            job.id = job.raw.left(40);
            job.failedReason = QStringLiteral("not a Sidekiq job payload (not a JSON object)");
        }
    }
}

QList<redis::RedisCommand> SidekiqJobSource::detailCommands(const queues::QueueRef &,
                                                            const JobSummary &) const
{
    return {}; // the payload came with the page
}

JobDetail SidekiqJobSource::readDetail(const queues::QueueRef &queue, const JobSummary &hint,
                                       const QList<redis::RedisReply> &) const
{
    JobDetail detail;
    detail.queue = queue;
    detail.summary = hint;
    const QJsonDocument doc = QJsonDocument::fromJson(hint.raw);
    detail.found = doc.isObject();
    if (!detail.found) {
        detail.sections.append({QStringLiteral("Payload"), hint.raw, classifyContent(hint.raw),
                                QStringLiteral("not a JSON object")});
        return detail;
    }
    readPayload(detail.summary, hint.raw);
    const QJsonObject o = doc.object();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QJsonValue v = it.value();
        detail.fields.append(
            {it.key(),
             v.isString()
                 ? v.toString().toUtf8()
                 : QJsonDocument(QJsonObject{{it.key(), v}}).toJson(QJsonDocument::Compact)});
    }
    auto json = [](const QJsonValue &value) {
        return value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                               : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    };
    detail.sections.append({QStringLiteral("Arguments"),
                            json(o.value(QLatin1String("args"))),
                            ContentFormat::Json,
                            {}});
    const QString error = detail.summary.failedReason;
    if (!error.isEmpty())
        detail.sections.append({QStringLiteral("Error"), error.toUtf8(), ContentFormat::Text, {}});
    const QJsonValue backtrace = o.value(QLatin1String("error_backtrace"));
    if (backtrace.isArray()) {
        QStringList lines;
        for (const QJsonValue &line : backtrace.toArray())
            lines << line.toString();
        detail.sections.append({QStringLiteral("Backtrace"),
                                lines.join(QLatin1Char('\n')).toUtf8(),
                                ContentFormat::Text,
                                {}});
    } else if (backtrace.isString()) {
        // Sidekiq 6 stores a compressed backtrace: base64(zlib(Marshal)), not readable here.
        detail.sections.append({QStringLiteral("Backtrace"), backtrace.toString().toUtf8(),
                                ContentFormat::Text,
                                QStringLiteral("compressed by Sidekiq (base64 of a zlib'd Ruby "
                                               "Marshal dump): not decoded")});
    }
    detail.sections.append({QStringLiteral("Payload"), hint.raw, ContentFormat::Json, {}});
    return detail;
}

QList<redis::RedisCommand> SidekiqJobSource::locateCommands(const queues::QueueRef &queue,
                                                            const QByteArray &id) const
{
    if (id.isEmpty())
        return {};
    // Sets: one bounded ZSCAN each for members that may hold the jid (compared exactly when the
    // reply is read). The queue list has no index: its first 10,000 entries are checked (enough
    // for a backlog an operator looks into).
    const QByteArray pattern = sidekiqJidPattern(id);
    QList<redis::RedisCommand> commands;
    for (const StateStore &store : stores(queue)) {
        if (store.kind == Kind::ZSet)
            commands.append({"ZSCAN", store.key, "0", "MATCH", pattern, "COUNT", "100000"});
        else
            commands.append({"LRANGE", store.key, "-10000", "-1"});
    }
    return commands;
}

std::optional<JobSummary>
SidekiqJobSource::readLocation(const queues::QueueRef &queue, const QByteArray &id,
                               const QList<redis::RedisReply> &replies) const
{
    const QList<StateStore> all = stores(queue);
    for (qsizetype i = 0; i < all.size() && i < replies.size(); ++i) {
        const QList<redis::RedisReply> members = all.at(i).kind == Kind::ZSet
                                                     ? replies.at(i).elements.value(1).elements
                                                     : replies.at(i).elements;
        const qsizetype step = all.at(i).kind == Kind::ZSet ? 2 : 1;
        for (qsizetype m = 0; m < members.size(); m += step) {
            if (sidekiqJidOf(members.at(m).string) != id)
                continue;
            JobSummary job;
            job.raw = members.at(m).string;
            job.handle = job.raw;
            job.state = all.at(i).state;
            if (step == 2)
                applyScore(job, all.at(i), members.value(m + 1).string.toDouble());
            readPayload(job, job.raw);
            return job;
        }
    }
    return std::nullopt;
}

} // namespace qs::jobs
