#include "headlessserver.h"

#include "completion.h"

#include "monitor/celeryeventwatcher.h"
#include "monitor/poller.h"
#include "monitor/queuemonitor.h"
#include "monitor/workereventsources.h"
#include "monitor/workerscanner.h"
#include "redis/redisconnection.h"
#include "session/serversession.h"

namespace qs::cli {

namespace {

QString seconds(qint64 ms)
{
    return QString::number(ms / 1000.0, 'g', 3);
}

} // namespace

HeadlessServer::HeadlessServer(const core::ConnectionProfile &profile,
                               session::SessionOptions options)
    : m_session(std::make_unique<session::ServerSession>(profile, std::move(options)))
    , m_commandTimeoutMs(qMax(1, profile.commandTimeoutMs))
    , m_connectTimeoutMs(qMax(1, profile.connectTimeoutMs))
{
}

HeadlessServer::~HeadlessServer() = default;

monitor::Poller &HeadlessServer::poller()
{
    return *m_session->poller();
}

redis::RedisConnection &HeadlessServer::connection()
{
    return *m_session->connection();
}

session::ServerSession &HeadlessServer::session()
{
    return *m_session;
}

monitor::WorkerScanner &HeadlessServer::workers()
{
    return *m_session->workers();
}

QList<monitor::CeleryPingResult> HeadlessServer::pingCeleryWorkers(int timeoutMs)
{
    QList<monitor::CeleryPingResult> results;
    Completion done;
    const auto link =
        QObject::connect(m_session.get(), &session::ServerSession::celeryWorkersPinged,
                         m_session.get(), [&](const QList<monitor::CeleryPingResult> &all) {
                             results = all;
                             done.finish();
                         });
    m_session->pingCeleryWorkers(timeoutMs, QStringLiteral("cli"));
    // A connection of its own, the broadcast, the collection, the clean-up.
    (void)done.wait(QDeadlineTimer(qint64(m_connectTimeoutMs) + 2LL * m_commandTimeoutMs +
                                   timeoutMs + graceMs));
    QObject::disconnect(link);
    return results;
}

monitor::QueueMonitor &HeadlessServer::queues()
{
    return *m_session->queues();
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
    const auto link =
        QObject::connect(&connection(), &redis::RedisConnection::statusChanged, &connection(),
                         [&](const redis::ConnectionStatus &status) {
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
    m_session->open();
    // The connection (TCP, TLS) and the handshake (AUTH, SELECT, CLIENT SETNAME) have a
    // timeout each; this wait is their backstop.
    const qint64 budgetMs = 2LL * m_connectTimeoutMs + graceMs;
    if (!done.wait(QDeadlineTimer(budgetMs, Qt::PreciseTimer)))
        error = {redis::RedisError::Kind::ConnectTimeout,
                 QStringLiteral("not connected within %1 s (--timeout %2)")
                     .arg(seconds(budgetMs), seconds(m_connectTimeoutMs))};
    QObject::disconnect(link);
    if (!error.isNone())
        m_session->close();
    return error;
}

QString HeadlessServer::discoverQueues()
{
    Completion done;
    QString error;
    const auto link = QObject::connect(&queues(), &monitor::QueueMonitor::discoveryFinished,
                                       &queues(), [&](const QString &why) {
                                           error = why;
                                           done.finish();
                                       });
    queues().discover();
    const int budgetMs = discoveryBudgetMs();
    if (!done.wait(QDeadlineTimer(budgetMs, Qt::PreciseTimer)))
        error = QStringLiteral("stopped after %1 s (the queues found so far are shown)")
                    .arg(seconds(budgetMs));
    QObject::disconnect(link);
    return error;
}

double HeadlessServer::pingMs()
{
    Completion done;
    double ms = -1;
    QObject context;
    connection().pipeline({{"PING"}}, &context, [&](const redis::PipelineResult &r) {
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
    const auto link = QObject::connect(&poller(), &monitor::Poller::polled, &poller(),
                                       [&](const monitor::PollSnapshot &snapshot) {
                                           result = snapshot;
                                           poller().stop();
                                           done.finish();
                                       });
    poller().start();
    if (!done.wait(deadlineFor())) {
        poller().stop();
        result.error = noAnswer(QStringLiteral("poll"));
    }
    QObject::disconnect(link);
    return result;
}

void HeadlessServer::listenForWorkerEvents()
{
    const QList<monitor::CeleryEventWatcher *> watchers = m_session->workerEvents()->start();
    if (watchers.isEmpty())
        return; // no Celery queue: nothing to listen to
    for (monitor::CeleryEventWatcher *watcher : watchers) {
        if (watcher->isSubscribed())
            continue;
        Completion answered; // subscribed, or refused (the scan then says "workers unknown")
        const auto ok = QObject::connect(watcher, &monitor::CeleryEventWatcher::subscribed, watcher,
                                         [&] { answered.finish(); });
        const auto refused = QObject::connect(watcher, &monitor::CeleryEventWatcher::refused,
                                              watcher, [&] { answered.finish(); });
        // The subscription's own connection: connect, handshake, PSUBSCRIBE.
        (void)answered.wait(
            QDeadlineTimer(qint64(m_connectTimeoutMs) + m_commandTimeoutMs + graceMs));
        QObject::disconnect(ok);
        QObject::disconnect(refused);
    }
    // One heartbeat round: every live worker (heartbeat every 2 s by default) is heard once.
    Completion round; // nothing finishes it: the wait is the listening, bounded
    (void)round.wait(QDeadlineTimer(monitor::WorkerEventSources::kListenMs));
}

QString HeadlessServer::scanWorkers(bool listen)
{
    if (listen)
        listenForWorkerEvents();
    Completion done;
    const auto link = QObject::connect(&workers(), &monitor::WorkerScanner::scanned, &workers(),
                                       [&] { done.finish(); });
    workers().refresh();
    QString error;
    if (!done.wait(deadlineFor(monitor::WorkerScanner::kMaxRoundTrips)))
        error = noAnswer(QStringLiteral("workers")).message;
    else
        error = workers().lastError();
    QObject::disconnect(link);
    return error;
}

} // namespace qs::cli
