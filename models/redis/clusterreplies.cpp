#include "clusterreplies.h"

namespace qs::redis {

namespace {

QString commandName(const RedisCommand &command)
{
    return QString::fromUtf8(command.value(0)).toUpper();
}

} // namespace

Redirection redirectionOf(const RedisReply &reply)
{
    if (!reply.isError())
        return {};
    const QList<QByteArray> words = reply.string.split(' ');
    if (words.size() < 3 || (words.first() != "MOVED" && words.first() != "ASK"))
        return {};
    bool ok = false;
    const int slot = words.at(1).toInt(&ok);
    if (!ok)
        return {};
    return {words.first() == "MOVED" ? Redirection::Kind::Moved : Redirection::Kind::Ask, slot,
            QString::fromUtf8(words.at(2))};
}

RedisReply crossSlotReply(const RedisCommand &command)
{
    return RedisReply::error(
        QStringLiteral("CROSSSLOT %1 names keys on several Redis Cluster slots, so no single node "
                       "can run it; keys that must be used together need one {hash tag} (e.g. a "
                       "'{myprefix}' queue prefix)")
            .arg(commandName(command))
            .toUtf8());
}

RedisReply explainedClusterReply(const RedisReply &reply, const RedisCommand &command)
{
    if (!reply.isError())
        return reply;
    const QByteArray code = reply.errorCode();
    const QString name = commandName(command);
    if (const Redirection redirect = redirectionOf(reply); redirect.kind != Redirection::Kind::None)
        return RedisReply::error(QStringLiteral("CLUSTERMOVING %1: slot %2 moved again while it "
                                                "was retried on %3 (the cluster is resharding "
                                                "or failing over); try again")
                                     .arg(name)
                                     .arg(redirect.slot)
                                     .arg(redirect.address)
                                     .toUtf8());
    if (code == "CROSSSLOT")
        return crossSlotReply(command);
    if (code == "TRYAGAIN")
        return RedisReply::error(QStringLiteral("TRYAGAIN %1: its keys are being moved between "
                                                "cluster nodes right now; try again in a moment")
                                     .arg(name)
                                     .toUtf8());
    if (code == "CLUSTERDOWN")
        return RedisReply::error(QStringLiteral("CLUSTERDOWN %1: the cluster cannot serve this "
                                                "slot now (%2)")
                                     .arg(name, QString::fromUtf8(reply.string.mid(12)))
                                     .toUtf8());
    return reply;
}

QString unreachableNodeProblem(const QString &address, const QString &announced, const QString &why)
{
    if (!announced.isEmpty())
        return QStringLiteral("Cluster node %1 (mapped to %2) cannot be reached: %3.")
            .arg(announced, address, why);
    return QStringLiteral("Cluster node %1, as the cluster announces it, cannot be reached from "
                          "here (%2); if it is behind NAT or in a container, map %1 to an "
                          "address you can reach with an address mapping (the profile's "
                          "\"Cluster address map\", or --cluster-map on the command line).")
        .arg(address, why);
}

bool isUnreachableNodeReply(const RedisReply &reply)
{
    return reply.isError() && reply.string.startsWith("Cluster node ") &&
           reply.string.contains(" cannot be reached");
}

} // namespace qs::redis
