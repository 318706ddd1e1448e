#pragma once

#include "frameworks/celery/celerypidbox.h"
#include "redis/rediserror.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <optional>

namespace qs::redis {
class RedisConnection;
}

namespace qs::monitor {

// One worker's answer to a ping.
struct CeleryPingAnswer
{
    QString hostname;
    QString answer; // "pong"
    bool ok = false;
    qint64 roundTripMs = 0; // from the broadcast to its reply read
};

struct CeleryPingResult
{
    QByteArray prefix; // the Celery installation (kombu's global_keyprefix)
    int timeoutMs = 0;
    QList<CeleryPingAnswer> answers; // in the order they arrived
    std::optional<qint64> reached;   // PUBLISH's count: the connections that got the broadcast
    QStringList ignored;             // replies not read, why (the first few)
    QString error;                   // empty when the broadcast went out and was collected
    redis::RedisError::Kind errorKind = redis::RedisError::Kind::None;
    bool cleanedUp = false; // the reply binding and list were removed
    qint64 elapsedMs = 0;

    bool published() const { return reached.has_value(); }
    // {"framework":"celery","action":"ping","prefix","timeoutMs","result":{"outcome":
    // "completed"|"refused"|"failed","reached","answers":[{"worker","answer","ok",
    // "roundTripMs"}],"cleanedUp","elapsedMs","error"?}}: the audit log's entry and the CLI's.
    QJsonObject toJson() const;
};

// "Ping workers" (issue 14): a WRITE, as `celery inspect ping` does it on kombu's Redis transport
// (frameworks/celery/celerypidbox.h): bind a reply queue, PUBLISH one broadcast "ping" on the
// pidbox channel, collect the replies until the deadline (or until every connection the
// broadcast reached has answered), then remove the binding and the reply list. On a connection
// of its own (client name "queuescope-ping", a clone: BRPOP blocks it), closed when done.
// Refused on a read-only profile before anything is sent. Never blocks: finished() reports.
class CeleryPing final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultTimeoutMs = 1'000; // `celery inspect ping`'s
    static constexpr int kMaxTimeoutMs = 60'000;
    static constexpr auto kClientName = "queuescope-ping";

    CeleryPing(const redis::RedisConnection &connection, QByteArray prefix,
               int timeoutMs = kDefaultTimeoutMs, QObject *parent = nullptr);
    ~CeleryPing() override;

    void start(); // once
    const CeleryPingResult &result() const { return m_result; }
    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    void finished(const qs::monitor::CeleryPingResult &result);

private:
    void collectNext();
    void read(const redis::RedisReply &reply);
    void fail(const redis::RedisError &error);
    void cleanUp();
    void finish();
    bool allAnswered() const;

    QPointer<const redis::RedisConnection> m_source;
    redis::RedisConnection *m_connection = nullptr;
    queues::celerypidbox::Broadcast m_broadcast;
    CeleryPingResult m_result;
    QElapsedTimer m_clock;          // from the broadcast
    bool m_integerTimeouts = false; // Redis < 6: BRPOP takes whole seconds
    bool m_started = false;
    bool m_finished = false;
};

} // namespace qs::monitor
Q_DECLARE_METATYPE(qs::monitor::CeleryPingResult)
