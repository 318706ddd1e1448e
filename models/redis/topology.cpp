#include "topology.h"

namespace qs::redis {

QString topologyModeName(TopologyMode mode)
{
    switch (mode) {
    case TopologyMode::Cluster:
        return QStringLiteral("cluster");
    case TopologyMode::Sentinel:
        return QStringLiteral("sentinel");
    case TopologyMode::Standalone:
        break;
    }
    return QStringLiteral("standalone");
}

int TopologyNode::slotCount() const
{
    int count = 0;
    for (const SlotRange &range : slotRanges)
        count += range.last - range.first + 1;
    return count;
}

QString Topology::masterServing(int slot) const
{
    for (const TopologyNode &node : nodes) {
        if (node.role != QLatin1String("master") || node.state == QLatin1String("fail"))
            continue;
        for (const SlotRange &range : node.slotRanges) {
            if (slot >= range.first && slot <= range.last)
                return node.address;
        }
    }
    return {};
}

bool TopologyNode::isReadable() const
{
    return state != QLatin1String("fail") && problem.isEmpty();
}

} // namespace qs::redis
