#pragma once

#include "queues/jobsource.h"

namespace qs::jobs {

// RQ 1.x: a job is the hash rq:job:<id>; the queue is a list, the other states are registries
// (sorted sets; started/finished/failed are scored by expiry time). Job arguments are a
// zlib-compressed pickle, which QueueScope never unpickles (that would run code).
class RqJobSource final : public JobSource
{
public:
    QList<StateStore> stores(const queues::QueueRef &queue) const override;
    void applyScore(JobSummary &job, const StateStore &store, double score) const override;
    QList<redis::RedisCommand> summaryCommands(const JobPage &page) const override;
    void readSummaries(JobPage &page, const QList<redis::RedisReply> &replies) const override;
    QList<redis::RedisCommand> detailCommands(const queues::QueueRef &queue,
                                              const JobSummary &hint) const override;
    JobDetail readDetail(const queues::QueueRef &queue, const JobSummary &hint,
                         const QList<redis::RedisReply> &replies) const override;
    QList<redis::RedisCommand> locateCommands(const queues::QueueRef &queue,
                                              const QByteArray &id) const override;
    std::optional<JobSummary> readLocation(const queues::QueueRef &queue, const QByteArray &id,
                                           const QList<redis::RedisReply> &replies) const override;
};

} // namespace qs::jobs
