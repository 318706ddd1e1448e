#include "watchstream.h"

#include "clioutput.h"
#include "exitcode.h"
#include "headlessserver.h"
#include "queuejson.h"

#include "monitor/metric.h"
#include "monitor/poller.h"
#include "monitor/throughputtracker.h"
#include "monitor/workerscanner.h"
#include "redis/redisconnection.h"
#include "session/serversession.h"

#include <QDateTime>
#include <QEventLoop>
#include <QTimeZone>

#include <cmath>

namespace qs::cli {

namespace {

QJsonObject infoMetrics(const monitor::MetricHistory &history)
{
    QJsonObject metrics;
    for (int i = 0; i < monitor::metricCount; ++i) {
        const auto metric = monitor::Metric(i);
        const double value = history.latest(metric);
        metrics.insert(monitor::metricName(metric),
                       std::isnan(value) ? QJsonValue::Null : QJsonValue(value));
    }
    return metrics;
}

int exitCodeFor(const redis::RedisError &error)
{
    using Kind = redis::RedisError::Kind;
    switch (error.kind) {
    case Kind::ConnectionLost:
    case Kind::ConnectionRefused:
    case Kind::ConnectTimeout:
    case Kind::CommandTimeout:
    case Kind::NotConnected:
    case Kind::UnknownHost:
    case Kind::AuthFailed:
    case Kind::AuthRequired:
    case Kind::Tls:
    case Kind::TlsRequired:
        return Unreachable;
    default:
        return Degraded;
    }
}

} // namespace

WatchStream::WatchStream(HeadlessServer &server, Options options)
    : m_server(server)
    , m_options(options)
{
    m_watchdog.setSingleShot(true);
}

void WatchStream::print(const QJsonObject &line)
{
    printJson(line);
    if (m_options.limit > 0 && ++m_printed >= m_options.limit)
        m_done = true;
}

void WatchStream::armWatchdog()
{
    // A poll is one round trip with its own deadline; this is the backstop if none completes.
    m_watchdog.start(m_server.poller().intervalMs() + int(m_server.deadlineFor(2).remainingTime()));
}

void WatchStream::onPolled(const monitor::PollSnapshot &snapshot)
{
    armWatchdog();
    if (!snapshot.ok())
        m_exitCode = Degraded;
    if (const std::optional<QJsonObject> gap = m_gaps.onPoll(snapshot))
        print(*gap);
    if (!snapshot.ok() && m_options.exitOnError) {
        m_exitCode = exitCodeFor(snapshot.error);
        m_done = true;
    }
    if (!snapshot.ok() || m_done)
        return;
    m_history.append(snapshot);
    print({
        {QStringLiteral("time"),
         QDateTime::fromMSecsSinceEpoch(snapshot.timestampMs, QTimeZone::utc())
             .toString(Qt::ISODateWithMs)},
        {QStringLiteral("ok"), true},
        {QStringLiteral("metrics"), infoMetrics(m_history)},
        {QStringLiteral("queues"),
         queuesToJson(snapshot.queues, &m_server.workers(), &m_server.session().throughput())},
        {QStringLiteral("frameworks"),
         serverCountsToJson(snapshot.queueServers, &m_server.session().throughput())},
        {QStringLiteral("cost"), costToJson(snapshot.cost)},
    });
}

int WatchStream::run()
{
    QEventLoop loop;
    monitor::Poller &poller = m_server.poller();
    QObject::connect(&poller, &monitor::Poller::polled, &loop,
                     [&](const monitor::PollSnapshot &snapshot) {
                         onPolled(snapshot);
                         if (m_done)
                             loop.quit();
                     });
    // A failover (or a cluster node failing, coming back) seen by this poll: a line of its own,
    // before the poll's line.
    QObject::connect(&m_server.session(), &session::ServerSession::topologyChanged, &loop,
                     [this](const monitor::TopologyChange &change) {
                         print({{QStringLiteral("time"),
                                 QDateTime::fromMSecsSinceEpoch(change.atMs, QTimeZone::utc())
                                     .toString(Qt::ISODateWithMs)},
                                {QStringLiteral("topologyChange"), change.summary},
                                {QStringLiteral("failover"), change.failover}});
                     });
    // Back after an outage the session polls at once and looks for queues again (the server
    // may have come back with other data): SessionOptions::watch().
    QObject::connect(&m_server.connection(), &redis::RedisConnection::statusChanged, &loop,
                     [this](const redis::ConnectionStatus &status) {
                         if (status.state == redis::ConnectionState::Reconnecting)
                             m_gaps.onReconnectAttempt();
                     });
    // Failed for good (the password changed, a TLS certificate is no longer trusted): no
    // reconnect will help; the gap line already said why, so stop.
    QObject::connect(&m_server.connection(), &redis::RedisConnection::statusChanged, &loop,
                     [&](const redis::ConnectionStatus &status) {
                         if (status.state != redis::ConnectionState::Failed)
                             return;
                         monitor::PollSnapshot failed;
                         failed.timestampMs = QDateTime::currentMSecsSinceEpoch();
                         failed.error = status.error;
                         onPolled(failed);
                         m_exitCode = Unreachable;
                         m_done = true;
                         loop.quit();
                     });
    QObject::connect(&m_watchdog, &QTimer::timeout, &loop, [&] {
        monitor::PollSnapshot stalled;
        stalled.timestampMs = QDateTime::currentMSecsSinceEpoch();
        stalled.error = m_server.noAnswer(QStringLiteral("poll"));
        poller.stop(); // the late answer, if any, is dropped
        onPolled(stalled);
        if (m_done)
            loop.quit();
        else
            poller.start();
    });
    armWatchdog();
    poller.start();
    m_server.workers().setActive(true); // the queues' live workers, on their own cadence
    if (!m_done)
        loop.exec();
    poller.stop();
    m_server.workers().setActive(false);
    return m_exitCode;
}

} // namespace qs::cli
