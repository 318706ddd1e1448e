#pragma once

#include "redis/nodecommand.h"
#include "redis/topology.h"

#include <QStringList>

namespace qs::monitor {

// One step of a worker scan on a Redis Cluster, without I/O (the WorkerScanner sends it with
// RedisConnection::pipelineOnNodes). A worker is a client connection of the node it talks to
// (BullMQ's ioredis Cluster opens one per node it sends to, a worker's blocking pop goes to the
// master that owns its queue's slot), so CLIENT LIST goes to EVERY master, pinned to each;
// the readers' other commands (keyed) are routed by slot as before. Replicas are not asked:
// a worker's blocking pop and its Lua scripts write, which a replica refuses (READONLY), so a
// worker lives on a master; after a failover it reconnects to the promoted one.
//
// read() gives the readers one reply per command of their step, as on a standalone server:
// CLIENT LIST as one text of every master's lines, each with the node that listed it
// (queues::withClientNode). Masters left out (failed, unreachable) or refusing CLIENT LIST add
// a note; only when every master refused is the reply the first refusal (workers unknown).
struct ClusterWorkerStep
{
    QList<redis::NodeCommand> commands;
    QStringList notes; // masters left out of the plan: why

    static ClusterWorkerStep plan(const redis::Topology &topology,
                                  const QList<redis::RedisCommand> &commands);
    // `replies`: one per command of `commands`. Appends what some master refused to `notes`.
    QList<redis::RedisReply> read(const QList<redis::RedisReply> &replies,
                                  QStringList *notes) const;

private:
    struct Place
    {
        qsizetype first = 0; // its (first) reply
        QStringList nodes;   // read on each of these masters (replies first..); empty: routed
    };
    QList<Place> m_places; // per command of the step
};

// A read that describes one node (CLIENT LIST), not the data: asked of every master.
bool readsEveryMaster(const redis::RedisCommand &command);

} // namespace qs::monitor
