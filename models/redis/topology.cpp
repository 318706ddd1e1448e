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

} // namespace qs::redis
