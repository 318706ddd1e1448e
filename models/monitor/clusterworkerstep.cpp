#include "clusterworkerstep.h"

#include "queues/workerreplies.h"

namespace qs::monitor {

bool readsEveryMaster(const redis::RedisCommand &command)
{
    return command.size() >= 2 && command.at(0).compare("CLIENT", Qt::CaseInsensitive) == 0 &&
           command.at(1).compare("LIST", Qt::CaseInsensitive) == 0;
}

ClusterWorkerStep ClusterWorkerStep::plan(const redis::Topology &topology,
                                          const QList<redis::RedisCommand> &commands)
{
    ClusterWorkerStep step;
    QStringList masters;
    for (const redis::TopologyNode &node : topology.nodes) {
        if (node.role != QLatin1String("master"))
            continue;
        if (node.isReadable())
            masters.append(node.address);
        else if (node.slotCount() > 0) // a master failed over has no slots left: no note
            step.notes.append(QStringLiteral("workers connected to %1 are not listed: %2")
                                  .arg(node.address, node.problem.isEmpty()
                                                         ? QStringLiteral("the cluster marks it "
                                                                          "failed")
                                                         : node.problem));
    }
    bool fansOut = false;
    for (const redis::RedisCommand &command : commands) {
        Place place{step.commands.size(), {}};
        if (readsEveryMaster(command) && !masters.isEmpty()) {
            fansOut = true;
            place.nodes = masters;
            for (const QString &master : masters)
                step.commands.append({master, command});
        } else {
            step.commands.append({QString(), command});
        }
        step.m_places.append(place);
    }
    if (!fansOut)
        step.notes.clear(); // nothing of this step lives on one master
    return step;
}

QList<redis::RedisReply> ClusterWorkerStep::read(const QList<redis::RedisReply> &replies,
                                                 QStringList *notes) const
{
    QList<redis::RedisReply> out;
    out.reserve(m_places.size());
    for (const Place &place : m_places) {
        if (place.nodes.isEmpty()) {
            out.append(replies.value(place.first));
            continue;
        }
        QByteArray merged;
        std::optional<redis::RedisReply> refusal;
        QStringList refused;
        for (qsizetype i = 0; i < place.nodes.size(); ++i) {
            const redis::RedisReply &reply = replies.value(place.first + i);
            if (reply.isString()) {
                merged += queues::withClientNode(reply.string, place.nodes.at(i));
                continue;
            }
            if (!refusal)
                refusal = reply;
            refused.append(QStringLiteral("%1 (%2)").arg(
                place.nodes.at(i), QString::fromUtf8(reply.string.left(200)).trimmed()));
        }
        if (refused.size() == place.nodes.size()) {
            out.append(*refusal);
            continue;
        }
        if (notes && !refused.isEmpty())
            notes->append(QStringLiteral("workers connected to these masters are not listed, "
                                         "CLIENT LIST failed there: %1")
                              .arg(refused.join(QStringLiteral(", "))));
        out.append(redis::RedisReply::bulk(merged));
    }
    return out;
}

} // namespace qs::monitor
