#include "topologyoutput.h"

#include <QJsonArray>

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

} // namespace qs::cli
