#include "bulljobsource.h"

#include "core/checkedint64.h"

#include "queues/payloadformat.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace qs::jobs {

namespace {

using Kind = StateStore::Kind;
using Order = StateStore::Order;

QByteArray key(const queues::QueueRef &queue, QByteArrayView suffix)
{
    return queue.prefix + ':' + queue.name + ':' + suffix.toByteArray();
}

QByteArray jobKey(const queues::QueueRef &queue, const QByteArray &id)
{
    return queue.prefix + ':' + queue.name + ':' + id;
}

// The HMGET of a page row, in this order.
const QList<QByteArray> summaryFields = {"name",     "timestamp",    "processedOn",  "finishedOn",
                                         "atm",      "attemptsMade", "failedReason", "progress",
                                         "priority", "delay"};

qint64 number(const redis::RedisReply &reply)
{
    return reply.isNil() ? -1 : millisFromNumber(reply.string, false);
}

constexpr int maxLogLines = 100;
constexpr int maxChildren = 100;

} // namespace

BullJobSource::BullJobSource(bool bullmq)
    : m_bullmq(bullmq)
{
}

QList<StateStore> BullJobSource::stores(const queues::QueueRef &queue) const
{
    // Workers pop wait from the right (RPOPLPUSH / BRPOPLPUSH) and LPUSH onto active.
    QList<StateStore> list = {
        {QStringLiteral("waiting"), key(queue, "wait"), Kind::List, Order::TailFirst},
        {QStringLiteral("paused"), key(queue, "paused"), Kind::List, Order::TailFirst},
        {QStringLiteral("active"), key(queue, "active"), Kind::List, Order::HeadFirst},
        {QStringLiteral("delayed"), key(queue, "delayed"), Kind::ZSet, Order::Ascending},
        {QStringLiteral("completed"), key(queue, "completed"), Kind::ZSet, Order::Descending},
        {QStringLiteral("failed"), key(queue, "failed"), Kind::ZSet, Order::Descending},
    };
    if (m_bullmq) {
        list.insert(3, {QStringLiteral("prioritized"), key(queue, "prioritized"), Kind::ZSet,
                        Order::Ascending});
        list.append({QStringLiteral("waiting-children"), key(queue, "waiting-children"), Kind::ZSet,
                     Order::Ascending});
    }
    return list;
}

void BullJobSource::applyScore(JobSummary &job, const StateStore &store, double score) const
{
    if (store.state == QLatin1String("delayed"))
        job.runAtMs = core::millisOrUnknown(score / 4096.0); // runAt * 4096 + sequence
    else if (store.state == QLatin1String("completed") || store.state == QLatin1String("failed"))
        job.finishedMs = core::millisOrUnknown(score);
    else if (store.state == QLatin1String("prioritized")) // priority * 2^32 + counter
        job.priority = core::checkedInt64(std::floor(score / 4294967296.0)).value_or(-1);
}

QList<redis::RedisCommand> BullJobSource::summaryCommands(const JobPage &page) const
{
    QList<redis::RedisCommand> commands;
    commands.reserve(page.jobs.size());
    for (const JobSummary &job : page.jobs)
        commands.append(redis::RedisCommand{"HMGET", jobKey(page.queue, job.id)} + summaryFields);
    return commands;
}

void BullJobSource::readSummaries(JobPage &page, const QList<redis::RedisReply> &replies) const
{
    for (qsizetype i = 0; i < page.jobs.size() && i < replies.size(); ++i) {
        JobSummary &job = page.jobs[i];
        const QList<redis::RedisReply> &f = replies.at(i).elements;
        if (replies.at(i).isError() || f.size() != summaryFields.size()) {
            job.failedReason = QString::fromUtf8(replies.at(i).string);
            continue;
        }
        job.missing =
            std::all_of(f.cbegin(), f.cend(), [](const redis::RedisReply &r) { return r.isNil(); });
        job.name = QString::fromUtf8(f.at(0).string);
        job.createdMs = number(f.at(1));
        job.processedMs = number(f.at(2));
        if (job.finishedMs < 0)
            job.finishedMs = number(f.at(3));
        job.attempts = !f.at(4).isNil() ? f.at(4).toInteger(-1) : number(f.at(5));
        job.failedReason = QString::fromUtf8(f.at(6).string);
        job.progress = QString::fromUtf8(f.at(7).string);
        if (job.priority < 0 && !f.at(8).isNil())
            job.priority = f.at(8).toInteger(-1);
        const qint64 delay = number(f.at(9));
        if (job.runAtMs < 0 && delay > 0 && job.createdMs > 0)
            job.runAtMs = job.createdMs + delay;
    }
}

