#include "sidekiqfeed.h"

#include "queues/jsonedit.h"
#include "sidekiqjid.h"

#include "redis/redisconnection.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <utility>

namespace qs::jobs {

SidekiqFeed::SidekiqFeed(const ActionRequest &request, QByteArray state, bool moves, int limit,
                         qint64 nowMs)
    : m_request(request)
    , m_state(std::move(state))
    , m_moves(moves)
    , m_limit(qMax(1, limit))
    , m_nowMs(nowMs)
{
}

QByteArray SidekiqFeed::setKey() const
{
    const QByteArray ns =
        m_request.queue.prefix.isEmpty() ? QByteArray() : m_request.queue.prefix + ':';
    if (m_state == "queue")
        return ns + "queue:" + m_request.queue.name;
    return ns + m_state;
}

QByteArray SidekiqFeed::queueOf(const QByteArray &member)
{
    const QByteArray raw = jsonedit::topLevelValue(member, "queue").value_or(QByteArray());
    return QJsonDocument::fromJson('[' + raw + ']').array().at(0).toString().toUtf8();
}

std::optional<QByteArray> SidekiqFeed::pushedPayload(const QByteArray &member,
                                                     const QByteArray &state, qint64 nowMs)
{
    std::optional<QByteArray> payload = member;
    if (state == "retry" || state == "dead") {
        // "Retry now" does not use up an attempt: Sidekiq decrements retry_count first.
        if (const auto count = jsonedit::topLevelValue(member, "retry_count")) {
            bool ok = false;
            const qint64 n = count->toLongLong(&ok);
            if (ok)
                payload =
                    jsonedit::setTopLevelValue(*payload, "retry_count", QByteArray::number(n - 1));
        }
    }
    if (!payload)
        return std::nullopt;
    return jsonedit::setTopLevelValue(*payload, "enqueued_at",
                                      QByteArray::number(double(nowMs) / 1000.0, 'f', 3));
}

FeedBatch SidekiqFeed::batchOf(const QList<QByteArray> &members)
{
    FeedBatch batch;
    for (const QByteArray &member : members) {
        if (!m_moves) {
            batch.items.append(member);
            batch.jobs += 1;
            continue;
        }
        const QByteArray queue = queueOf(member);
        const std::optional<QByteArray> payload = pushedPayload(member, m_state, m_nowMs);
        if (queue.isEmpty() || !payload) {
            batch.rejected.append(
                {sidekiqJidOf(member).isEmpty() ? member.left(40) : sidekiqJidOf(member),
                 QStringLiteral("not a Sidekiq job payload with a queue")});
            continue;
        }
        batch.items << member << queue << *payload;
        batch.jobs += 1;
    }
    return batch;
}

void SidekiqFeed::next(redis::RedisConnection *connection, QObject *context, Deliver deliver)
{
    if (m_request.all) {
        readPage(connection, context, std::move(deliver));
        return;
    }
    if (!m_resolved) {
        resolveIds(connection, context, std::move(deliver));
        return;
    }
    FeedBatch batch = batchOf(m_members.mid(m_next, m_limit));
    m_next = qMin(m_next + m_limit, m_members.size());
    batch.rejected += std::exchange(m_unresolved, {}); // ids no member was found for
    batch.finished = batch.jobs == 0 && batch.rejected.isEmpty();
    deliver(batch);
}

void SidekiqFeed::resolveIds(redis::RedisConnection *connection, QObject *context, Deliver deliver)
{
    m_resolved = true;
    QList<QByteArray> wanted;
    QList<redis::RedisCommand> lookups;
    for (const QByteArray &id : m_request.ids) {
        if (id.startsWith('{')) {
            m_members.append(id); // an exact member, as a page listed it
        } else if (id.isEmpty()) {
            m_unresolved.append({id, QStringLiteral("not a Sidekiq jid")});
        } else {
            wanted.append(id);
            if (m_state == "queue") // no index: the newest 10,000 entries are searched
                lookups.append({"LRANGE", setKey(), "-10000", "-1"});
            else
                lookups.append(
                    {"ZSCAN", setKey(), "0", "MATCH", sidekiqJidPattern(id), "COUNT", "100000"});
        }
    }
    if (lookups.isEmpty()) {
        next(connection, context, std::move(deliver));
        return;
    }
    connection->pipeline(lookups, context, [=, this](const redis::PipelineResult &result) {
        if (!result.ok()) {
            FeedBatch failed;
            failed.error = result.error;
            deliver(failed);
            return;
        }
        const bool list = m_state == "queue";
        for (qsizetype i = 0; i < wanted.size(); ++i) {
            const redis::RedisReply reply = result.replies.value(i);
            const QList<redis::RedisReply> members =
                list ? reply.elements : reply.elements.value(1).elements;
            bool found = false;
            for (qsizetype m = 0; m < members.size() && !found; m += list ? 1 : 2) {
                found = sidekiqJidOf(members.at(m).string) == wanted.at(i);
                if (found)
                    m_members.append(members.at(m).string);
            }
            if (!found)
                m_unresolved.append(
                    {wanted.at(i), QStringLiteral("not in %1").arg(QString::fromUtf8(m_state))});
        }
        next(connection, context, deliver);
    });
}

void SidekiqFeed::readPage(redis::RedisConnection *connection, QObject *context, Deliver deliver)
{
    if (m_exhausted || (m_total >= 0 && m_handled >= m_total)) {
        FeedBatch done;
        done.finished = true;
        deliver(done);
        return;
    }
    const QByteArray key = setKey();
    QList<redis::RedisCommand> commands{
        {"ZRANGE", key, QByteArray::number(m_rank), QByteArray::number(m_rank + m_limit - 1)}};
    if (m_total < 0)
        commands.prepend({"ZCARD", key});
    connection->pipeline(commands, context, [=, this](const redis::PipelineResult &result) {
        FeedBatch batch;
        if (!result.ok()) {
            batch.error = result.error;
            deliver(batch);
            return;
        }
        if (m_total < 0)
            m_total = result.replies.first().toInteger();
        const QList<redis::RedisReply> &page = result.replies.last().elements;
        if (result.replies.last().isError()) {
            batch.error = {redis::RedisError::Kind::Server,
                           QString::fromUtf8(result.replies.last().string)};
            deliver(batch);
            return;
        }
        if (page.isEmpty()) {
            m_exhausted = true;
            batch.finished = true;
            deliver(batch);
            return;
        }
        const bool everyQueue = m_request.queue.name == "*";
        QList<QByteArray> members;
        for (const redis::RedisReply &member : page) {
            m_handled += 1;
            if (!everyQueue && queueOf(member.string) != m_request.queue.name) {
                m_rank += 1; // another queue's job: it stays where it is
                continue;
            }
            members.append(member.string);
        }
        batch = batchOf(members);
        m_rank += batch.rejected.size();
        batch.finished = false;
        deliver(batch);
    });
}

void SidekiqFeed::accept(const FeedBatch &, const ScriptOutcome &) {}

} // namespace qs::jobs
