#pragma once

#include "actionrequest.h"
#include "scriptcall.h"

#include "redis/rediserror.h"

#include <QList>
#include <QObject>

#include <functional>
#include <memory>

namespace qs::redis {
class RedisConnection;
}

namespace qs::jobs {

// The items of one script call. `finished` = nothing is left to do.
struct FeedBatch
{
    QList<QByteArray> items; // flattened item groups
    qint64 jobs = 0;         // item groups in `items`
    QByteArray mode = "ids";
    QByteArray cursor = "0";
    QList<QPair<QByteArray, QString>> rejected; // jobs the feed could not prepare, with why
    bool finished = false;
    redis::RedisError error; // a read needed to prepare the batch failed, or (refused) why the
    bool refused = false;    // action must not run now (e.g. Celery workers are alive)
};

// Where a bulk action's calls come from: explicit ids in chunks, the script's own selection
// (looping while it reports more), or items read and edited client-side first.
class ItemFeed
{
public:
    using Deliver = std::function<void(const FeedBatch &)>;
    virtual ~ItemFeed() = default;
    // Prepares the next call and hands it to `deliver` (maybe after reads on `connection`,
    // answered on `context`'s thread; dropped when `context` is gone).
    virtual void next(redis::RedisConnection *connection, QObject *context, Deliver deliver) = 0;
    // The outcome of the call made with the last batch.
    virtual void accept(const FeedBatch &batch, const ScriptOutcome &outcome) = 0;
    // Jobs this feed will hand out in all; -1 when only the script knows.
    virtual qint64 total() const { return -1; }
};

// Chunks of explicit ids, `limit` per call.
class IdChunks final : public ItemFeed
{
public:
    IdChunks(QList<QByteArray> ids, int limit);
    void next(redis::RedisConnection *, QObject *, Deliver deliver) override;
    void accept(const FeedBatch &batch, const ScriptOutcome &outcome) override;
    qint64 total() const override { return m_ids.size(); }

private:
    QList<QByteArray> m_ids;
    int m_limit;
    qsizetype m_next = 0;
};

// The script selects its own jobs (mode "all") or walks with a cursor; call again while it
// says there is more.
class ScriptLoop final : public ItemFeed
{
public:
    void next(redis::RedisConnection *, QObject *, Deliver deliver) override;
    void accept(const FeedBatch &batch, const ScriptOutcome &outcome) override;

private:
    bool m_started = false;
    bool m_more = true;
    QByteArray m_cursor = "0";
};

} // namespace qs::jobs
