#pragma once

#include "queues/itemfeed.h"

namespace qs::jobs {

// Items for sidekiq-move (member queue payload) and sidekiq-delete (member): the exact members
// read from Redis, the payload edited as Sidekiq edits it before pushing. Ids are jids (looked
// up with one bounded scan per set) or whole members as a page listed them. "All" pages through
// the set from the lowest score, taking the members of this queue (every queue for "*").
class SidekiqFeed final : public ItemFeed
{
public:
    SidekiqFeed(const ActionRequest &request, QByteArray state, bool moves, int limit,
                qint64 nowMs);
    void next(redis::RedisConnection *connection, QObject *context, Deliver deliver) override;
    void accept(const FeedBatch &batch, const ScriptOutcome &outcome) override;
    qint64 total() const override { return m_total; }

    // The payload Sidekiq pushes for `member`: retry_count - 1 (retry and dead), enqueued_at =
    // now; every other byte as stored. nullopt when the member is not a job payload.
    static std::optional<QByteArray> pushedPayload(const QByteArray &member,
                                                   const QByteArray &state, qint64 nowMs);
    static QByteArray queueOf(const QByteArray &member);

private:
    void resolveIds(redis::RedisConnection *connection, QObject *context, Deliver deliver);
    void readPage(redis::RedisConnection *connection, QObject *context, Deliver deliver);
    FeedBatch batchOf(const QList<QByteArray> &members);
    QByteArray setKey() const;

    ActionRequest m_request;
    QByteArray m_state; // retry | dead | schedule | queue
    bool m_moves;       // sidekiq-move (triples) rather than sidekiq-delete (members)
    int m_limit;
    qint64 m_nowMs;
    QList<QByteArray> m_members;                    // ids mode, once resolved
    QList<QPair<QByteArray, QString>> m_unresolved; // ids mode: ids with no member, and why
    bool m_resolved = false;
    qsizetype m_next = 0;
    qint64 m_rank = 0;   // all mode: members before this rank were chosen not to be sent
    qint64 m_total = -1; // all mode: ZCARD at the start
    qint64 m_handled = 0;
    bool m_exhausted = false;
};

} // namespace qs::jobs
