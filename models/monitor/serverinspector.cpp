#include "serverinspector.h"

#include "clientlist.h"
#include "clientlistmodel.h"
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
    m_connection->pipeline({kSlowLogGet, kClientList, kInfo}, this,
                           [this, generation](const redis::PipelineResult &result) {
                               if (generation == m_generation)
                                   onRefreshed(result);
                           });
}

void ServerInspector::onRefreshed(const redis::PipelineResult &result)
{
    m_inFlight = false;
    Inspection inspection;
    inspection.elapsedMs = result.elapsedUs / 1000.0;
    inspection.ok = result.ok() && result.replies.size() == 3;
    if (inspection.ok) {
        const QString user = m_connection ? m_connection->profile().username : QString();
        const auto read = [&user](const redis::RedisReply &reply,
                                  const redis::RedisCommand &command, QString *error) {
            *error = redis::errorFromReply(reply, command, user).message;
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

void ServerInspector::killClient(qint64 id)
{
    if (isReadOnly())
        return;
    runWrite(Part::Clients, {"CLIENT", "KILL", "ID", QByteArray::number(id)});
}

void ServerInspector::resetSlowLog()
{
    if (isReadOnly())
        return;
    runWrite(Part::SlowLog, {"SLOWLOG", "RESET"});
}

void ServerInspector::runWrite(Part part, const redis::RedisCommand &command)
{
    if (!m_connection)
        return;
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
            Q_EMIT actionFinished(part, problem);
            refresh();
        });
}

} // namespace qs::monitor
