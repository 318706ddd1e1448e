#pragma once

#include "redisreply.h"
#include "topology.h"

#include <QHash>
#include <QStringList>
#include <QVector>

#include <optional>

namespace qs::redis {

// The profile's address mapping: announced "host:port" -> "host:port" QueueScope can reach
// (NAT, containers), as core::parseClusterAddressMap reads it.
using AddressMap = QHash<QString, QString>;

// More nodes than a cluster can have (Redis documents 1,000 as the ceiling): a reply listing more
// is refused as not a cluster's (and a node index fits the slot table's qint16).
constexpr qsizetype kMaxClusterNodes = 4096;

// What a cluster node says about the cluster: every node (masters first, each followed by its
// replicas), each master's slots, and which master serves each of the 16384 slots.
struct ClusterMap
{
    Topology topology;         // mode Cluster; node addresses after the address mapping
    QVector<qint16> slotOwner; // index into topology.nodes, -1 = served by nobody

    bool isEmpty() const { return topology.nodes.isEmpty(); }
    // The address serving `slot`, empty when none.
    QString ownerOf(int slot) const;
    // The first master that answers: keyless commands go there.
    QString anyMaster() const;
    QStringList masters() const;
    const TopologyNode *node(const QString &address) const;
    // Moves `slot` to `address` (a MOVED reply), adding the node as a master when unknown.
    void moveSlot(int slot, const QString &address);
};

// Reads CLUSTER SHARDS (Redis 7+) or CLUSTER SLOTS (before) as asked of `askedHost` (an empty
// announced host means that one). `tls`: the nodes are reached on their TLS ports.
// std::nullopt when the reply is not of that shape.
std::optional<ClusterMap> parseClusterShards(const RedisReply &reply, const AddressMap &mapping,
                                             const QString &askedHost, bool tls);
std::optional<ClusterMap> parseClusterSlots(const RedisReply &reply, const AddressMap &mapping,
                                            const QString &askedHost);

// "host:port", with IPv6 hosts in brackets.
QString joinHostPort(const QString &host, int port);

} // namespace qs::redis
