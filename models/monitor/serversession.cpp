#include "serversession.h"

#include "poller.h"
#include "queuemonitor.h"

#include "queues/adapterfactory.h"
#include "redis/redisconnection.h"

namespace qs::monitor {

ServerSession::ServerSession(core::ConnectionProfile profile, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
{
    m_connection = new redis::RedisConnection(m_profile, {}, this);
    m_pollConnection = m_connection->clone(QStringLiteral("queuescope-poller"), this);
    m_poller = new Poller(m_pollConnection, this);
    m_queues =
        new QueueMonitor(m_pollConnection, queues::adaptersFor(m_profile.queueSources), this);
    m_poller->setQueueMonitor(m_queues);
    m_poller->setIntervalMs(m_profile.pollIntervalMs);
    // New queues should appear soon, but a pass over a big keyspace is not free.
    m_rediscover.setSingleShot(true);
    connect(&m_rediscover, &QTimer::timeout, m_queues, &QueueMonitor::discover);
    connect(m_queues, &QueueMonitor::discoveryFinished, this, [this] {
        if (m_poller->isRunning())
            m_rediscover.start(m_queues->rediscoveryDelayMs());
    });
    connect(m_connection, &redis::RedisConnection::statusChanged, this,
            &ServerSession::statusChanged);
    connect(m_poller, &Poller::polled, this, &ServerSession::applyPoll);
    // Poll as soon as the poll connection is (back) up: no gap at start, quick recovery after.
    connect(m_pollConnection, &redis::RedisConnection::statusChanged, this,
            [this](const redis::ConnectionStatus &status) {
                if (status.state != redis::ConnectionState::Connected)
                    return;
                if (m_poller->isRunning()) {
                    m_poller->pollNow();
                } else {
                    m_poller->start();
                    m_queues->discover();
                }
            });
}

ServerSession::~ServerSession()
{
    m_poller->stop();
}

const redis::ConnectionStatus &ServerSession::status() const
{
    return m_connection->status();
}

QString ServerSession::problem() const
{
    const redis::ConnectionStatus &connection = status();
    if (connection.state != redis::ConnectionState::Connected)
        return connection.error.isNone() ? QString()
                                         : tr("unreachable: %1").arg(connection.error.message);
    if (m_latest.timestampMs > 0 && !m_latest.ok())
        return tr("poll failed: %1").arg(m_latest.error.message);
    return {};
}

void ServerSession::open()
{
    m_connection->open();
    m_pollConnection->open();
}

void ServerSession::close()
{
    m_poller->stop();
    m_rediscover.stop();
    m_pollConnection->close();
    m_connection->close();
}

void ServerSession::applyPoll(const PollSnapshot &snapshot)
{
    m_latest = snapshot;
    m_history.append(snapshot);
    if (snapshot.ok()) {
        const HealthReport::Status before = m_health.status;
        m_health = evaluateHealth(snapshot.info);
        if (!m_hasHealth || before != m_health.status)
            Q_EMIT healthChanged(m_health.status);
        m_hasHealth = true;
    }
    Q_EMIT polled();
}

} // namespace qs::monitor
