#include "connectiontest.h"

#include "redis/infosnapshot.h"
#include "redis/redisconnection.h"

namespace qs::monitor {

QString ConnectionTestResult::describe() const
{
    if (!ok)
        return error.message;
    QString text = QStringLiteral("Connected: Redis %1, %2 (%3), as user '%4', round trip %5 ms.")
                       .arg(version, role, mode, aclUser, QString::number(latencyMs, 'f', 2));
    if (!tls.isEmpty())
        text += QStringLiteral(" %1.").arg(tls);
    return text;
}

ConnectionTest::ConnectionTest(core::ConnectionProfile profile, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
{
}

ConnectionTest::~ConnectionTest() = default;

void ConnectionTest::start()
{
    redis::TransportOptions options;
    options.autoReconnect = false;
    options.clientName = QStringLiteral("queuescope-test");
    m_connection = new redis::RedisConnection(m_profile, options, this);
    connect(m_connection, &redis::RedisConnection::statusChanged, this,
            [this](const redis::ConnectionStatus &status) {
                if (status.state == redis::ConnectionState::Connected)
                    onConnected();
                else if (status.state == redis::ConnectionState::Failed ||
                         status.state == redis::ConnectionState::Reconnecting) {
                    ConnectionTestResult result;
                    result.error = status.error;
                    finish(result);
                }
            });
    m_connection->open();
}

void ConnectionTest::onConnected()
{
    const QString tls = m_connection->status().tls;
    m_connection->pipeline(
        {{"PING"}, {"INFO", "server"}, {"INFO", "replication"}, {"ACL", "WHOAMI"}}, this,
        [this, tls](const redis::PipelineResult &r) {
            ConnectionTestResult result;
            if (!r.ok()) {
                result.error = r.error;
                finish(result);
                return;
            }
            result.ok = true;
            result.tls = tls;
            result.latencyMs = r.elapsedUs / 1000.0; // the four answers in one round trip
            const redis::InfoSnapshot server = redis::parseInfo(r.replies.at(1).string);
            const redis::InfoSnapshot replication = redis::parseInfo(r.replies.at(2).string);
            result.version = server.text(QStringLiteral("redis_version"));
            result.mode = server.text(QStringLiteral("redis_mode"));
            result.role = replication.text(QStringLiteral("role"));
            // Redis < 6 has no ACL; a user may also lack the permission to ask.
            const redis::RedisReply &whoami = r.replies.at(3);
            result.aclUser = whoami.isError()
                                 ? (m_profile.username.isEmpty() ? QStringLiteral("default")
                                                                 : m_profile.username)
                                 : QString::fromUtf8(whoami.string);
            if (result.version.isEmpty())
                result.version = QStringLiteral("(version not readable)");
            finish(result);
        });
}

void ConnectionTest::finish(ConnectionTestResult result)
{
    if (m_done)
        return;
    m_done = true;
    if (m_connection)
        m_connection->close();
    Q_EMIT finished(result);
}

} // namespace qs::monitor
