#include "monitor/topologymodel.h"

#include "monitor/units.h"

#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qs::monitor {

namespace {

using Node = redis::TopologyNode;
using Spec = core::ColumnSpec<Node>;

constexpr Qt::Alignment kNumber = Qt::AlignRight | Qt::AlignVCenter;

// A value this node's reading does not include (a replica seen from its master): a dash.
template <typename T> QString orDash(const std::optional<T> &value, QString (*format)(qint64))
{
    return value ? format(qint64(*value)) : u"—"_s;
}

template <typename T> QVariant sortable(const std::optional<T> &value)
{
    return value ? QVariant::fromValue(*value) : QVariant::fromValue(T(-1));
}

QString lagText(const Node &node)
{
    QStringList parts;
    if (node.lagBytes)
        parts << formatBytes(*node.lagBytes);
    if (node.lagSeconds)
        parts << u"%1 s"_s.arg(*node.lagSeconds);
    return parts.join(u", "_s);
}

QVariant problemTip(const Node &node)
{
    QStringList lines;
    if (!node.problem.isEmpty())
        lines << node.problem;
    if (!node.announced.isEmpty())
        lines << TopologyModel::tr("announced as %1").arg(node.announced);
    if (!node.id.isEmpty())
        lines << TopologyModel::tr("id %1").arg(node.id);
    return lines.isEmpty() ? QVariant()
                           : core::displayText(lines.join(u'\n'), core::DisplayMode::Block);
}

QString slotsText(const Node &node)
{
    if (node.slotRanges.isEmpty())
        return {};
    QStringList ranges;
    for (const redis::SlotRange &range : node.slotRanges)
        ranges << (range.first == range.last ? QString::number(range.first)
                                             : u"%1-%2"_s.arg(range.first).arg(range.last));
    return u"%1 (%2)"_s.arg(node.slotCount()).arg(ranges.join(u", "_s));
}

QString replicaList(const QList<Node> &replicas)
{
    QStringList items;
    for (const Node &node : replicas) {
        const QString lag = lagText(node);
        items << node.address + (node.state == u"ok" ? QString() : u" "_s + node.state) +
                     (lag.isEmpty() ? QString() : u" (lag %1)"_s.arg(lag));
    }
    return items.join(u", "_s);
}

} // namespace

QList<Spec> TopologyModel::columns()
{
    using C = const Node &;
    return {
        {.header = tr("Address"), .display = [](C n) { return n.address; }, .toolTip = problemTip},
        {.header = tr("Role"), .display = [](C n) { return n.role; }, .toolTip = problemTip},
        {.header = tr("Master"), .display = [](C n) { return n.masterAddress; }},
        {.header = tr("State"), .display = [](C n) { return n.state; }, .toolTip = problemTip},
        {.header = tr("Slots"),
         .display = slotsText,
         .sortKey = [](C n) { return n.slotCount(); },
         .alignment = kNumber},
        {.header = tr("Keys"),
         .display = [](C n) { return orDash(n.keys, formatCount); },
         .sortKey = [](C n) { return sortable(n.keys); },
         .alignment = kNumber},
        {.header = tr("Memory"),
         .display = [](C n) { return orDash(n.usedMemory, formatBytes); },
         .sortKey = [](C n) { return sortable(n.usedMemory); },
         .alignment = kNumber},
        {.header = tr("Ops/s"),
         .display = [](C n) { return n.opsPerSec ? QString::number(*n.opsPerSec) : u"—"_s; },
         .sortKey = [](C n) { return sortable(n.opsPerSec); },
         .alignment = kNumber},
        {.header = tr("Clients"),
         .display = [](C n) { return orDash(n.connectedClients, formatCount); },
         .sortKey = [](C n) { return sortable(n.connectedClients); },
         .alignment = kNumber},
        {.header = tr("Repl. offset"),
         .headerToolTip = tr("Replication offset: how far into the master's stream this node is"),
         .display = [](C n) { return orDash(n.replicationOffset, formatCount); },
         .sortKey = [](C n) { return sortable(n.replicationOffset); },
         .alignment = kNumber},
        {.header = tr("Lag"),
         .headerToolTip = tr("A replica: bytes behind its master's offset, and seconds since it "
                             "last acknowledged (or, seen from the replica, last heard from it)"),
         .display = lagText,
         .sortKey = [](C n) { return sortable(n.lagBytes); },
         .alignment = kNumber},
    };
}

TopologyModel::TopologyModel(QObject *parent)
    : RowTableModel(columns(), parent)
{
}

void TopologyModel::setTopology(const redis::Topology &topology)
{
    m_topology = topology;
    mergeRows(topology.nodes, [](const Node &node) { return node.role + u'@' + node.address; });
}

bool isLostNode(const redis::TopologyNode &node)
{
    return node.state == u"fail" || node.state == u"unreachable";
}

QString topologySummary(const redis::Topology &topology)
{
    QList<Node> masters, replicas, sentinels;
    for (const Node &node : topology.nodes) {
        if (node.role == u"master")
            masters << node;
        else if (node.role == u"replica")
            replicas << node;
        else if (node.role == u"sentinel")
            sentinels << node;
    }
    switch (topology.mode) {
    case redis::TopologyMode::Cluster: {
        const auto live = [](const Node &node) { return !isLostNode(node); };
        const qsizetype failed =
            std::count_if(topology.nodes.cbegin(), topology.nodes.cend(), isLostNode);
        const qsizetype liveMasters = std::count_if(masters.cbegin(), masters.cend(), live);
        const qsizetype liveReplicas = std::count_if(replicas.cbegin(), replicas.cend(), live);
        return u"cluster, %1 nodes (%2 master(s), %3 replica(s)%4), state %5, %6/16384 slots"_s
            .arg(topology.nodes.size())
            .arg(liveMasters)
            .arg(liveReplicas)
            .arg(failed > 0 ? u", %1 failed or unreachable"_s.arg(failed) : QString())
            .arg(topology.clusterState.isEmpty() ? u"unknown"_s : topology.clusterState)
            .arg(topology.slotsCovered);
    }
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
    const Node &self = topology.nodes.first();
    if (self.role == u"replica")
        return u"replica of %1, link %2%3; read-only: actions run against the master"_s.arg(
            self.masterAddress.isEmpty() ? u"an unknown master"_s : self.masterAddress,
            self.state == u"ok" ? u"up"_s : u"down"_s,
            self.lagSeconds ? u", last heard %1 s ago"_s.arg(*self.lagSeconds) : QString());
    if (replicas.isEmpty())
        return {};
    return u"master with %1 replica(s): %2"_s.arg(replicas.size()).arg(replicaList(replicas));
}

} // namespace qs::monitor
