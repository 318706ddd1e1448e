#include "topologyoutput.h"

#include "monitor/units.h"

#include <QJsonArray>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace qs::cli {

namespace {

template <typename T> QJsonValue optional(const std::optional<T> &value)
{
    return value ? QJsonValue(double(*value)) : QJsonValue::Null; // null: unknown
}

QJsonValue text(const QString &value)
{
    return value.isEmpty() ? QJsonValue::Null : QJsonValue(value);
}

QJsonObject nodeToJson(const redis::TopologyNode &node, bool cluster)
{
    QJsonObject object{
        {u"address"_s, node.address},
        {u"role"_s, node.role},
        {u"state"_s, node.state},
        {u"slots"_s,
         cluster && node.role == u"master" ? QJsonValue(node.slotCount()) : QJsonValue::Null},
        {u"usedMemory"_s, optional(node.usedMemory)},
        {u"keys"_s, optional(node.keys)},
        {u"opsPerSec"_s, optional(node.opsPerSec)},
        {u"connectedClients"_s, optional(node.connectedClients)},
        {u"replicationOffset"_s, optional(node.replicationOffset)},
        {u"lagBytes"_s, optional(node.lagBytes)},
        {u"lagSeconds"_s, optional(node.lagSeconds)},
        {u"master"_s, text(node.masterAddress)},
        {u"id"_s, text(node.id)},
        {u"announced"_s, text(node.announced)},
        {u"problem"_s, text(node.problem)},
    };
    if (cluster) {
        QJsonArray ranges;
        for (const redis::SlotRange &range : node.slotRanges)
            ranges.append(QJsonArray{range.first, range.last});
        object.insert(u"slotRanges"_s, ranges);
    }
    return object;
}

QString lag(const redis::TopologyNode &node)
{
    QStringList parts;
    if (node.lagBytes)
        parts << monitor::formatBytes(*node.lagBytes);
    if (node.lagSeconds)
        parts << u"%1 s"_s.arg(*node.lagSeconds);
    return parts.isEmpty() ? QString() : u" (lag %1)"_s.arg(parts.join(u", "_s));
}

QString replicaList(const QList<redis::TopologyNode> &replicas)
{
    QStringList items;
    for (const redis::TopologyNode &node : replicas)
        items << node.address + (node.state == u"ok" ? QString() : u" "_s + node.state) + lag(node);
    return items.join(u", "_s);
}

} // namespace

QJsonObject topologyToJson(const redis::Topology &topology)
{
    const bool cluster = topology.mode == redis::TopologyMode::Cluster;
    QJsonArray nodes;
    for (const redis::TopologyNode &node : topology.nodes)
        nodes.append(nodeToJson(node, cluster));
    QJsonObject object{{u"mode"_s, redis::topologyModeName(topology.mode)}, {u"nodes"_s, nodes}};
    if (cluster) {
        object.insert(u"clusterState"_s, topology.clusterState);
        object.insert(u"slotsCovered"_s, topology.slotsCovered);
    }
    if (topology.mode == redis::TopologyMode::Sentinel)
        object.insert(u"sentinelMaster"_s, topology.sentinelMasterName);
    return object;
}

QString topologyLine(const redis::Topology &topology)
{
    QList<redis::TopologyNode> masters, replicas, sentinels;
    for (const redis::TopologyNode &node : topology.nodes) {
        if (node.role == u"master")
            masters << node;
        else if (node.role == u"replica")
            replicas << node;
        else if (node.role == u"sentinel")
            sentinels << node;
    }
    switch (topology.mode) {
    case redis::TopologyMode::Cluster:
        return u"cluster, %1 nodes (%2 masters, %3 replicas), state %4, %5/16384 slots"_s
            .arg(topology.nodes.size())
            .arg(masters.size())
            .arg(replicas.size())
            .arg(topology.clusterState.isEmpty() ? u"unknown"_s : topology.clusterState)
            .arg(topology.slotsCovered);
    case redis::TopologyMode::Sentinel:
        return u"sentinel master \"%1\" at %2, %3 replica(s)%4, %5 sentinel(s)"_s
            .arg(topology.sentinelMasterName,
                 masters.isEmpty() ? u"unknown"_s : masters.first().address)
            .arg(replicas.size())
            .arg(replicas.isEmpty() ? QString() : u": "_s + replicaList(replicas))
            .arg(sentinels.size());
    case redis::TopologyMode::Standalone:
        break;
    }
    if (topology.nodes.isEmpty())
        return {};
    const redis::TopologyNode &self = topology.nodes.first();
    if (self.role == u"replica")
        return u"replica of %1, link %2%3; read-only: actions run against the master"_s.arg(
            self.masterAddress.isEmpty() ? u"an unknown master"_s : self.masterAddress,
            self.state == u"ok" ? u"up"_s : u"down"_s,
            self.lagSeconds ? u", last heard %1 s ago"_s.arg(*self.lagSeconds) : QString());
    if (replicas.isEmpty())
        return {};
    return u"master with %1 replica(s): %2"_s.arg(replicas.size()).arg(replicaList(replicas));
}

} // namespace qs::cli
