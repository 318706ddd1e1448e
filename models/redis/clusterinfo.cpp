#include "clusterinfo.h"

#include "clusterreplies.h"
#include "infotopology.h"

using namespace Qt::StringLiterals;

namespace qs::redis {

namespace {

void setField(InfoSnapshot &info, const QString &key, const QString &value)
{
    info.fields.insert(key, value);
    for (InfoSection &section : info.sections) {
        for (InfoField &field : section.fields) {
            if (field.key == key)
                field.value = value;
        }
    }
}

bool isMaster(const TopologyNode &node)
{
    return node.role == u"master";
}

} // namespace

Topology clusterTopology(const Topology &known, const QHash<QString, InfoSnapshot> &infos,
                         const QString &clusterState, const QHash<QString, RedisReply> &unread)
{
    Topology topology = known;
    if (!clusterState.isEmpty())
        topology.clusterState = clusterState;
    for (TopologyNode &node : topology.nodes) {
        const auto info = infos.constFind(node.address);
        if (info == infos.cend()) {
            if (const auto why = unread.constFind(node.address);
                why != unread.cend() && node.problem.isEmpty()) {
                node.problem = QString::fromUtf8(why->string);
                if (isUnreachableNodeReply(*why) && node.state != QLatin1String("fail"))
                    node.state = QStringLiteral("unreachable");
            }
            continue;
        }
        const TopologyNode read = nodeFromInfo(*info, node.address);
        node.usedMemory = read.usedMemory;
        node.keys = read.keys;
        node.opsPerSec = read.opsPerSec;
        node.connectedClients = read.connectedClients;
        node.replicationOffset = read.replicationOffset;
        node.lagSeconds = read.lagSeconds;
        if (!read.problem.isEmpty() && node.problem.isEmpty()) {
            node.problem = read.problem;
            node.state = read.state;
        }
    }
    // A replica's lag: its master's offset minus its own.
    for (TopologyNode &node : topology.nodes) {
        if (isMaster(node) || !node.replicationOffset)
            continue;
        for (const TopologyNode &master : std::as_const(topology.nodes)) {
            if (master.address == node.masterAddress && master.replicationOffset)
                node.lagBytes =
                    std::max<qint64>(*master.replicationOffset - *node.replicationOffset, 0);
        }
    }
    return topology;
}

InfoSnapshot mergedClusterInfo(const Topology &topology, const QHash<QString, InfoSnapshot> &infos)
{
    InfoSnapshot merged;
    bool first = true;
    qint64 keys = 0;
    qint64 expires = 0;
    qint64 maxMemory = 0;
    bool everyMasterLimited = true;
    QHash<QString, qint64> sums;
    double opsPerSec = 0;
    static const QStringList summed = {u"used_memory"_s,
                                       u"used_memory_rss"_s,
                                       u"connected_clients"_s,
                                       u"blocked_clients"_s,
                                       u"keyspace_hits"_s,
                                       u"keyspace_misses"_s,
                                       u"evicted_keys"_s,
                                       u"expired_keys"_s,
                                       u"rejected_connections"_s,
                                       u"total_commands_processed"_s,
                                       u"total_connections_received"_s,
                                       u"total_net_input_bytes"_s,
                                       u"total_net_output_bytes"_s};
    for (const TopologyNode &node : topology.nodes) {
        const auto found = infos.constFind(node.address);
        if (found == infos.cend())
            continue;
        const InfoSnapshot &info = *found;
        if (first && isMaster(node)) {
            merged = info;
            first = false;
        }
        for (const QString &key : summed) {
            if (const std::optional<qint64> value = info.integer(key))
                sums[key] += *value;
        }
        opsPerSec += info.realOr(u"instantaneous_ops_per_sec"_s, 0);
        if (!isMaster(node))
            continue;
        for (const KeyspaceEntry &entry : info.keyspace) {
            keys += entry.keys;
            expires += entry.expires;
        }
        const qint64 limit = info.integerOr(u"maxmemory"_s, 0);
        everyMasterLimited = everyMasterLimited && limit > 0;
        maxMemory += limit;
    }
    if (first && !infos.isEmpty())
        merged = *infos.cbegin(); // no master answered: a replica's view, still the server kind
    for (auto it = sums.cbegin(); it != sums.cend(); ++it)
        setField(merged, it.key(), QString::number(it.value()));
    setField(merged, u"instantaneous_ops_per_sec"_s, QString::number(opsPerSec, 'f', 0));
    setField(merged, u"maxmemory"_s, QString::number(everyMasterLimited ? maxMemory : 0));
    if (!merged.keyspace.isEmpty() || keys > 0) {
        merged.keyspace = {KeyspaceEntry{0, keys, expires, 0}};
        setField(merged, u"db0"_s, u"keys=%1,expires=%2,avg_ttl=0"_s.arg(keys).arg(expires));
    }
    return merged;
}

} // namespace qs::redis
