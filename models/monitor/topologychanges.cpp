#include "monitor/topologychanges.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace qs::monitor {

namespace {

using Node = redis::TopologyNode;

QHash<QString, Node> byAddress(const redis::Topology &topology)
{
    QHash<QString, Node> nodes;
    for (const Node &node : topology.nodes)
        if (node.role != u"sentinel")
            nodes.insert(node.address, node);
    return nodes;
}

bool failed(const Node &node)
{
    return node.state == u"fail" || node.state == u"down" || node.state == u"unreachable";
}

void compareSentinelMasters(const redis::Topology &before, const redis::Topology &after,
                            qint64 atMs, QList<TopologyChange> &changes)
{
    const auto masterOf = [](const redis::Topology &topology) {
        for (const Node &node : topology.nodes)
            if (node.role == u"master")
                return node.address;
        return QString();
    };
    const QString was = masterOf(before);
    const QString now = masterOf(after);
    if (!was.isEmpty() && !now.isEmpty() && was != now)
        changes.append({atMs,
                        u"failover: master \"%1\" is %2 now (was %3)"_s.arg(
                            after.sentinelMasterName, now, was),
                        true});
}

} // namespace

QList<TopologyChange> compareTopologies(const redis::Topology &before, const redis::Topology &after,
                                        qint64 atMs)
{
    QList<TopologyChange> changes;
    if (before.nodes.isEmpty() || after.nodes.isEmpty() || before.mode != after.mode)
        return changes;
    if (after.mode == redis::TopologyMode::Sentinel) {
        compareSentinelMasters(before, after, atMs, changes);
        return changes;
    }
    const QHash<QString, Node> old = byAddress(before);
    for (const Node &node : after.nodes) {
        const auto it = old.constFind(node.address);
        if (it == old.cend() || node.role == u"sentinel")
            continue;
        const Node &was = *it;
        if (was.role == u"replica" && node.role == u"master") {
            const QString replaced = was.masterAddress.isEmpty()
                                         ? QString()
                                         : u" (was replica of %1)"_s.arg(was.masterAddress);
            changes.append(
                {atMs, u"failover: %1 is master now%2"_s.arg(node.address, replaced), true});
        } else if (was.role == u"master" && node.role == u"replica") {
            changes.append({atMs,
                            u"failover: %1 is a replica now%2"_s.arg(
                                node.address, node.masterAddress.isEmpty()
                                                  ? QString()
                                                  : u" of %1"_s.arg(node.masterAddress)),
                            true});
        } else if (after.mode == redis::TopologyMode::Cluster && failed(node) != failed(was)) {
            changes.append({atMs,
                            failed(node)
                                ? u"node %1 (%2) is %3"_s.arg(node.address, node.role, node.state)
                                : u"node %1 (%2) is back"_s.arg(node.address, node.role),
                            false});
        }
    }
    return changes;
}

} // namespace qs::monitor
