#include "serversession.h"

#include "alerts/alertmonitor.h"
#include "frameworks/registry.h"
#include "history/historyrecorder.h"
#include "jobs/auditlog.h"
#include "monitor/poller.h"
#include "monitor/queuemonitor.h"
#include "monitor/throughputbackfill.h"
#include "monitor/workereventsources.h"
#include "monitor/workerscanner.h"
#include "redis/redisconnection.h"

namespace qs::session {

namespace {

redis::TransportOptions transportOptions(const SessionOptions &options)
{
    redis::TransportOptions transport;
    transport.autoReconnect = options.reconnect;
    transport.clientName = options.clientName;
    transport.ownThread = options.ownIoThreads;
    return transport;
}

} // namespace

ServerSession::ServerSession(core::ConnectionProfile profile, SessionOptions options,
                             QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
    , m_options(std::move(options))
{
    m_connection = new redis::RedisConnection(m_profile, transportOptions(m_options), this);
    m_pollConnection = m_options.pollClientName.isEmpty()
                           ? m_connection
                           : m_connection->clone(m_options.pollClientName, this);
    m_queues = new monitor::QueueMonitor(m_pollConnection,
                                         frameworks::adaptersFor(m_profile.queueSources), this);
    m_queues->setDetailsEnabled(m_options.details);
    if (m_options.detailIntervalMs)
        m_queues->setDetailIntervalMs(*m_options.detailIntervalMs);
    const QList<queues::QueueRef> installations =
        frameworks::installationsFor(m_profile.queueSources);
    m_workers = new monitor::WorkerScanner(m_pollConnection, m_queues, installations, this);
    m_workerEvents = new monitor::WorkerEventSources(*m_connection, m_queues, installations, this);
    m_workers->addEventSource([events = m_workerEvents](queues::WorkerScan &scan, qint64 nowMs) {
        events->addTo(scan, nowMs);
    });
    if (m_options.workersIntervalMs)
        m_workers->setIntervalMs(*m_options.workersIntervalMs);
    m_poller = new monitor::Poller(m_pollConnection, this);
    m_poller->setQueueMonitor(m_queues);
    if (m_options.intervalMs)
        m_poller->setIntervalMs(*m_options.intervalMs);
    if (!m_options.infoSections.isEmpty())
        m_poller->setInfoSections(m_options.infoSections);

    if (!m_options.historyPath.isEmpty()) {
        m_recorder = std::make_unique<history::HistoryRecorder>(
            m_options.historyPath,
            m_options.historyFlushMs.value_or(history::HistoryRecorder::defaultFlushMs));
        // What the frameworks recorded before, read once the queues are known.
        m_backfill = new monitor::ThroughputBackfill(m_pollConnection, this);
        connect(m_backfill, &monitor::ThroughputBackfill::backfilled, m_recorder.get(),
                &history::HistoryRecorder::backfill);
    }
    if (m_options.alerts)
        m_alerts = std::make_unique<alerts::AlertMonitor>(
            m_profile.name, m_profile.name.isEmpty() ? m_profile.displayUrl() : m_profile.name,
            m_options.historyPath);

    m_rediscover.setSingleShot(true);
    connect(&m_rediscover, &QTimer::timeout, m_queues, &monitor::QueueMonitor::discover);
    connect(m_queues, &monitor::QueueMonitor::discoveryFinished, this, [this] {
        // New queues should appear soon, but a pass over a big keyspace is not free.
        if (m_options.rediscover && m_poller->isRunning())
            m_rediscover.start(
                qMax(m_queues->rediscoveryDelayMs(), m_options.rediscoverMinMs.value_or(0)));
        if (m_options.pollAfterDiscovery)
            m_poller->pollNow();
        if (m_backfill)
            m_backfill->run(m_queues->queues());
    });
    // First: those who follow statusChanged() see the polling already started.
    connect(m_pollConnection, &redis::RedisConnection::statusChanged, this,
            [this](const redis::ConnectionStatus &status) {
                if (status.state == redis::ConnectionState::Connected)
                    onPollConnectionUp();
            });
    connect(m_connection, &redis::RedisConnection::statusChanged, this,
            &ServerSession::statusChanged);
    connect(m_poller, &monitor::Poller::polled, this, &ServerSession::applyPoll);
}

ServerSession::~ServerSession()
{
    m_poller->stop();
}

void ServerSession::onPollConnectionUp()
{
    using Discovery = SessionOptions::Discovery;
    if (m_options.discovery == Discovery::WhileNoQueues && m_queues->queues().isEmpty() &&
        !m_queues->isDiscovering())
        m_queues->discover();
    // Poll as soon as the connection is (back) up: no gap at start, quick recovery after.
    if (m_options.workers && (m_poller->isRunning() || m_options.startPollingOnConnect))
        m_workers->setActive(true); // again after a reconnect: a scan at once
    if (m_poller->isRunning()) {
        m_poller->pollNow();
        if (m_options.discovery == Discovery::EveryReconnect)
            m_queues->discover();
    } else if (m_options.startPollingOnConnect) {
        m_poller->start();
        if (m_options.discovery == Discovery::FirstConnect)
            m_queues->discover();
    }
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
    if (m_pollConnection != m_connection)
        m_pollConnection->open();
}

void ServerSession::close()
{
    m_poller->stop();
    m_workers->setActive(false);
    m_workerEvents->stop();
    m_rediscover.stop();
    if (m_pollConnection != m_connection)
        m_pollConnection->close();
    m_connection->close();
}

void ServerSession::applyPoll(const monitor::PollSnapshot &snapshot)
{
    m_latest = snapshot;
    if (snapshot.ok() && m_options.consumers)
        m_workers->setBacklog(snapshot.queues, snapshot.timestampMs);
    if (m_options.keepHistory)
        m_history.append(snapshot);
    const QList<history::Sample> samples =
        m_recorder || m_alerts ? m_samples.take(snapshot) : QList<history::Sample>();
    m_throughput.update(snapshot);
    const QList<history::Sample> minutes = m_throughput.takeMinutes(); // taken even unrecorded
    if (m_recorder)
        m_recorder->record(snapshot.timestampMs, samples + minutes);
    if (snapshot.ok()) {
        const monitor::HealthReport::Status before = m_health.status;
        m_health = monitor::evaluateHealth(snapshot.info);
        if (!m_hasHealth || before != m_health.status)
            Q_EMIT healthChanged(m_health.status);
        m_hasHealth = true;
        noteTopologyChanges(snapshot);
    }
    if (m_alerts)
        m_alerts->evaluate(snapshot, samples + m_throughput.current(), m_health, m_queues);
    Q_EMIT polled();
}

void ServerSession::noteTopologyChanges(const monitor::PollSnapshot &snapshot)
{
    const QList<monitor::TopologyChange> changes =
        monitor::compareTopologies(m_lastTopology, snapshot.topology, snapshot.timestampMs);
    m_lastTopology = snapshot.topology;
    for (const monitor::TopologyChange &change : changes) {
        m_topologyChanges.append(change);
        if (m_topologyChanges.size() > maxTopologyChanges)
            m_topologyChanges.removeFirst();
        Q_EMIT topologyChanged(change);
    }
}

void ServerSession::pingCeleryWorkers(int timeoutMs, const QString &origin)
{
    QList<QByteArray> prefixes;
    for (const queues::QueueRef &queue : m_queues->queues()) {
        if (queue.framework == queues::Framework::Celery && !prefixes.contains(queue.prefix))
            prefixes.append(queue.prefix);
    }
    struct Round
    {
        QList<monitor::CeleryPingResult> results;
        qsizetype pending = 0;
    };
    auto round = std::make_shared<Round>();
    round->pending = prefixes.size();
    if (prefixes.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this] { Q_EMIT celeryWorkersPinged({}); }, Qt::QueuedConnection);
        return;
    }
    for (const QByteArray &prefix : std::as_const(prefixes)) {
        auto *ping = new monitor::CeleryPing(*m_connection, prefix, timeoutMs, this);
        connect(ping, &monitor::CeleryPing::finished, this,
                [this, ping, round, origin](const monitor::CeleryPingResult &result) {
                    QString auditError;
                    if (!jobs::AuditLog().appendWorkerControl(m_profile, result.toJson(), origin,
                                                              &auditError))
                        qWarning("%s", qPrintable(auditError));
                    round->results.append(result);
                    ping->deleteLater();
                    if (--round->pending == 0)
                        Q_EMIT celeryWorkersPinged(round->results);
                });
        ping->start();
    }
}

} // namespace qs::session
