// RedisTransport's subscriber mode (the rest of the transport is in redistransport.cpp).
#include "redislog.h"
#include "redistransport.h"
#include "replyerrors.h"
#include "respencoder.h"

#include <QLocalSocket>
#include <QSslSocket>

namespace qs::redis {

void RedisTransport::subscribe(const QList<QByteArray> &patterns)
{
    QList<QByteArray> all = m_subscriber ? m_subscriber->patterns() : QList<QByteArray>();
    for (const QByteArray &pattern : patterns) {
        if (!all.contains(pattern))
            all.append(pattern);
    }
    m_subscriber = std::make_unique<Subscriber>(all);
    if (m_parser)
        m_parser->setUnexpectedLimits(subscriberMessageLimits());
    if (m_phase == Phase::Ready)
        startSubscription();
}

ReplyLimits RedisTransport::unsolicitedReplyLimits() const
{
    return m_subscriber ? subscriberMessageLimits() : handshakeReplyLimits();
}

void RedisTransport::limitSubscriberReadBuffer()
{
    // A subscriber reads a huge message in small steps (the socket buffers at most this much
    // between two reads), so that dropping it costs about the message limit, not the message.
    const qint64 bytes = m_subscriber ? subscriberMessageLimits().maxStringBytes : 0;
    if (m_tcp)
        m_tcp->setReadBufferSize(bytes);
    if (m_local)
        m_local->setReadBufferSize(bytes);
}

void RedisTransport::noteReceived(qsizetype bytes)
{
    if (!m_inflight.empty())
        m_inflight.front().bytesReceived += bytes;
    // A pong (or the confirmation) queued behind a long message arrives after it: while bytes
    // keep coming the link is alive, so the owed answer's deadline runs from the last of them.
    if (m_subscriber && m_phase == Phase::Ready)
        m_subscriber->extendDeadline(m_clock.elapsed() + m_profile.commandTimeoutMs);
}

void RedisTransport::writeRaw(const RedisCommand &command)
{
    const QByteArray bytes = encodeCommands({command});
    m_io->write(bytes);
}

void RedisTransport::startSubscription()
{
    if (m_subscriber->patterns().isEmpty())
        return;
    // Subscribing again on a live link re-confirms the patterns already subscribed.
    writeRaw(m_subscriber->subscribe(m_clock.elapsed() + m_profile.commandTimeoutMs));
    armDeadline();
    m_pingTimer.start(qMax(100, m_options.subscriberPingMs));
}

void RedisTransport::pingSubscriber()
{
    if (!m_subscriber || m_phase != Phase::Ready || !m_subscriber->canPing())
        return; // an answer is still owed: its deadline decides
    writeRaw(m_subscriber->ping(m_clock.elapsed() + m_profile.commandTimeoutMs));
    armDeadline();
}

qint64 RedisTransport::subscriberDeadline() const
{
    return m_subscriber && m_phase == Phase::Ready ? m_subscriber->deadline() : -1;
}

bool RedisTransport::subscriberOverdue(qint64 now)
{
    const qint64 deadline = subscriberDeadline();
    if (deadline < 0 || deadline > now)
        return false;
    const QString what = m_subscriber->awaitingSubscription() ? QStringLiteral("PSUBSCRIBE")
                                                              : QStringLiteral("a PING");
    connectionFailed({RedisError::Kind::CommandTimeout,
                      QStringLiteral("%1 did not answer %2 within %3 s on the subscription; the "
                                     "connection is reset")
                          .arg(m_profile.endpoint(), what,
                               QString::number(m_profile.commandTimeoutMs / 1000.0))});
    return true;
}

void RedisTransport::onPush(const RedisReply &reply)
{
    Subscriber::Event event = m_subscriber->take(reply);
    using Type = Subscriber::Event::Type;
    switch (event.type) {
    case Type::None:
        break;
    case Type::Message:
        if (event.message.droppedSize > 0)
            qCWarning(lcRedis) << "dropped a message of" << describeSize(event.message.droppedSize)
                               << "from" << m_profile.endpoint() << "(over the subscriber limit)";
        Q_EMIT pushed(event.message);
        return; // a push neither arms nor extends a deadline
    case Type::Subscribed:
        Q_EMIT subscribed(RedisError{});
        break;
    case Type::Refused: {
        RedisCommand command{"PSUBSCRIBE"};
        command.append(m_subscriber->patterns());
        Q_EMIT subscribed(errorFromReply(event.error, command, m_profile.username));
        break;
    }
    case Type::Unexpected:
        qCWarning(lcRedis) << "unexpected reply on a subscription from" << m_profile.endpoint()
                           << event.error.string.left(200);
        break;
    }
    armDeadline();
}

} // namespace qs::redis
