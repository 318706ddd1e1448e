#include "infotopology.h"

#include "core/hostport.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qs::redis {

namespace {

std::optional<qint64> nonNegative(const std::optional<qint64> &value)
{
    return value && *value >= 0 ? value : std::nullopt;
}

std::optional<qint64> keysOf(const InfoSnapshot &info)
{
    // Redis prints "# Keyspace" even with no keys; without that header the section was not asked.
    const bool asked =
        std::any_of(info.sections.cbegin(), info.sections.cend(), [](const InfoSection &section) {
            return section.name.compare(u"Keyspace"_s, Qt::CaseInsensitive) == 0;
        });
    if (!asked)
        return std::nullopt;
    qint64 keys = 0;
    for (const KeyspaceEntry &entry : info.keyspace)
        keys += std::max<qint64>(entry.keys, 0);
    return keys;
}

// A replica's state as its master lists it ("online", "wait_bgsave", "send_bulk", ...): "ok"
// once it streams, the server's own word while it still syncs.
QString replicaState(const QString &state)
{
    return state == u"online" ? u"ok"_s : state;
}

} // namespace

TopologyNode nodeFromInfo(const InfoSnapshot &info, const QString &address)
{
    TopologyNode node;
    node.address = address;
    node.id = info.text(u"run_id"_s);
    node.usedMemory = nonNegative(info.integer(u"used_memory"_s));
    node.keys = keysOf(info);
    node.opsPerSec = info.real(u"instantaneous_ops_per_sec"_s);
    node.connectedClients = nonNegative(info.integer(u"connected_clients"_s));
    if (info.text(u"role"_s) == u"slave") {
        node.role = u"replica"_s;
        const QString masterHost = info.text(u"master_host"_s);
        if (!masterHost.isEmpty())
            node.masterAddress =
                core::hostPortText(masterHost, quint16(info.integerOr(u"master_port"_s, 0)));
        const QString link = info.text(u"master_link_status"_s);
        node.state = link == u"up" ? u"ok"_s : u"down"_s;
        if (link != u"up")
            node.problem = u"its link to the master %1 is down"_s.arg(node.masterAddress);
        node.replicationOffset = nonNegative(info.integer(u"slave_repl_offset"_s));
        node.lagSeconds = nonNegative(info.integer(u"master_last_io_seconds_ago"_s));
    } else {
        node.role = u"master"_s;
        node.state = u"ok"_s;
        node.replicationOffset = nonNegative(info.integer(u"master_repl_offset"_s));
    }
    return node;
}

Topology standaloneTopology(const InfoSnapshot &info, const QString &address)
{
    Topology topology;
    TopologyNode self = nodeFromInfo(info, address);
    const bool master = self.role == u"master";
    topology.nodes.append(self);
    if (!master)
        return topology;
    for (const ReplicaEntry &entry : info.replicas) {
        TopologyNode replica;
        replica.address = core::hostPortText(entry.ip, quint16(entry.port));
        replica.role = u"replica"_s;
        replica.masterAddress = address;
        replica.state = replicaState(entry.state);
        replica.replicationOffset = entry.offset;
        if (self.replicationOffset)
            replica.lagBytes = std::max<qint64>(*self.replicationOffset - entry.offset, 0);
        replica.lagSeconds = nonNegative(entry.lagSeconds);
        topology.nodes.append(replica);
    }
    return topology;
}

} // namespace qs::redis
