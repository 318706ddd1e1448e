#pragma once

#include "redis/clusterrouter.h"
#include "redis/infosnapshot.h"
#include "redis/rediserror.h"
#include "redis/topology.h"

#include <QStringList>

namespace qs::monitor {

// INFO with several sections refused (Redis < 7 takes one): ask again with plain INFO.
bool refusesInfoSections(const redis::RedisReply &reply);

// One Poller tick on a Redis Cluster, without I/O: what to send and how to read it back.
// plan(): one pipeline per node, all sent at once by RedisConnection::pipelineOnNodes: each live
// node's INFO (CLUSTER INFO on the first) pinned to it, then the queue counts, routed by slot to
// the master that owns them. Nodes the cluster marks failed or that cannot be reached are left
// out (their problem is in the topology), so they cost no gap; a node that cannot be reached
// during the tick answers its INFO with the router's error and is shown unreachable.
// read(): every node's INFO laid over the known topology (per-node values, replicas' lag) and
// merged into one InfoSnapshot for the charts; the queue counts' replies start at queueOffset.
struct ClusterTick
{
    redis::Topology known; // the topology the tick was planned on
    QList<redis::NodeCommand> commands;
    QStringList infoNodes;     // INFO went to these nodes: replies 0..size-1
    qsizetype queueOffset = 0; // the first queue count's reply

    static ClusterTick plan(const redis::Topology &known, const redis::RedisCommand &info,
                            const QList<redis::RedisCommand> &counts);

    struct Read
    {
        // A node refused INFO with several sections (Redis < 7): the caller may ask again with
        // plain INFO. The node's reply is otherwise treated as a failed INFO.
        bool infoSyntaxError = false;
        redis::RedisError error; // the whole poll failed
        redis::Topology topology;
        redis::InfoSnapshot info;
    };
    Read read(const redis::PipelineResult &result) const;
};

} // namespace qs::monitor
