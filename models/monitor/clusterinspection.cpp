#include "clusterinspection.h"

#include <algorithm>

namespace qs::monitor {

ClusterInspection ClusterInspection::plan(const redis::Topology &topology,
                                          const redis::RedisCommand &slowLog,
                                          const redis::RedisCommand &clients,
                                          const redis::RedisCommand &info)
{
    ClusterInspection inspection;
    for (const redis::TopologyNode &node : topology.nodes) {
        if (node.isReadable() && node.role != QLatin1String("sentinel"))
            inspection.nodes.append(node.address);
    }
    for (const QString &node : std::as_const(inspection.nodes)) {
        inspection.commands.append({node, slowLog});
        inspection.commands.append({node, clients});
    }
    inspection.commands.append({QString(), info});
    return inspection;
}

ClusterInspection::Read ClusterInspection::read(
    const QList<redis::RedisReply> &replies,
    const std::function<QString(const redis::RedisReply &, int part)> &errorOf) const
{
    Read read;
    QStringList slowLogErrors;
    QStringList clientsErrors;
    for (qsizetype i = 0; i < nodes.size(); ++i) {
        const QString &node = nodes.at(i);
        const redis::RedisReply &slowLog = replies.value(2 * i);
        if (const QString error = errorOf(slowLog, 0); !error.isEmpty()) {
            slowLogErrors.append(QStringLiteral("%1: %2").arg(node, error));
        } else {
            for (SlowLogEntry entry : parseSlowLog(slowLog)) {
                entry.node = node;
                read.slowLog.append(entry);
            }
        }
        const redis::RedisReply &clients = replies.value(2 * i + 1);
        if (const QString error = errorOf(clients, 1); !error.isEmpty()) {
            clientsErrors.append(QStringLiteral("%1: %2").arg(node, error));
        } else {
            for (ClientInfo client : parseClientList(clients.string)) {
                client.node = node;
                read.clients.append(client);
            }
        }
    }
    sortSlowLogNewestFirst(read.slowLog);
    read.info = replies.value(2 * nodes.size());
    read.slowLogError = slowLogErrors.join(QLatin1Char('\n'));
    read.clientsError = clientsErrors.join(QLatin1Char('\n'));
    return read;
}

void sortSlowLogNewestFirst(QList<SlowLogEntry> &entries)
{
    std::stable_sort(entries.begin(), entries.end(),
                     [](const SlowLogEntry &a, const SlowLogEntry &b) {
                         if (a.timestamp != b.timestamp)
                             return a.timestamp > b.timestamp;
                         if (a.node != b.node)
                             return a.node < b.node;
                         return a.id > b.id;
                     });
}

} // namespace qs::monitor
