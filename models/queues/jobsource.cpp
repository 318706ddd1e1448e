#include "jobsource.h"

#include <algorithm>

namespace qs::jobs {

QList<redis::RedisCommand> JobSource::pageCommands(const StateStore &store, qint64 offset,
                                                   int limit, const QByteArray &cursor,
                                                   qint64 nowMs) const
{
    Q_UNUSED(cursor);
    const QByteArray first = QByteArray::number(offset);
    const QByteArray last = QByteArray::number(offset + limit - 1);
    switch (store.kind) {
    case StateStore::Kind::List:
        if (store.order == StateStore::Order::TailFirst)
            return {{"LLEN", store.key},
                    {"LRANGE", store.key, QByteArray::number(-(offset + limit)),
                     QByteArray::number(-(offset + 1))}};
        return {{"LLEN", store.key}, {"LRANGE", store.key, first, last}};
    case StateStore::Kind::ZSet:
        if (store.liveOnly) {
            // Scored by expiry (whole seconds): entries scored after now are alive.
            const QByteArray now = '(' + QByteArray::number(nowMs / 1000);
            return {{"ZCOUNT", store.key, now, "+inf"},
                    {"ZREVRANGEBYSCORE", store.key, "+inf", now, "WITHSCORES", "LIMIT", first,
                     QByteArray::number(limit)}};
        }
        return {{"ZCARD", store.key},
                {store.order == StateStore::Order::Ascending ? QByteArrayLiteral("ZRANGE")
                                                             : QByteArrayLiteral("ZREVRANGE"),
                 store.key, first, last, "WITHSCORES"}};
    case StateStore::Kind::Scan:
        return {};
    }
    return {};
}

JobPage JobSource::readPage(const queues::QueueRef &queue, const StateStore &store, qint64 offset,
                            const QList<redis::RedisReply> &replies) const
{
    JobPage page;
    page.queue = queue;
    page.state = store.state;
    page.offset = offset;
    if (replies.size() != 2 || replies.at(0).isError() || replies.at(1).isError() ||
        !replies.at(1).isArray()) {
        const redis::RedisReply &bad =
            replies.value(replies.value(0).isError() ? 0 : 1, redis::RedisReply::error("no reply"));
        page.error =
            QStringLiteral("cannot list %1: %2").arg(store.state, QString::fromUtf8(bad.string));
        return page;
    }
    page.total = replies.at(0).toInteger(-1);
    const QList<redis::RedisReply> &elements = replies.at(1).elements;
    const bool withScores = store.kind == StateStore::Kind::ZSet;
    const qsizetype step = withScores ? 2 : 1;
    for (qsizetype i = 0; i + step - 1 < elements.size(); i += step) {
        JobSummary job;
        job.id = elements.at(i).string;
        job.raw = job.id;
        job.state = store.state;
        if (withScores)
            applyScore(job, store, elements.at(i + 1).string.toDouble());
        page.jobs.append(job);
    }
    if (store.kind == StateStore::Kind::List && store.order == StateStore::Order::TailFirst)
        std::reverse(page.jobs.begin(), page.jobs.end());
    if (store.liveOnly)
        page.note = QStringLiteral("scores are expiry times: only entries that have not expired "
                                   "are listed");
    return page;
}

std::optional<StateStore> JobSource::store(const queues::QueueRef &queue,
                                           const QString &state) const
{
    for (const StateStore &candidate : stores(queue)) {
        if (candidate.state == state)
            return candidate;
    }
    return std::nullopt;
}

QList<redis::RedisCommand> JobSource::storeLookups(const queues::QueueRef &queue,
                                                   const QByteArray &id) const
{
    QList<redis::RedisCommand> commands;
    for (const StateStore &candidate : stores(queue)) {
        if (candidate.kind == StateStore::Kind::ZSet)
            commands.append({"ZSCORE", candidate.key, id});
        else if (candidate.kind == StateStore::Kind::List)
            commands.append({"LPOS", candidate.key, id});
    }
    return commands;
}

JobSummary JobSource::jobFromLookups(const queues::QueueRef &queue, const QByteArray &id,
                                     const QList<redis::RedisReply> &replies, qsizetype first) const
{
    JobSummary job;
    job.id = id;
    job.raw = id;
    qsizetype at = first;
    for (const StateStore &candidate : stores(queue)) {
        if (candidate.kind == StateStore::Kind::Scan)
            continue;
        const redis::RedisReply &reply = replies.value(at++, redis::RedisReply{});
        if (!reply.isNil() && !reply.isError()) {
            job.state = candidate.state;
            break;
        }
    }
    return job;
}

QStringList JobSource::stateNames(const queues::QueueRef &queue) const
{
    QStringList names;
    for (const StateStore &candidate : stores(queue))
        names << candidate.state;
    return names;
}

bool readJobHash(JobDetail &detail, const queues::QueueRef &queue, const JobSummary &hint,
                 const QList<redis::RedisReply> &replies, qsizetype expectedReplies,
                 const QString &missing)
{
    detail.queue = queue;
    detail.summary = hint;
    if (replies.size() != expectedReplies || replies.at(0).isError()) {
        detail.error = QString::fromUtf8(replies.value(0).string);
        return false;
    }
    const QList<redis::RedisReply> &hash = replies.at(0).elements;
    for (qsizetype i = 0; i + 1 < hash.size(); i += 2)
        detail.fields.append({QString::fromUtf8(hash.at(i).string), hash.at(i + 1).string});
    detail.found = !detail.fields.isEmpty();
    if (!detail.found)
        detail.error = missing.arg(QString::fromUtf8(hint.id));
    return detail.found;
}

} // namespace qs::jobs
