#pragma once

#include "queues/workerreader.h"

#include <QHash>

namespace qs::queues {

// BullMQ's and Bull's workers (queue-layouts.md "Workers"). Neither keeps a worker registry:
// a worker is a client connection named "<prefix>:<base64(queue)>" (BullMQ >= 5.10 with a name:
// "...:w:<name>"; ":qe" QueueEvents are no workers), listed by CLIENT LIST; where that is
// refused (an ACL without +client, a renamed command, some managed services) the workers are
// unknown, never 0. What a worker runs: the locked ids of the queue's active list; a BullMQ
// job's `pb` names the worker that took it (named workers only). An active id whose lock has
// expired is stalled: the next stalled check of a live worker moves it back to waiting.
//
// Step 1: CLIENT LIST TYPE normal (the same command for BullMQ and Bull: the scanner sends it
// once) and the head of every known queue's active list. Step 2: per active id, its lock, whether
// it is still active, and (BullMQ) its `pb`.
// On a Redis Cluster CLIENT LIST comes from every master (workerreplies.h: kClientNodeField);
// a worker is the connection on its queue's master (its Cluster client's connections to other
// nodes are dropped).
class BullWorkerReader final : public WorkerReader
{
public:
    static constexpr int kMaxActive = 1'000; // active ids looked at per scan
    static constexpr int kMaxActivePerQueue = 100;

    BullWorkerReader(Framework framework, Context context);

    QList<redis::RedisCommand> nextStep(const QList<redis::RedisReply> &replies) override;
    void finish(WorkerScan &scan) override;

private:
    struct Active
    {
        QByteArray queue;
        QString id;
        bool locked = false;
        bool stillActive = false;
        QString processedBy; // BullMQ `pb`
    };
    QList<redis::RedisCommand> readStep1(const QList<redis::RedisReply> &replies);
    void readStep2(const QList<redis::RedisReply> &replies);
    void readClients(const QByteArray &list);
    bool claims(const QByteArray &queue, const QString &worker, const QByteArray &command) const;
    bool onQueueMaster(const QByteArray &queue, const QByteArray &node) const;
    void assignJobs();
    void addStalled(WorkerScan &scan) const;

    Framework m_framework;
    Context m_context;
    int m_step = 0;
    QString m_clientsRefused; // CLIENT LIST failed: why
    QList<WorkerInfo> m_workers;
    QList<Active> m_active;
};

} // namespace qs::queues
