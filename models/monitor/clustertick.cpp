#include "clustertick.h"

#include "redis/clusterinfo.h"

namespace qs::monitor {

namespace {

QString clusterStateOf(const QByteArray &clusterInfo)
{
    const qsizetype at = clusterInfo.indexOf("cluster_state:");
    if (at < 0)
        return {};
    return QString::fromUtf8(
        clusterInfo.mid(at + 14, clusterInfo.indexOf('\r', at) - at - 14).trimmed());
}

} // namespace

bool refusesInfoSections(const redis::RedisReply &reply)
{
    return reply.isError() &&
           (reply.string.contains("syntax error") || reply.string.contains("wrong number"));
}

ClusterTick ClusterTick::plan(const redis::Topology &known, const redis::RedisCommand &info,
                              const QList<redis::RedisCommand> &counts)
{
    ClusterTick tick;
    tick.known = known;
    tick.commands.reserve(known.nodes.size() + 1 + counts.size());
    for (const redis::TopologyNode &node : known.nodes) {
        if (!node.isReadable())
            continue;
        tick.commands.append({node.address, info});
        tick.infoNodes.append(node.address);
    }
    if (!tick.infoNodes.isEmpty())
        tick.commands.append({tick.infoNodes.first(), {"CLUSTER", "INFO"}});
    tick.queueOffset = tick.commands.size();
    for (const redis::RedisCommand &command : counts)
        tick.commands.append({QString(), command});
    return tick;
}

ClusterTick::Read ClusterTick::read(const redis::PipelineResult &result) const
{
    Read read;
    if (!result.ok()) {
        read.error = result.error;
        read.topology = known;
        return read;
    }
    QHash<QString, redis::InfoSnapshot> infos;
    QHash<QString, redis::RedisReply> unread; // nodes whose INFO failed: the error
    for (qsizetype i = 0; i < infoNodes.size(); ++i) {
        const redis::RedisReply &reply = result.replies.at(i);
        read.infoSyntaxError = read.infoSyntaxError || refusesInfoSections(reply);
        if (!reply.isError())
            infos.insert(infoNodes.at(i), redis::parseInfo(reply.string));
        else
            unread.insert(infoNodes.at(i), reply);
    }
    if (infos.isEmpty()) {
        read.error = {redis::RedisError::Kind::Server,
                      QStringLiteral("INFO failed on every cluster node")};
        return read;
    }
    const QString clusterState = queueOffset > infoNodes.size()
                                     ? clusterStateOf(result.replies.at(infoNodes.size()).string)
                                     : QString();
    read.topology = redis::clusterTopology(known, infos, clusterState, unread);
    read.info = redis::mergedClusterInfo(read.topology, infos);
    return read;
}

} // namespace qs::monitor
