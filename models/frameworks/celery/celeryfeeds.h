#pragma once

#include "queues/itemfeed.h"

namespace qs::jobs {

// celery-rerun items (id meta message queue): FAILURE results read by id and rebuilt into the
// message apply_async would publish. At most 250 per call: items are ~2 KB and Redis copies
// every argument into Lua before the script starts.
class CeleryRerunFeed final : public ItemFeed
{
public:
    CeleryRerunFeed(const ActionRequest &request, int limit);
    void next(redis::RedisConnection *connection, QObject *context, Deliver deliver) override;
    void accept(const FeedBatch &, const ScriptOutcome &) override {}
    qint64 total() const override { return m_request.ids.size(); }

private:
    ActionRequest m_request;
    int m_limit;
    qsizetype m_next = 0;
};

// celery-restore items (tag id delivery message queue): unacknowledged deliveries of this
// queue put back, only when no worker is alive (a live worker's prefetched and ETA messages
// are its own). Liveness: PUBLISH of a probe on the pidbox channel counts the workers.
class CeleryRestoreFeed final : public ItemFeed
{
public:
    CeleryRestoreFeed(const ActionRequest &request, int limit);
    void next(redis::RedisConnection *connection, QObject *context, Deliver deliver) override;
    void accept(const FeedBatch &, const ScriptOutcome &) override {}
    qint64 total() const override { return m_request.all ? -1 : m_request.ids.size(); }

private:
    void checkLiveness(redis::RedisConnection *connection, QObject *context, Deliver deliver);
    void read(redis::RedisConnection *connection, QObject *context, Deliver deliver);
    void route(redis::RedisConnection *connection, QObject *context,
               QList<QPair<QByteArray, QByteArray>> entries, Deliver deliver);

    ActionRequest m_request;
    int m_limit;
    bool m_checked = false;
    bool m_done = false;
    QByteArray m_cursor = "0"; // all mode: HSCAN cursor
    qsizetype m_next = 0;      // ids mode
};

} // namespace qs::jobs
