#include "subscriber.h"

namespace qs::redis {

namespace {

constexpr qint64 messageStringBytes = 1LL << 20;
// The four strings of a pmessage (kind, pattern, channel, payload) and their elements.
constexpr qint64 messageBytes = 2 * messageStringBytes;

bool isKind(const RedisReply &reply, const char *kind)
{
    return reply.isArray() && !reply.elements.isEmpty() && reply.elements.first().isString() &&
           reply.elements.first().string.compare(kind, Qt::CaseInsensitive) == 0;
}

} // namespace

ReplyLimits subscriberMessageLimits()
{
    ReplyLimits limits;
    limits.command = "PSUBSCRIBE";
    limits.kind = QStringLiteral("a published message");
    limits.maxBytes = messageBytes;
    limits.maxStringBytes = messageStringBytes;
    limits.truncateStrings = true;
    return limits;
}

Subscriber::Subscriber(QList<QByteArray> patterns)
    : m_patterns(std::move(patterns))
{
}

void Subscriber::reset()
{
    m_owed = Owed::Nothing;
    m_deadline = -1;
    m_confirmationsOwed = 0;
}

RedisCommand Subscriber::subscribe(qint64 deadlineMs)
{
    m_owed = Owed::Subscription;
    m_deadline = deadlineMs;
    m_confirmationsOwed = m_patterns.size();
    RedisCommand command{"PSUBSCRIBE"};
    command.append(m_patterns);
    return command;
}

void Subscriber::extendDeadline(qint64 deadlineMs)
{
    if (m_owed != Owed::Nothing)
        m_deadline = qMax(m_deadline, deadlineMs);
}

RedisCommand Subscriber::ping(qint64 deadlineMs)
{
    m_owed = Owed::Pong;
    m_deadline = deadlineMs;
    return {"PING"};
}

Subscriber::Event Subscriber::take(const RedisReply &reply)
{
    Event event;
    if (isKind(reply, "pmessage") && reply.elements.size() == 4) {
        event.type = Event::Type::Message;
        PushMessage &message = event.message;
        const RedisReply &payload = reply.elements.at(3);
        const RedisReply &channel = reply.elements.at(2);
        const RedisReply &pattern = reply.elements.at(1);
        if (payload.isTruncated() || channel.isTruncated() || pattern.isTruncated()) {
            message.droppedSize = payload.isTruncated()
                                      ? payload.truncatedFrom
                                      : qMax(channel.truncatedFrom, pattern.truncatedFrom);
            message.channel = channel.string.left(200); // for the note only
            return event;
        }
        message.pattern = pattern.string;
        message.channel = channel.string;
        message.payload = payload.string;
        return event;
    }
    if (isKind(reply, "message") && reply.elements.size() == 3) {
        event.type = Event::Type::Message;
        const RedisReply &payload = reply.elements.at(2);
        event.message.channel = reply.elements.at(1).string.left(200);
        if (payload.isTruncated() || reply.elements.at(1).isTruncated())
            event.message.droppedSize =
                qMax(payload.truncatedFrom, reply.elements.at(1).truncatedFrom);
        else
            event.message.payload = payload.string;
        return event;
    }
    if (m_owed == Owed::Subscription) {
        if (reply.isError()) {
            reset();
            event.type = Event::Type::Refused;
            event.error = reply;
            return event;
        }
        if (isKind(reply, "psubscribe") && --m_confirmationsOwed <= 0) {
            reset();
            event.type = Event::Type::Subscribed;
        }
        return event;
    }
    if (m_owed == Owed::Pong) {
        // ["pong", ""] while subscribed, +PONG on a connection whose subscription was refused;
        // an error (an ACL without PING) is an answer too: the link is alive.
        reset();
        return event;
    }
    event.type = Event::Type::Unexpected;
    event.error = reply.isError() ? reply : RedisReply::error("a reply nobody asked for");
    return event;
}

} // namespace qs::redis
