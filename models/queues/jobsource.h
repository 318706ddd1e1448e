#pragma once

#include "jobsummary.h"

#include "redis/redisreply.h"

#include <QList>
#include <QStringList>

#include <memory>

namespace qs::jobs {

// Where one browsable state keeps its jobs, and in which order a page lists them.
struct StateStore
{
    enum class Kind { List, ZSet, Scan }; // Scan: no index, pages by cursor (Celery results)
    enum class Order {
        TailFirst,  // list whose worker pops the right end: next to run first
        HeadFirst,  // list whose worker pops the left end
        Ascending,  // zset, lowest score first (due soonest, highest priority)
        Descending, // zset, highest score first (newest finished)
    };
    QString state;
    QByteArray key;
    Kind kind = Kind::List;
    Order order = Order::TailFirst;
    bool liveOnly = false;    // zset scored by expiry time (RQ): only entries scored after now
    bool spansQueues = false; // a server-wide set (Sidekiq retry/dead/schedule)
};

// Read-only access to one framework's jobs: builds the commands of each round trip and reads
// their replies. Stateless; JobBrowser sends the commands.
class JobSource
{
public:
    virtual ~JobSource() = default;

    // The states a page can be asked for, in display order.
    virtual QList<StateStore> stores(const queues::QueueRef &queue) const = 0;

    // Round trip 1: the ids (or whole payloads) of a page and the state's total. The default
    // builds LLEN+LRANGE / ZCARD+ZRANGE from stores(); nowMs serves live-only zsets.
    virtual QList<redis::RedisCommand> pageCommands(const StateStore &store, qint64 offset,
                                                    int limit, const QByteArray &cursor,
                                                    qint64 nowMs) const;
    // Reads round trip 1 into a page whose jobs carry at least their id (and score-derived
    // times); the default reads the replies of the default pageCommands().
    virtual JobPage readPage(const queues::QueueRef &queue, const StateStore &store, qint64 offset,
                             const QList<redis::RedisReply> &replies) const;

    // Round trip 2 (may be empty when round trip 1 carried the payloads): the fields of the
    // page's jobs. `page` is filled in place.
    virtual QList<redis::RedisCommand> summaryCommands(const JobPage &page) const = 0;
    virtual void readSummaries(JobPage &page, const QList<redis::RedisReply> &replies) const = 0;

    // One job in full. `hint` is what the page knew (its raw payload for Sidekiq/Celery).
    virtual QList<redis::RedisCommand> detailCommands(const queues::QueueRef &queue,
                                                      const JobSummary &hint) const = 0;
    virtual JobDetail readDetail(const queues::QueueRef &queue, const JobSummary &hint,
                                 const QList<redis::RedisReply> &replies) const = 0;

    // Which state holds a job id (for "find by id"): the job with its state (and its raw
    // payload where the state stores payloads); nullopt = not found.
    virtual QList<redis::RedisCommand> locateCommands(const queues::QueueRef &queue,
                                                      const QByteArray &id) const = 0;
    virtual std::optional<JobSummary>
    readLocation(const queues::QueueRef &queue, const QByteArray &id,
                 const QList<redis::RedisReply> &replies) const = 0;

    std::optional<StateStore> store(const queues::QueueRef &queue, const QString &state) const;

protected:
    // For sources whose jobs are ids in lists and zsets: one ZSCORE/LPOS per store (LPOS needs
    // Redis >= 6.0.6; before, an error reply, read as "not there").
    QList<redis::RedisCommand> storeLookups(const queues::QueueRef &queue,
                                            const QByteArray &id) const;
    // The job `id` (raw: the id too) in the state whose lookup answered, reading replies from
    // `first` on; its state is empty when none did.
    JobSummary jobFromLookups(const queues::QueueRef &queue, const QByteArray &id,
                              const QList<redis::RedisReply> &replies, qsizetype first) const;

public:
    // What a zset score says about a job (BullMQ delayed: run-at; completed: finished at).
    virtual void applyScore(JobSummary &job, const StateStore &store, double score) const
    {
        Q_UNUSED(job);
        Q_UNUSED(store);
        Q_UNUSED(score);
    }
    QStringList stateNames(const queues::QueueRef &queue) const;
};

// Declares, inside a framework's JobSource, the overrides every source defines (the pure virtual
// functions above: its states and the reads of the summary, detail and locate round trips), so
// that a change to one of them is made here once: `public: QS_JOB_SOURCE_OVERRIDES`.
#define QS_JOB_SOURCE_OVERRIDES                                                                    \
    QList<StateStore> stores(const queues::QueueRef &queue) const override;                        \
    QList<redis::RedisCommand> summaryCommands(const JobPage &page) const override;                \
    void readSummaries(JobPage &page, const QList<redis::RedisReply> &replies) const override;     \
    QList<redis::RedisCommand> detailCommands(const queues::QueueRef &queue,                       \
                                              const JobSummary &hint) const override;              \
    JobDetail readDetail(const queues::QueueRef &queue, const JobSummary &hint,                    \
                         const QList<redis::RedisReply> &replies) const override;                  \
    QList<redis::RedisCommand> locateCommands(const queues::QueueRef &queue, const QByteArray &id) \
        const override;                                                                            \
    std::optional<JobSummary> readLocation(const queues::QueueRef &queue, const QByteArray &id,    \
                                           const QList<redis::RedisReply> &replies)                \
        const override;

// The start of a detail read from a job hash (HGETALL in `replies.first()`): queue, hint, the
// stored fields; found, or the error (`missing` when the hash is empty). False when the detail
// is complete already (an error), true when the caller goes on with the fields.
bool readJobHash(JobDetail &detail, const queues::QueueRef &queue, const JobSummary &hint,
                 const QList<redis::RedisReply> &replies, qsizetype expectedReplies,
                 const QString &missing);

} // namespace qs::jobs
