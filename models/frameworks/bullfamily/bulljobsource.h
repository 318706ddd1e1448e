#pragma once

#include "queues/jobsource.h"

namespace qs::jobs {

// BullMQ (bullmq = true) and Bull 4: a job is the hash <prefix>:<queue>:<id>; states are lists
// and sorted sets of ids beside it.
class BullJobSource final : public JobSource
{
public:
    explicit BullJobSource(bool bullmq);

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

private:
    bool m_bullmq;
};

} // namespace qs::jobs
