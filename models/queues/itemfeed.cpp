#include "itemfeed.h"

namespace qs::jobs {

IdChunks::IdChunks(QList<QByteArray> ids, int limit)
    : m_ids(std::move(ids))
    , m_limit(qMax(1, limit))
{
}

void IdChunks::next(redis::RedisConnection *, QObject *, Deliver deliver)
{
    FeedBatch batch;
    if (m_next >= m_ids.size()) {
        batch.finished = true;
    } else {
        batch.items = m_ids.mid(m_next, m_limit);
        batch.jobs = batch.items.size();
    }
    deliver(batch);
}

void IdChunks::accept(const FeedBatch &batch, const ScriptOutcome &)
{
    m_next += batch.jobs;
}

void ScriptLoop::next(redis::RedisConnection *, QObject *, Deliver deliver)
{
    FeedBatch batch;
    batch.mode = "all";
    batch.cursor = m_cursor;
    batch.finished = m_started && !m_more;
    deliver(batch);
}

void ScriptLoop::accept(const FeedBatch &, const ScriptOutcome &outcome)
{
    m_started = true;
    m_more = outcome.more;
    m_cursor = outcome.cursor;
}

} // namespace qs::jobs
