#include "profileprobe.h"

#include "poller.h"
#include "pollsnapshot.h"
#include "queuemonitor.h"

#include "queues/adapterfactory.h"
#include "redis/redisconnection.h"

namespace qs::monitor {

ProfileProbe::ProfileProbe(core::ConnectionProfile profile, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
{
    m_profile.password.clear();
}

ProfileProbe::~ProfileProbe()
{
    if (m_poller)
        m_poller->stop();
}

void ProfileProbe::start(const QString &password)
{
    if (m_connection)
        return;
    core::ConnectionProfile connectAs = m_profile;
    connectAs.password = password;
    redis::TransportOptions options;
    options.clientName = QStringLiteral("queuescope-overview");
    m_connection = new redis::RedisConnection(connectAs, options, this);
    m_queues = new QueueMonitor(m_connection, queues::adaptersFor(m_profile.queueSources), this);
    m_poller = new Poller(m_connection, this);
    m_queues->setDetailsEnabled(false); // a tile shows counts only: one round trip per poll
    m_poller->setQueueMonitor(m_queues);
    m_poller->setIntervalMs(intervalMs);
    // Light: only what a tile shows.
    m_poller->setInfoSections(
        {"server", "clients", "memory", "stats", "persistence", "replication"});
    connect(m_poller, &Poller::polled, this, &ProfileProbe::onPolled);
    connect(m_connection, &redis::RedisConnection::statusChanged, this,
            [this](const redis::ConnectionStatus &status) {
                if (status.state == redis::ConnectionState::Connected) {
                    if (m_queues->queues().isEmpty() && !m_queues->isDiscovering())
                        m_queues->discover();
                    if (!m_poller->isRunning())
                        m_poller->start();
                    else
                        m_poller->pollNow();
                } else if (!status.error.isNone()) {
                    m_lastError = status.error.message;
                }
                Q_EMIT updated();
            });
    connect(m_queues, &QueueMonitor::discoveryFinished, m_poller, &Poller::pollNow);
    m_connection->open();
}

const redis::ConnectionStatus &ProfileProbe::status() const
{
    return m_connection ? m_connection->status() : m_notStarted;
}

qint64 ProfileProbe::countFailed(const PollSnapshot &snapshot, const QueueMonitor &queues)
{
    qint64 failed = 0;
    auto add = [&failed](const QList<QPair<QString, qint64>> &counts,
                         const QList<QPair<QString, queues::UnifiedState>> &states) {
        for (const auto &state : states) {
            if (state.second != queues::UnifiedState::Failed)
                continue;
            for (const auto &count : counts) {
                if (count.first == state.first)
                    failed += count.second;
            }
        }
    };
    for (const queues::QueueCounts &counts : snapshot.queues) {
        if (const queues::QueueAdapter *adapter = queues.adapterFor(counts.queue.framework))
            add(counts.counts, adapter->states());
    }
    for (const queues::ServerCounts &server : snapshot.queueServers) {
        if (const queues::QueueAdapter *adapter = queues.adapterFor(server.framework))
            add(server.counts, adapter->serverStates());
    }
    return failed;
}

void ProfileProbe::onPolled(const PollSnapshot &snapshot)
{
    if (!snapshot.ok()) {
        m_lastError = snapshot.error.message;
        Q_EMIT updated();
        return;
    }
    m_health = evaluateHealth(snapshot.info);
    m_previousFailed = m_failed;
    m_failed = countFailed(snapshot, *m_queues);
    Q_EMIT updated();
}

} // namespace qs::monitor
