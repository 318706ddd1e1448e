#include "headlessserver.h"

#include "monitor/poller.h"
#include "monitor/queuemonitor.h"
#include "queues/adapterfactory.h"
#include "redis/redisconnection.h"

#include <QEventLoop>

namespace qs::cli {

namespace {

redis::TransportOptions cliOptions(bool reconnect)
{
    redis::TransportOptions options;
    options.autoReconnect = reconnect;
    options.clientName = QStringLiteral("queuescope-cli");
    return options;
}

} // namespace

HeadlessServer::HeadlessServer(const core::ConnectionProfile &profile, bool reconnect)
    : m_connection(std::make_unique<redis::RedisConnection>(profile, cliOptions(reconnect)))
    , m_queues(std::make_unique<monitor::QueueMonitor>(m_connection.get(),
                                                       queues::adaptersFor(profile.queueSources)))
    , m_poller(std::make_unique<monitor::Poller>(m_connection.get()))
{
    m_poller->setQueueMonitor(m_queues.get());
}

HeadlessServer::~HeadlessServer()
{
    m_poller->stop();
}

redis::RedisError HeadlessServer::connect()
{
    QEventLoop loop;
    redis::RedisError error;
    QObject::connect(m_connection.get(), &redis::RedisConnection::statusChanged, &loop,
                     [&](const redis::ConnectionStatus &status) {
                         if (status.state == redis::ConnectionState::Connected)
                             loop.quit();
                         // A first attempt that fails is final, reconnecting or not: the
                         // operator gets the reason now, not a retry loop.
                         if (status.state == redis::ConnectionState::Failed ||
                             status.state == redis::ConnectionState::Reconnecting) {
                             error = status.error;
                             loop.quit();
                         }
                     });
    m_connection->open();
    loop.exec();
    if (!error.isNone())
        m_connection->close();
    return error;
}

QString HeadlessServer::discoverQueues()
{
    QEventLoop loop;
    QString error;
    QObject::connect(m_queues.get(), &monitor::QueueMonitor::discoveryFinished, &loop,
                     [&](const QString &why) {
                         error = why;
                         loop.quit();
                     });
    m_queues->discover();
    if (m_queues->isDiscovering())
        loop.exec();
    return error;
}

double HeadlessServer::pingMs()
{
    QEventLoop loop;
    double ms = -1;
    m_connection->pipeline({{"PING"}}, &loop, [&](const redis::PipelineResult &r) {
        if (r.ok() && !r.replies.first().isError())
            ms = r.elapsedUs / 1000.0;
        loop.quit();
    });
    loop.exec();
    return ms;
}

monitor::PollSnapshot HeadlessServer::poll()
{
    QEventLoop loop;
    monitor::PollSnapshot result;
    const auto connection = QObject::connect(m_poller.get(), &monitor::Poller::polled, &loop,
                                             [&](const monitor::PollSnapshot &snapshot) {
                                                 result = snapshot;
                                                 m_poller->stop();
                                                 loop.quit();
                                             });
    m_poller->start();
    loop.exec();
    QObject::disconnect(connection);
    return result;
}

} // namespace qs::cli
