#include "celeryfeeds.h"

#include "celeryjobsource.h"
#include "celerymessages.h"

#include "core/bytesplit.h"
#include "redis/redisconnection.h"

#include <QHash>

#include <algorithm>

namespace qs::jobs {

namespace {

constexpr int maxItemsPerCall = 250;
const QByteArray bindingSep("\x06\x16");

// A binding member: routing_key \x06\x16 pattern \x06\x16 queue.
QList<QByteArray> splitBinding(const QByteArray &member)
{
    return core::splitOn(member, bindingSep);
}

FeedBatch failed(const redis::RedisError &error)
{
    FeedBatch batch;
    batch.error = error;
    return batch;
}

FeedBatch finished()
{
    FeedBatch batch;
    batch.finished = true;
    return batch;
}

} // namespace

CeleryRerunFeed::CeleryRerunFeed(const ActionRequest &request, int limit)
    : m_request(request)
    , m_limit(qBound(1, limit, maxItemsPerCall))
{
}

void CeleryRerunFeed::next(redis::RedisConnection *connection, QObject *context, Deliver deliver)
{
    if (m_next >= m_request.ids.size()) {
        deliver(finished());
        return;
    }
    const QList<QByteArray> ids = m_request.ids.mid(m_next, m_limit);
    m_next += ids.size();
    QList<redis::RedisCommand> reads;
    for (const QByteArray &id : ids)
        reads.append({"GET", CeleryJobSource::resultKey(id)});
    const QByteArray queue = m_request.queue.name;
    connection->pipeline(
        reads, context, [ids, queue, deliver](const redis::PipelineResult &result) {
            if (!result.ok()) {
                deliver(failed(result.error));
                return;
            }
            FeedBatch batch;
            for (qsizetype i = 0; i < ids.size() && i < result.replies.size(); ++i) {
                const QByteArray meta = result.replies.at(i).string;
                JobSummary job;
                if (!CeleryJobSource::readResult(job, meta)) {
                    batch.rejected.append({ids.at(i), QStringLiteral("no stored result")});
                    continue;
                }
                if (!job.queue.isEmpty() && job.queue.toUtf8() != queue) {
                    batch.rejected.append(
                        {ids.at(i), QStringLiteral("ran on queue %1").arg(job.queue)});
                    continue;
                }
                QString why;
                const std::optional<QByteArray> message =
                    celerymessages::rerunMessage(meta, queue, &why);
                if (!message) {
                    batch.rejected.append({ids.at(i), why});
                    continue;
                }
                batch.items << ids.at(i) << meta << *message << queue;
                batch.jobs += 1;
            }
            deliver(batch);
        });
}

CeleryRestoreFeed::CeleryRestoreFeed(const ActionRequest &request, int limit)
    : m_request(request)
    , m_limit(qBound(1, limit, maxItemsPerCall))
{
}

void CeleryRestoreFeed::next(redis::RedisConnection *connection, QObject *context, Deliver deliver)
{
    if (!m_checked) {
        checkLiveness(connection, context, std::move(deliver));
        return;
    }
    if (m_done) {
        deliver(finished());
        return;
    }
    read(connection, context, std::move(deliver));
}

void CeleryRestoreFeed::checkLiveness(redis::RedisConnection *connection, QObject *context,
                                      Deliver deliver)
{
    const QByteArray channel =
        celerymessages::pidboxChannel(m_request.queue.prefix, connection->profile().db);
    connection->pipeline(
        {{"PUBLISH", channel, celerymessages::livenessProbe()}}, context,
        [this, connection, context, deliver](const redis::PipelineResult &result) {
            if (!result.ok()) {
                deliver(failed(result.error));
                return;
            }
            const redis::RedisReply &reply = result.replies.first();
            if (reply.isError()) {
                deliver(failed({redis::RedisError::Kind::Server,
                                QStringLiteral("cannot tell whether a Celery worker is alive: %1")
                                    .arg(QString::fromUtf8(reply.string))}));
                return;
            }
            if (reply.integer > 0) {
                FeedBatch refusal =
                    failed({redis::RedisError::Kind::Server,
                            QStringLiteral("%1 Celery worker(s) are connected to this server; "
                                           "unacknowledged messages belong to them (prefetched "
                                           "or held for an ETA). Restore only when no worker "
                                           "runs.")
                                .arg(reply.integer)});
                refusal.refused = true;
                deliver(refusal);
                return;
            }
            m_checked = true;
            read(connection, context, deliver);
        });
}

void CeleryRestoreFeed::read(redis::RedisConnection *connection, QObject *context, Deliver deliver)
{
    const QByteArray unacked = m_request.queue.prefix + "unacked";
    redis::RedisCommand command;
    QList<QByteArray> tags;
    if (m_request.all) {
        command = {"HSCAN", unacked, m_cursor, "COUNT", QByteArray::number(m_limit)};
    } else {
        tags = m_request.ids.mid(m_next, m_limit);
        m_next += tags.size();
        m_done = m_next >= m_request.ids.size();
        command = redis::RedisCommand{"HMGET", unacked} + tags;
    }
    connection->pipeline(
        {command}, context,
        [this, connection, context, tags, deliver](const redis::PipelineResult &result) {
            if (!result.ok()) {
                deliver(failed(result.error));
                return;
            }
            const redis::RedisReply &reply = result.replies.first();
            QList<QPair<QByteArray, QByteArray>> entries; // tag, exact value
            if (m_request.all) {
                m_cursor = reply.elements.value(0).string;
                m_done = m_cursor == "0";
                const QList<redis::RedisReply> flat = reply.elements.value(1).elements;
                for (qsizetype i = 0; i + 1 < flat.size(); i += 2)
                    entries.append({flat.at(i).string, flat.at(i + 1).string});
            } else {
                for (qsizetype i = 0; i < tags.size(); ++i)
                    entries.append({tags.at(i), reply.elements.value(i).string});
            }
            route(connection, context, entries, deliver);
        });
}

void CeleryRestoreFeed::route(redis::RedisConnection *connection, QObject *context,
                              QList<QPair<QByteArray, QByteArray>> entries, Deliver deliver)
{
    // Named exchanges route through their binding sets; the anonymous one by routing key.
    QList<QByteArray> exchanges;
    for (const auto &entry : entries) {
        const std::optional<celerymessages::Delivery> d =
            celerymessages::readDelivery(entry.second);
        if (d && !d->exchange.isEmpty() && !exchanges.contains(d->exchange))
            exchanges.append(d->exchange);
    }
    QList<redis::RedisCommand> reads;
    const QByteArray prefix = m_request.queue.prefix;
    for (const auto &entry : entries)
        reads.append({"ZSCORE", prefix + "unacked_index", entry.first});
    for (const QByteArray &exchange : exchanges)
        reads.append({"SMEMBERS", prefix + "_kombu.binding." + exchange});
    const QByteArray queue = m_request.queue.name;
    const bool explicitIds = !m_request.all;
    connection->pipeline(reads, context, [=, this](const redis::PipelineResult &result) {
        if (!result.ok()) {
            deliver(failed(result.error));
            return;
        }
        QHash<QByteArray, QList<QByteArray>> routes; // "exchange\nrouting key" -> queues
        for (qsizetype e = 0; e < exchanges.size(); ++e) {
            for (const redis::RedisReply &member :
                 result.replies.value(entries.size() + e).elements) {
                const QList<QByteArray> fields = splitBinding(member.string);
                if (fields.size() == 3)
                    routes[exchanges.at(e) + '\n' + fields.at(0)].append(fields.at(2));
            }
        }
        struct Item
        {
            double deliveredAt;
            QList<QByteArray> values;
        };
        QList<Item> items;
        FeedBatch batch;
        for (qsizetype i = 0; i < entries.size(); ++i) {
            const QByteArray &tag = entries.at(i).first;
            const std::optional<celerymessages::Delivery> d =
                celerymessages::readDelivery(entries.at(i).second);
            if (!d) {
                if (explicitIds)
                    batch.rejected.append({tag, QStringLiteral("not an unacknowledged delivery")});
                continue;
            }
            const QList<QByteArray> targets =
                d->exchange.isEmpty() ? QList<QByteArray>{d->routingKey}
                                      : routes.value(d->exchange + '\n' + d->routingKey);
            if (targets.size() != 1 || targets.first() != queue) {
                if (explicitIds) // in "all" mode, other queues' deliveries are simply not ours
                    batch.rejected.append({tag, targets.size() > 1
                                                    ? QStringLiteral("routes to several queues")
                                                    : QStringLiteral("belongs to another queue")});
                continue;
            }
            items.append({result.replies.value(i).string.toDouble(),
                          {tag, d->taskId, entries.at(i).second, d->restored, queue}});
        }
        // Newest delivery first: each RPUSH lands where workers pop next, so the oldest runs first.
        std::sort(items.begin(), items.end(),
                  [](const Item &a, const Item &b) { return a.deliveredAt > b.deliveredAt; });
        for (const Item &item : items) {
            batch.items += item.values;
            batch.jobs += 1;
        }
        batch.finished = batch.jobs == 0 && batch.rejected.isEmpty() && m_done;
        deliver(batch);
    });
}

} // namespace qs::jobs
