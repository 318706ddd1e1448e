#pragma once

#include "core/rowtablemodel.h"
#include "redis/topology.h"

namespace qs::monitor {

// The nodes of the watched topology as a table: a standalone server and its replicas, every
// node of a cluster, a Sentinel group's master, replicas and sentinels. Rows are merged by
// address and role on every poll, so a view's selection survives polling.
class TopologyModel final : public core::RowTableModel<redis::TopologyNode>
{
    Q_OBJECT
public:
    enum class Column {
        Address,
        Role,
        Master,
        State,
        Slots,
        Keys,
        Memory,
        OpsPerSec,
        Clients,
        Offset,
        Lag
    };
    static constexpr int ColumnCount = int(Column::Lag) + 1;

    explicit TopologyModel(QObject *parent = nullptr);

    void setTopology(const redis::Topology &topology);
    const redis::Topology &topology() const { return m_topology; }

private:
    static QList<core::ColumnSpec<redis::TopologyNode>> columns();
    redis::Topology m_topology;
};

// One line that says what the topology is made of: "cluster, 6 nodes (3 master(s), 3 replica(s)),
// state ok, 16384/16384 slots"; "master with 1 replica: 10.0.0.2:6379 (lag 0 B, 0 s)"; "replica
// of H:P, link up; read-only: actions run against the master"; a Sentinel master and its group.
// Empty for a lone standalone server.
QString topologySummary(const redis::Topology &topology);

// A node the cluster marks failed or that cannot be reached: counted apart from the live
// masters and replicas (a killed master stays listed, as a master, until it is forgotten).
bool isLostNode(const redis::TopologyNode &node);

} // namespace qs::monitor
