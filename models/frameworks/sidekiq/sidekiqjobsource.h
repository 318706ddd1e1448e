#pragma once

#include "queues/jobsource.h"

namespace qs::jobs {

// Sidekiq 6 (OSS): jobs are JSON payloads stored as list elements (queue:<name>) and as
// sorted-set members (schedule, retry, dead: one set each for the whole server). The payload
// itself is the job: a page needs no second round trip, and actions need its exact bytes.
class SidekiqJobSource final : public JobSource
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

    // Fills a summary from a payload (jid, class, queue, times, error); false when the payload
    // is not a JSON object.
    static bool readPayload(JobSummary &job, const QByteArray &payload);
};

} // namespace qs::jobs
