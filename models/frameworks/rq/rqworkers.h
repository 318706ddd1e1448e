#pragma once

#include "queues/workerreader.h"

#include <QHash>

namespace qs::queues {

// RQ's workers (1.x; queue-layouts.md "Workers"): the set `rq:workers` of keys
// `rq:worker:<name>`, each a hash (state, current_job, queues, birth, last_heartbeat, pid,
// hostname, job counters) whose TTL the worker's heartbeat refreshes; a member whose hash is gone
// (or carries `death`) is offline. `rq:suspended` (`rq suspend`) stops every worker.
//
// Abandoned jobs: StartedJobRegistry entries (`rq:wip:<q>`, scored by the expiry that the
// running worker keeps pushing forward) past their expiry whose worker is gone; RQ's registry
// cleanup moves them to failed (or requeues them while they have retries left), and so does the
// operator's "Move to failed" (JobAction::Restore, rq-fail-abandoned.lua).
//
// Step 1: SMEMBERS rq:workers, EXISTS rq:suspended, the expired wip entries of every known queue.
// Step 2: HGETALL of each worker, HMGET of each expired job (its worker, status). Step 3, only
// for the current job of a worker that consumes several queues: its origin.
class RqWorkerReader final : public WorkerReader
{
public:
    static constexpr int kMaxWorkers = 1'000;
    static constexpr int kMaxExpiredPerQueue = 100;

    explicit RqWorkerReader(Context context);

    QList<redis::RedisCommand> nextStep(const QList<redis::RedisReply> &replies) override;
    void finish(WorkerScan &scan) override;

private:
    struct Expired
    {
        QByteArray queue;
        QString id;
        qint64 expiredAtMs = 0;
    };
    QList<redis::RedisCommand> readStep1(const QList<redis::RedisReply> &replies);
    QList<redis::RedisCommand> readStep2(const QList<redis::RedisReply> &replies);
    WorkerInfo readWorker(const QByteArray &key, const QHash<QByteArray, QByteArray> &hash) const;

    Context m_context;
    int m_step = 0;
    QString m_unknown;
    bool m_suspended = false;
    QList<QByteArray> m_keys; // rq:worker:<name>
    int m_skipped = 0;
    QList<Expired> m_expired;
    QList<WorkerInfo> m_workers;
    QList<QByteArray> m_jobWorkers; // per m_expired: worker_name; "" when the job hash is gone
    QList<qint64> m_retriesLeft;    // per m_expired
    QList<int> m_originOf;          // indexes into m_workers whose current job's origin is read
};

} // namespace qs::queues
