#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>

namespace qs::redis {

// One RESP2 reply as a plain value (implicitly shared members, cheap to copy across threads).
struct RedisReply
{
    enum class Type { Nil, Status, Error, Integer, String, Array };

    Type type = Type::Nil;
    QByteArray string; // Status, Error and String payloads (binary safe)
    qint64 integer = 0;
    QList<RedisReply> elements;
    // A String kept only in part (ReplyLimits::truncateStrings): its full size on the server.
    qint64 truncatedFrom = 0;

    bool isNil() const { return type == Type::Nil; }
    bool isError() const { return type == Type::Error; }
    bool isString() const { return type == Type::String || type == Type::Status; }
    bool isInteger() const { return type == Type::Integer; }
    bool isArray() const { return type == Type::Array; }
    bool isTruncated() const { return truncatedFrom > 0; }
    // Integer value, or a string reply holding an integer (as HGET/GET return them); else fallback.
    qint64 toInteger(qint64 fallback = 0) const;
    // Error prefix such as "NOPERM", "WRONGPASS", "LOADING", "ERR".
    QByteArray errorCode() const;

    static RedisReply status(QByteArray s) { return {Type::Status, std::move(s), 0, {}, 0}; }
    static RedisReply error(QByteArray s) { return {Type::Error, std::move(s), 0, {}, 0}; }
    static RedisReply bulk(QByteArray s) { return {Type::String, std::move(s), 0, {}, 0}; }
    static RedisReply number(qint64 n) { return {Type::Integer, {}, n, {}, 0}; }
    static RedisReply array(QList<RedisReply> e) { return {Type::Array, {}, 0, std::move(e), 0}; }
};

bool operator==(const RedisReply &a, const RedisReply &b);
inline bool operator!=(const RedisReply &a, const RedisReply &b)
{
    return !(a == b);
}

using RedisCommand = QList<QByteArray>; // binary-safe argv, e.g. {"LLEN", "bull:emails:wait"}

} // namespace qs::redis

Q_DECLARE_METATYPE(qs::redis::RedisReply)
