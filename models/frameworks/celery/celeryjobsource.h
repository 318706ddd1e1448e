#pragma once

#include "queues/jobsource.h"

namespace qs::jobs {

// Celery 5 on the kombu Redis transport: pending messages are JSON envelopes in the queue's
// list; reserved ones sit in the server-wide `unacked` hash; outcomes are result keys
// (celery-task-meta-<id>) with no index, so failures are found by a bounded SCAN, page by page.
class CeleryJobSource final : public JobSource
{
public:
    QList<StateStore> stores(const queues::QueueRef &queue) const override;
    QList<redis::RedisCommand> pageCommands(const StateStore &store, qint64 offset, int limit,
                                            const QByteArray &cursor, qint64 nowMs) const override;
    JobPage readPage(const queues::QueueRef &queue, const StateStore &store, qint64 offset,
                     const QList<redis::RedisReply> &replies) const override;
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

    static QByteArray resultKey(const QByteArray &taskId) { return "celery-task-meta-" + taskId; }
    // A protocol-2 message envelope: id, task, ETA, retries; false when it is not one.
    static bool readMessage(JobSummary &job, const QByteArray &message);
    // A result (celery-task-meta-*): id, task, status (into state), date_done, failure reason.
    static bool readResult(JobSummary &job, const QByteArray &meta);
};

} // namespace qs::jobs
