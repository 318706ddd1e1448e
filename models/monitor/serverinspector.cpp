#include "serverinspector.h"

#include "clientlist.h"
#include "clientlistmodel.h"
#include "clusterinspection.h"
#include "slowlog.h"
#include "slowlogmodel.h"

#include "redis/replyerrors.h"

#include <QTimer>

namespace qs::monitor {

namespace {

// SLOWLOG keeps 128 entries by default (slowlog-max-len); asking for more than that is pointless
// and the cap bounds the reply on servers configured with a huge log.
const redis::RedisCommand kSlowLogGet{"SLOWLOG", "GET", "128"};
const redis::RedisCommand kClientList{"CLIENT", "LIST"};
// "all" rather than "everything": Redis 5 knows only the former.
const redis::RedisCommand kInfo{"INFO", "all"};

} // namespace

ServerInspector::ServerInspector(QObject *parent)
    : QObject(parent)
    , m_slowLog(new SlowLogModel(this))
    , m_clients(new ClientListModel(this))
{
}

ServerInspector::~ServerInspector() = default;

void ServerInspector::setConnection(redis::RedisConnection *connection)
{
    if (connection == m_connection)
        return;
    if (m_connection)
        disconnect(m_connection, nullptr, this, nullptr);
    m_connection = connection;
    // Destroyed under the inspector: its pending callbacks die with it, so forget what was in
    // flight.
    if (connection)
        connect(connection, &QObject::destroyed, this, &ServerInspector::forgetConnection);
    forgetConnection();
}

bool ServerInspector::isReadOnly() const
{
    return m_connection && m_connection->profile().readOnly;
}

void ServerInspector::forgetConnection()
{
    ++m_generation;
    ++m_armToken;
    m_inFlight = false; // a reply still coming carries the old generation and is dropped
    m_refreshQueued = false;
    clearData();
    if (m_active && m_connection)
        refresh();
}

void ServerInspector::clearData()
{
    m_slowLog->setEntries({});
    m_clients->setClients({});
    m_info = {};
    Q_EMIT cleared();
}

void ServerInspector::setActive(bool active)
{
    m_active = active;
    if (active)
        refresh();
    else
        ++m_armToken; // what is in flight still lands; nothing new is asked for
}

void ServerInspector::refresh()
{
    if (!m_connection) {
        clearData();
        return;
    }
    if (m_inFlight) {
        m_refreshQueued = true;
        return;
    }
    ++m_armToken; // this refresh replaces the armed one
    m_inFlight = true;
    const quint64 generation = m_generation;
    if (m_connection->isCluster()) {
        const ClusterInspection plan =
            ClusterInspection::plan(m_connection->topology(), kSlowLogGet, kClientList, kInfo);
        m_connection->pipelineOnNodes(
            plan.commands, this, [this, generation, plan](const redis::PipelineResult &result) {
                if (generation == m_generation)
                    onClusterRefreshed(plan, result);
            });
        return;
    }
    m_connection->pipeline({kSlowLogGet, kClientList, kInfo}, this,
                           [this, generation](const redis::PipelineResult &result) {
                               if (generation == m_generation)
                                   onRefreshed(result);
                           });
}

QString ServerInspector::refusal(const redis::RedisReply &reply,
                                 const redis::RedisCommand &command) const
{
    const QString user = m_connection ? m_connection->profile().username : QString();
    return redis::errorFromReply(reply, command, user).message;
}

void ServerInspector::onRefreshed(const redis::PipelineResult &result)
{
    Inspection inspection;
    inspection.elapsedMs = result.elapsedUs / 1000.0;
    inspection.ok = result.ok() && result.replies.size() == 3;
    if (inspection.ok) {
        const auto read = [this](const redis::RedisReply &reply, const redis::RedisCommand &command,
                                 QString *error) {
            *error = refusal(reply, command);
            return error->isEmpty();
        };
        const QList<redis::RedisReply> &replies = result.replies;
        // A refused command empties its part: stale rows under an error would look current.
        m_slowLog->setEntries(read(replies.at(0), kSlowLogGet, &inspection.slowLogError)
                                  ? parseSlowLog(replies.at(0))
                                  : QList<SlowLogEntry>());
        m_clients->setClients(read(replies.at(1), kClientList, &inspection.clientsError)
                                  ? parseClientList(replies.at(1).string)
                                  : QList<ClientInfo>());
        m_info = read(replies.at(2), kInfo, &inspection.infoError)
                     ? redis::parseInfo(replies.at(2).string)
                     : redis::InfoSnapshot();
    } else {
        // The connection failed, not a command: keep the last data, say why it is not fresh.
        inspection.error = result.ok() ? tr("The server sent %n replies to 3 commands.", "",
                                            int(result.replies.size()))
                                       : result.error.message;
    }
    finishRefresh(inspection);
}

void ServerInspector::onClusterRefreshed(const ClusterInspection &plan,
                                         const redis::PipelineResult &result)
{
    Inspection inspection;
    inspection.elapsedMs = result.elapsedUs / 1000.0;
    inspection.ok = result.ok() && result.replies.size() == plan.commands.size();
    if (inspection.ok) {
        const ClusterInspection::Read read =
            plan.read(result.replies, [this](const redis::RedisReply &reply, int part) {
                return refusal(reply, part == 0 ? kSlowLogGet : kClientList);
            });
        // A node that refused a part has no rows in it; the other nodes' rows stay.
        m_slowLog->setEntries(read.slowLog);
        m_clients->setClients(read.clients);
        inspection.slowLogError = read.slowLogError;
        inspection.clientsError = read.clientsError;
        inspection.infoError = refusal(read.info, kInfo);
        m_info = inspection.infoError.isEmpty() ? redis::parseInfo(read.info.string)
                                                : redis::InfoSnapshot();
    } else {
        inspection.error = result.ok() ? tr("The cluster sent %n replies to %1 commands.", "",
                                            int(result.replies.size()))
                                             .arg(plan.commands.size())
                                       : result.error.message;
    }
    finishRefresh(inspection);
}

void ServerInspector::finishRefresh(const Inspection &inspection)
{
    m_inFlight = false;
    Q_EMIT refreshed(inspection);
    if (m_refreshQueued) {
        m_refreshQueued = false;
        refresh();
    } else if (m_active) {
        armNextRefresh();
    }
}

void ServerInspector::armNextRefresh()
{
    // Poll, complete, re-arm: a slow server delays the next refresh instead of piling them up.
    const quint64 token = ++m_armToken;
    QTimer::singleShot(m_intervalMs, this, [this, token] {
        if (token == m_armToken && m_active)
            refresh();
    });
}

void ServerInspector::killClient(qint64 id, const QString &node)
{
    if (isReadOnly() || !m_connection)
        return;
    const redis::RedisCommand kill{"CLIENT", "KILL", "ID", QByteArray::number(id)};
    if (m_connection->isCluster()) {
        if (!node.isEmpty())
            runPinnedWrite(Part::Clients, {{node, kill}});
        else // listed before the cluster was known: which node's client it is, is not known
            writeFinished(Part::Clients,
                          tr("Nothing was sent: this client was listed before the cluster's "
                             "nodes were known. Refresh and select it again."));
        return;
    }
    runWrite(Part::Clients, kill);
}

void ServerInspector::resetSlowLog()
{
    if (isReadOnly() || !m_connection)
        return;
    const redis::RedisCommand reset{"SLOWLOG", "RESET"};
    if (!m_connection->isCluster()) {
        runWrite(Part::SlowLog, reset);
        return;
    }
    QList<redis::NodeCommand> commands;
    for (const redis::TopologyNode &node : m_connection->topology().nodes) {
        if (node.isReadable())
            commands.append({node.address, reset});
    }
    runPinnedWrite(Part::SlowLog, commands);
}

void ServerInspector::runWrite(Part part, const redis::RedisCommand &command)
{
    const quint64 generation = m_generation;
    m_connection->command(
        command, this,
        [this, generation, part](const redis::RedisReply &reply, const redis::RedisError &error) {
            if (generation != m_generation)
                return;
            QString problem = error.message;
            // CLIENT KILL ID answers how many clients it closed.
            if (error.isNone() && part == Part::Clients && reply.toInteger() == 0)
                problem = tr("The client had already disconnected.");
            writeFinished(part, problem);
        });
}

void ServerInspector::runPinnedWrite(Part part, const QList<redis::NodeCommand> &commands)
{
    const quint64 generation = m_generation;
    m_connection->pipelineOnNodes(
        commands, this, [this, generation, part, commands](const redis::PipelineResult &result) {
            if (generation != m_generation)
                return;
            QStringList problems;
            if (!result.ok())
                problems.append(result.error.message);
            for (qsizetype i = 0; result.ok() && i < commands.size(); ++i) {
                const redis::RedisReply reply = result.replies.value(i);
                QString problem = refusal(reply, commands.at(i).command);
                if (problem.isEmpty() && part == Part::Clients && reply.toInteger() == 0)
                    problem = tr("The client had already disconnected.");
                if (!problem.isEmpty())
                    problems.append(commands.size() == 1 ? problem
                                                         : QStringLiteral("%1: %2").arg(
                                                               commands.at(i).node, problem));
            }
            writeFinished(part, problems.join(QLatin1Char('\n')));
        });
}

void ServerInspector::writeFinished(Part part, const QString &problem)
{
    Q_EMIT actionFinished(part, problem);
    refresh();
}

} // namespace qs::monitor
