#pragma once

#include "rediserror.h"
#include "redisreply.h"
#include "replylimits.h"

#include <QList>
#include <QMetaType>

namespace qs::redis {

// One message published to a channel that matched a subscribed pattern.
struct PushMessage
{
    QByteArray pattern;
    QByteArray channel;
    QByteArray payload;
    // More than a subscriber accepts (subscriberMessageLimits): the message was dropped as it
    // arrived and payload is empty; this is the size the publisher sent.
    qint64 droppedSize = 0;
};

// What a subscriber connection accepts per pushed message: 1 MB strings, kept in part beyond
// that (so that a huge message costs at most 1 MB before it is dropped, and the connection
// stays up).
ReplyLimits subscriberMessageLimits();

// The bookkeeping of a connection in subscriber mode (RESP2 pub/sub), without I/O: what to send
// after each handshake, which answer is owed and until when, and what each pushed reply is.
// Only one thing is owed at a time: the subscription's confirmations, then one PING at a time.
// Pushed messages never arm or extend a deadline: silence on a subscription is normal.
class Subscriber
{
public:
    explicit Subscriber(QList<QByteArray> patterns);

    const QList<QByteArray> &patterns() const { return m_patterns; }

    // The link went down: nothing is owed any more.
    void reset();
    // PSUBSCRIBE <patterns>, owed by deadlineMs (sent after each handshake).
    RedisCommand subscribe(qint64 deadlineMs);
    // True when a PING may be sent now (nothing is owed).
    bool canPing() const { return m_owed == Owed::Nothing; }
    RedisCommand ping(qint64 deadlineMs);
    // When the owed answer is overdue (ms on the transport's clock), or -1 when nothing is owed.
    qint64 deadline() const { return m_owed == Owed::Nothing ? -1 : m_deadline; }
    bool awaitingSubscription() const { return m_owed == Owed::Subscription; }
    // Bytes arrived: what is owed may be queued behind them, so it is owed by deadlineMs at the
    // earliest.
    void extendDeadline(qint64 deadlineMs);

    struct Event
    {
        enum class Type {
            None,       // an answer that needs no action (a pong, one of several confirmations)
            Message,    // `message` holds it
            Subscribed, // every pattern is confirmed
            Refused,    // the server refused the subscription (`error`: its error reply)
            Unexpected, // something that is not pub/sub (`error` describes it)
        };
        Type type = Type::None;
        PushMessage message;
        RedisReply error;
    };
    Event take(const RedisReply &reply);

private:
    enum class Owed { Nothing, Subscription, Pong };

    QList<QByteArray> m_patterns;
    Owed m_owed = Owed::Nothing;
    qint64 m_deadline = -1;
    qsizetype m_confirmationsOwed = 0;
};

} // namespace qs::redis

Q_DECLARE_METATYPE(qs::redis::PushMessage)
