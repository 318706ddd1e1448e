#pragma once

#include "infosnapshot.h"
#include "topology.h"

namespace qs::redis {

// One node's own values from its INFO (memory, keys, ops/sec, clients, role, replication
// offset; a replica's master, link state and seconds since it last heard from it). `address` is
// how QueueScope reached it. Every mode fills its nodes with this.
TopologyNode nodeFromInfo(const InfoSnapshot &info, const QString &address);

// A server that is not a cluster, as its INFO shows it: the node itself first, then, on a
// master, each replica it lists (slaveN: address, state, offset, lag in bytes behind the
// master's offset and in seconds since its last ack).
Topology standaloneTopology(const InfoSnapshot &info, const QString &address);

} // namespace qs::redis
