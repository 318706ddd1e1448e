#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace qs::redis {

// How the watched data is served: one server, a Redis Cluster, or a master found through
// Sentinel. The vocabulary every part shares (connection, poller, window, `check --json`, the
// exporter); each mode fills what it knows and leaves the rest unset.
enum class TopologyMode { Standalone, Cluster, Sentinel };

// "standalone", "cluster", "sentinel": as `check --json` prints it.
QString topologyModeName(TopologyMode mode);

struct SlotRange
{
    int first = 0;
    int last = 0; // inclusive
    bool operator==(const SlotRange &) const = default;
};

// One process of the topology: a cluster master or replica, a standalone server's replica, a
// sentinel. Values are std::nullopt when unknown (not asked, not answered).
struct TopologyNode
{
    QString address;       // "host:port" as QueueScope reaches it (after any address mapping)
    QString announced;     // as the server announces it, when different from address
    QString id;            // cluster node id, sentinel run id; empty when none
    QString role;          // "master", "replica" or "sentinel"
    QString masterAddress; // a replica's master
    // Link state as one word: "ok", "fail", "pfail", "handshake", "connecting", "down",
    // "unreachable" (then `problem` says why).
    QString state;
    QString problem;             // why this node cannot be read, one sentence; empty when it can
    QList<SlotRange> slotRanges; // cluster masters
    std::optional<qint64> usedMemory;
    std::optional<qint64> keys;
    std::optional<double> opsPerSec;
    std::optional<qint64> connectedClients;
    std::optional<qint64> replicationOffset;
    std::optional<qint64> lagBytes;   // a replica: its master's offset minus its own
    std::optional<qint64> lagSeconds; // a replica: seconds since its last ack / interaction

    int slotCount() const;
    // Worth asking: not marked failed by the cluster and not unreachable (no problem).
    bool isReadable() const;
    bool operator==(const TopologyNode &) const = default;
};

struct Topology
{
    TopologyMode mode = TopologyMode::Standalone;
    QList<TopologyNode> nodes; // the node QueueScope talks to first, then the rest
    // Cluster: cluster_state ("ok" / "fail") and how many of the 16384 slots a master serves.
    QString clusterState;
    int slotsCovered = 0;
    // Sentinel: the name of the master the sentinels were asked for (they are nodes too).
    QString sentinelMasterName;

    // Cluster: the master ("host:port") whose slot ranges hold `slot`; empty when none does.
    QString masterServing(int slot) const;
    bool operator==(const Topology &) const = default;
};

} // namespace qs::redis

Q_DECLARE_METATYPE(qs::redis::Topology)
