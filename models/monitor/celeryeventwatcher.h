#pragma once

#include "celeryworkertable.h"
#include "redis/rediserror.h"
#include "redis/redisreply.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace qs::redis {
class RedisConnection;
struct PushMessage;
} // namespace qs::redis

namespace qs::monitor {

// Celery's workers from their event stream: a subscription of its own (a clone of the given
// connection, client name "queuescope-events") on `<global_keyprefix>/<db>.celeryev/*`, read-only
// (PSUBSCRIBE), subscribed again after every reconnect. Keeps a CeleryWorkerTable; addTo() has
// the signature of WorkerScanner::addEventSource, so each workers scan carries Celery's workers.
class CeleryEventWatcher final : public QObject
{
    Q_OBJECT
public:
    static constexpr auto kClientName = "queuescope-events";

    // `connection` is only cloned (its profile, TLS, ACL user, database), by start(): a watcher
    // never started costs no connection. `globalKeyPrefix`: kombu's global_keyprefix of the
    // Celery queues on this server ("" by default).
    CeleryEventWatcher(const redis::RedisConnection &connection, QByteArray globalKeyPrefix = {},
                       QObject *parent = nullptr);
    ~CeleryEventWatcher() override;

    void start(); // opens the subscription; idempotent (nothing once the connection is gone)
    void stop();

    QByteArray pattern() const { return m_pattern; }
    bool isSubscribed() const { return m_subscribedAtMs > 0; }
    // Since when the current subscription is confirmed (epoch ms), 0 while not subscribed.
    qint64 subscribedAtMs() const { return m_subscribedAtMs; }
    const CeleryWorkerTable &table() const { return m_table; }

    // Adds the workers and notes (and "workers unknown" while the events cannot be read), and
    // how many are alive (WorkerScan::liveness) once heartbeats were heard on the subscription.
    void addTo(queues::WorkerScan &scan, qint64 nowMs) const;

Q_SIGNALS:
    void subscribed(); // each time the subscription is confirmed (after every reconnect)
    void eventsRead(); // a message was read into the table
    void refused(const QString &why);

private:
    void onMessage(const redis::PushMessage &message);
    void onSubscribed(const redis::RedisError &error);

    QPointer<const redis::RedisConnection> m_source;
    redis::RedisConnection *m_connection = nullptr; // the subscription, made by start()
    QByteArray m_pattern;
    QByteArray m_prefix;
    CeleryWorkerTable m_table;
    qint64 m_subscribedAtMs = 0;
    redis::RedisError m_refusal;
    bool m_started = false;
};

} // namespace qs::monitor
