#include "headlessserver.h"

#include "completion.h"

#include "monitor/poller.h"
#include "monitor/queuemonitor.h"
#include "queues/adapterfactory.h"
#include "redis/redisconnection.h"

namespace qs::cli {

namespace {

redis::TransportOptions cliOptions(bool reconnect)
{
    redis::TransportOptions options;
    options.autoReconnect = reconnect;
    options.clientName = QStringLiteral("queuescope-cli");
    return options;
}

QString seconds(qint64 ms)
{
    return QString::number(ms / 1000.0, 'g', 3);
}

} // namespace

HeadlessServer::HeadlessServer(const core::ConnectionProfile &profile, bool reconnect)
    : m_connection(std::make_unique<redis::RedisConnection>(profile, cliOptions(reconnect)))
    , m_queues(std::make_unique<monitor::QueueMonitor>(m_connection.get(),
                                                       queues::adaptersFor(profile.queueSources)))
    , m_poller(std::make_unique<monitor::Poller>(m_connection.get()))
    , m_commandTimeoutMs(qMax(1, profile.commandTimeoutMs))
    , m_connectTimeoutMs(qMax(1, profile.connectTimeoutMs))
{
    m_poller->setQueueMonitor(m_queues.get());
}

HeadlessServer::~HeadlessServer()
{
    m_poller->stop();
}

QDeadlineTimer HeadlessServer::deadlineFor(int rounds) const
{
    return QDeadlineTimer(qint64(qMax(1, rounds)) * m_commandTimeoutMs + graceMs, Qt::PreciseTimer);
}

redis::RedisError HeadlessServer::noAnswer(const QString &what) const
{
    return {redis::RedisError::Kind::CommandTimeout,
            QStringLiteral("%1: no answer within %2 s (--timeout)")
                .arg(what, seconds(qint64(m_commandTimeoutMs) + graceMs))};
}

int HeadlessServer::discoveryBudgetMs() const
{
    // A million keys take ~3,000 SCAN calls: seconds on a LAN. Bounded all the same, so that a
    // server whose cursor never comes back to 0 cannot keep a command alive.
    return int(qMin<qint64>(qMax<qint64>(60'000, 6LL * m_commandTimeoutMs), 3'600'000));
}

redis::RedisError HeadlessServer::connect()
{
    Completion done;
    redis::RedisError error;
    const auto connection =
        QObject::connect(m_connection.get(), &redis::RedisConnection::statusChanged,
                         m_connection.get(), [&](const redis::ConnectionStatus &status) {
                             if (done.isFinished())
                                 return;
                             if (status.state == redis::ConnectionState::Connected)
                                 done.finish();
                             // A first attempt that fails is final, reconnecting or not: the
                             // operator gets the reason now, not a retry loop.
                             if (status.state == redis::ConnectionState::Failed ||
                                 status.state == redis::ConnectionState::Reconnecting) {
                                 error = status.error;
                                 done.finish();
                             }
                         });
    m_connection->open();
    // The connection (TCP, TLS) and the handshake (AUTH, SELECT, CLIENT SETNAME) have a
    // timeout each; this wait is their backstop.
    const qint64 budgetMs = 2LL * m_connectTimeoutMs + graceMs;
    if (!done.wait(QDeadlineTimer(budgetMs, Qt::PreciseTimer)))
        error = {redis::RedisError::Kind::ConnectTimeout,
                 QStringLiteral("not connected within %1 s (--timeout %2)")
                     .arg(seconds(budgetMs), seconds(m_connectTimeoutMs))};
    QObject::disconnect(connection);
    if (!error.isNone())
        m_connection->close();
    return error;
}

QString HeadlessServer::discoverQueues()
{
    Completion done;
    QString error;
    const auto connection =
        QObject::connect(m_queues.get(), &monitor::QueueMonitor::discoveryFinished, m_queues.get(),
                         [&](const QString &why) {
                             error = why;
                             done.finish();
                         });
    m_queues->discover();
    const int budgetMs = discoveryBudgetMs();
    if (!done.wait(QDeadlineTimer(budgetMs, Qt::PreciseTimer)))
        error = QStringLiteral("stopped after %1 s (the queues found so far are shown)")
                    .arg(seconds(budgetMs));
    QObject::disconnect(connection);
    return error;
}

double HeadlessServer::pingMs()
{
    Completion done;
    double ms = -1;
    QObject context;
    m_connection->pipeline({{"PING"}}, &context, [&](const redis::PipelineResult &r) {
        if (r.ok() && !r.replies.first().isError())
            ms = r.elapsedUs / 1000.0;
        done.finish();
    });
    done.wait(deadlineFor());
    return ms;
}

monitor::PollSnapshot HeadlessServer::poll()
{
    Completion done;
    monitor::PollSnapshot result;
    // The poller reports a closed connection synchronously, inside start().
    const auto connection =
        QObject::connect(m_poller.get(), &monitor::Poller::polled, m_poller.get(),
                         [&](const monitor::PollSnapshot &snapshot) {
                             result = snapshot;
                             m_poller->stop();
                             done.finish();
                         });
    m_poller->start();
    if (!done.wait(deadlineFor())) {
        m_poller->stop();
        result.error = noAnswer(QStringLiteral("poll"));
    }
    QObject::disconnect(connection);
    return result;
}

} // namespace qs::cli