QList<redis::RedisCommand> BullJobSource::detailCommands(const queues::QueueRef &queue,
                                                         const JobSummary &hint) const
{
    const QByteArray job = jobKey(queue, hint.id);
    return {
        {"HGETALL", job},
        {"LLEN", job + ":logs"},
        {"LRANGE", job + ":logs", QByteArray::number(-maxLogLines), "-1"},
        {"SCARD", job + ":dependencies"},
        {"SRANDMEMBER", job + ":dependencies", QByteArray::number(maxChildren)},
        {"HLEN", job + ":processed"},
        {"HSCAN", job + ":processed", "0", "COUNT", QByteArray::number(maxChildren)},
    };
}

JobDetail BullJobSource::readDetail(const queues::QueueRef &queue, const JobSummary &hint,
                                    const QList<redis::RedisReply> &replies) const
{
    JobDetail detail;
    if (!readJobHash(detail, queue, hint, replies, 7,
                     QStringLiteral("job %1 has no data (removed, or a dangling id)")))
        return detail;
    auto field = [&detail](const char *name) {
        for (const auto &entry : detail.fields) {
            if (entry.first == QLatin1String(name))
                return entry.second;
        }
        return QByteArray();
    };
    auto addSection = [&detail](const QString &title, const QByteArray &content,
                                const QString &note = {}) {
        if (!content.isEmpty())
            detail.sections.append({title, content, classifyContent(content), note});
    };
    JobSummary &s = detail.summary;
    s.name = QString::fromUtf8(field("name"));
    s.createdMs = millisFromNumber(field("timestamp"), false);
    s.processedMs = millisFromNumber(field("processedOn"), false);
    s.finishedMs = millisFromNumber(field("finishedOn"), false);
    const QByteArray atm = field("atm").isEmpty() ? field("attemptsMade") : field("atm");
    s.attempts = atm.isEmpty() ? -1 : atm.toLongLong();
    s.failedReason = QString::fromUtf8(field("failedReason"));
    s.progress = QString::fromUtf8(field("progress"));
    if (!field("priority").isEmpty())
        s.priority = field("priority").toLongLong();

    addSection(QStringLiteral("Data"), field("data"));
    addSection(QStringLiteral("Options"), field("opts"));
    addSection(QStringLiteral("Return value"), field("returnvalue"));
    addSection(QStringLiteral("Failed reason"), field("failedReason"));
    // One entry per failed attempt, oldest first (capped by stackTraceLimit).
    const QJsonArray traces = QJsonDocument::fromJson(field("stacktrace")).array();
    for (qsizetype i = 0; i < traces.size(); ++i) {
        const qint64 attempt = s.attempts > 0 ? s.attempts - traces.size() + i + 1 : i + 1;
        addSection(QStringLiteral("Stack trace (attempt %1)").arg(attempt),
                   traces.at(i).toString().toUtf8());
    }
    addSection(QStringLiteral("Progress"), field("progress"));
    const qint64 logCount = replies.at(1).toInteger();
    QByteArrayList lines;
    for (const redis::RedisReply &line : replies.at(2).elements)
        lines.append(line.string);
    addSection(QStringLiteral("Logs"), lines.join('\n'),
               logCount > lines.size()
                   ? QStringLiteral("the last %1 of %2 lines").arg(lines.size()).arg(logCount)
                   : QString());
    addSection(QStringLiteral("Parent"),
               field("parent").isEmpty() ? field("parentKey") : field("parent"));
    QByteArrayList children;
    for (const redis::RedisReply &child : replies.at(4).elements)
        children.append(child.string);
    const qint64 pending = replies.at(3).toInteger();
    addSection(QStringLiteral("Children pending"), children.join('\n'),
               pending > children.size()
                   ? QStringLiteral("%1 of %2 shown").arg(children.size()).arg(pending)
                   : QString());
    const QList<redis::RedisReply> processed = replies.at(6).elements.value(1).elements;
    QByteArrayList done;
    for (qsizetype i = 0; i + 1 < processed.size(); i += 2)
        done.append(processed.at(i).string + " → " + processed.at(i + 1).string);
    const qint64 doneCount = replies.at(5).toInteger();
    addSection(QStringLiteral("Children processed"), done.join('\n'),
               doneCount > done.size()
                   ? QStringLiteral("%1 of %2 shown").arg(done.size()).arg(doneCount)
                   : QString());
    return detail;
}

QList<redis::RedisCommand> BullJobSource::locateCommands(const queues::QueueRef &queue,
                                                         const QByteArray &id) const
{
    return QList<redis::RedisCommand>{{"EXISTS", jobKey(queue, id)}} + storeLookups(queue, id);
}

std::optional<JobSummary> BullJobSource::readLocation(const queues::QueueRef &queue,
                                                      const QByteArray &id,
                                                      const QList<redis::RedisReply> &replies) const
{
    JobSummary job = jobFromLookups(queue, id, replies, 1);
    if (!job.state.isEmpty())
        return job;
    // In no state we could check (or LPOS unknown on Redis < 6.0.6): a job if its hash exists.
    if (replies.value(0).toInteger() <= 0)
        return std::nullopt;
    job.state = QStringLiteral("unknown");
    return job;
}

} // namespace qs::jobs
