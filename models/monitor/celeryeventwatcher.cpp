#include "celeryeventwatcher.h"

#include "frameworks/registry.h"
#include "redis/redisconnection.h"

#include <QDateTime>

namespace qs::monitor {

namespace {

const queues::WorkerEventStream &celeryStream()
{
    static const queues::WorkerEventStream stream =
        frameworks::entry(queues::Framework::Celery).workerEvents.value();
    return stream;
}

} // namespace

CeleryEventWatcher::CeleryEventWatcher(const redis::RedisConnection &connection,
                                       QByteArray globalKeyPrefix, QObject *parent)
    : QObject(parent)
    , m_source(&connection)
    , m_pattern(celeryStream().channelPattern(globalKeyPrefix, connection.profile().db))
    , m_prefix(globalKeyPrefix)
    , m_table(globalKeyPrefix)
{
}

CeleryEventWatcher::~CeleryEventWatcher() = default;

void CeleryEventWatcher::start()
{
    if (m_started || (!m_connection && !m_source))
        return;
    m_started = true;
    if (!m_connection) {
        m_connection = m_source->clone(QString::fromLatin1(kClientName), this);
        connect(m_connection, &redis::RedisConnection::statusChanged, this,
                [this](const redis::ConnectionStatus &status) {
                    if (status.state != redis::ConnectionState::Connected)
                        m_subscribedAtMs = 0; // subscribed again once reconnected
                });
    }
    m_connection->psubscribe(
        {m_pattern}, this, [this](const redis::PushMessage &message) { onMessage(message); },
        [this](const redis::RedisError &error) { onSubscribed(error); });
    m_connection->open();
}

void CeleryEventWatcher::stop()
{
    m_started = false;
    m_subscribedAtMs = 0;
    if (m_connection)
        m_connection->close();
}

void CeleryEventWatcher::onSubscribed(const redis::RedisError &error)
{
    m_refusal = error;
    if (!error.isNone()) {
        m_subscribedAtMs = 0;
        Q_EMIT refused(error.message);
        return;
    }
    m_subscribedAtMs = QDateTime::currentMSecsSinceEpoch();
    Q_EMIT subscribed();
}

void CeleryEventWatcher::onMessage(const redis::PushMessage &message)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (message.droppedSize > 0)
        m_table.noteDropped(message.droppedSize);
    else
        m_table.apply(celeryStream().parseMessage(message.payload), now);
    Q_EMIT eventsRead();
}

void CeleryEventWatcher::addTo(queues::WorkerScan &scan, qint64 nowMs) const
{
    if (!m_connection) {
        scan.unknown.append({queues::Framework::Celery,
                             QStringLiteral("workers unknown: Celery's events are not followed")});
        return;
    }
    if (!m_refusal.isNone()) {
        scan.unknown.append({queues::Framework::Celery,
                             QStringLiteral("workers unknown: cannot subscribe to Celery's events "
                                            "(%1): %2")
                                 .arg(QString::fromUtf8(m_pattern), m_refusal.message)});
    } else if (!isSubscribed() && m_table.size() == 0) {
        const redis::ConnectionStatus &status = m_connection->status();
        scan.unknown.append(
            {queues::Framework::Celery,
             QStringLiteral("workers unknown: not yet subscribed to Celery's events (%1)")
                 .arg(status.describe())});
    } else if (!isSubscribed()) {
        scan.notes << QStringLiteral("Celery events: not subscribed now (%1); workers as last "
                                     "heard")
                          .arg(m_connection->status().describe());
    }
    const qsizetype first = scan.workers.size();
    m_table.addTo(scan, nowMs, m_subscribedAtMs);
    // Liveness only from heartbeats heard on a subscription that holds now: otherwise a worker
    // may be alive unheard (--without-heartbeat, or while reconnecting).
    if (isSubscribed() && m_table.lastHeardMs() > 0) {
        int alive = 0;
        for (qsizetype i = first; i < scan.workers.size(); ++i)
            alive += scan.workers.at(i).state != queues::WorkerState::Offline ? 1 : 0;
        scan.liveness.append({queues::Framework::Celery, m_prefix, alive});
    }
}

} // namespace qs::monitor
