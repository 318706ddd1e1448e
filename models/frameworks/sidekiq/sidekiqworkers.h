#pragma once

#include "queues/workerreader.h"

namespace qs::queues {

// Sidekiq's processes (6.x and 7.x OSS; queue-layouts.md "Workers"): the set `processes` of
// identities "host:pid:nonce", each with a hash `<identity>` (info JSON, busy, beat, quiet, rss,
// rtt_us) and a hash of what each thread runs (`<identity>:workers` in 6.x, `:work` in 7.x),
// both expiring 60 s after the last heartbeat. Two steps: SMEMBERS, then per process one HMGET
// and the two work hashes. A member whose hash has expired is offline (Sidekiq's own cleanup
// SREMs it later; a monitor never does), and the jobs it ran at the previous scan are lost:
// basic fetch keeps them only in the process's memory.
class SidekiqWorkerReader final : public WorkerReader
{
public:
    // Processes read per scan at most (each costs three O(1)-ish reads).
    static constexpr int kMaxProcesses = 1'000;

    explicit SidekiqWorkerReader(Context context);

    QList<redis::RedisCommand> nextStep(const QList<redis::RedisReply> &replies) override;
    void finish(WorkerScan &scan) override;

private:
    QByteArray key(const QByteArray &name) const;
    WorkerInfo readProcess(const QByteArray &identity, const redis::RedisReply &hash,
                           const redis::RedisReply &work6, const redis::RedisReply &work7) const;
    void addLostJobs(WorkerScan &scan, const QSet<QString> &alive) const;

    Context m_context;
    int m_step = 0;
    QString m_unknown; // the processes could not be read: why
    QList<QByteArray> m_identities;
    QList<redis::RedisReply> m_replies; // step 2: three per identity
    int m_skipped = 0;                  // identities over kMaxProcesses
};

} // namespace qs::queues
