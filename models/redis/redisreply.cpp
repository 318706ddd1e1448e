#include "redisreply.h"

namespace qs::redis {

qint64 RedisReply::toInteger(qint64 fallback) const
{
    if (type == Type::Integer)
        return integer;
    if (type == Type::String || type == Type::Status) {
        bool ok = false;
        const qint64 value = string.toLongLong(&ok);
        return ok ? value : fallback;
    }
    return fallback;
}

QByteArray RedisReply::errorCode() const
{
    if (type != Type::Error)
        return {};
    const qsizetype space = string.indexOf(' ');
    return space < 0 ? string : string.left(space);
}

ReplyRun ReplyRun::mid(qsizetype pos, qsizetype length) const
{
    if (pos < 0) {
        if (length >= 0)
            length = qMax<qsizetype>(0, length + pos);
        pos = 0;
    }
    if (pos >= m_size)
        return {};
    if (length < 0 || length > m_size - pos)
        length = m_size - pos;
    return {m_data + pos, length};
}

bool operator==(const RedisReply &a, const RedisReply &b)
{
    return a.type == b.type && a.string == b.string && a.integer == b.integer &&
           a.elements == b.elements && a.truncatedFrom == b.truncatedFrom;
}

} // namespace qs::redis
