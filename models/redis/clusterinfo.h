#pragma once

#include "infosnapshot.h"
#include "redisreply.h"
#include "topology.h"

#include <QHash>

namespace qs::redis {

// One cluster poll read: each node's INFO (by address), laid over the topology the router
// knows (roles, slots, states, problems). Nodes that did not answer keep their known values;
// `unread`: the error a node's INFO answered (its problem when the topology has none yet; the
// node is "unreachable" when that error says so).
Topology clusterTopology(const Topology &known, const QHash<QString, InfoSnapshot> &infos,
                         const QString &clusterState,
                         const QHash<QString, RedisReply> &unread = {});

// The cluster as one server for the health report and the charts: the first master's INFO with
// the totals across nodes (memory, RSS, clients, ops/sec, hits, misses, evictions, connections
// over every node; keys over the masters; maxmemory summed when every master has one).
InfoSnapshot mergedClusterInfo(const Topology &topology, const QHash<QString, InfoSnapshot> &infos);

} // namespace qs::redis
