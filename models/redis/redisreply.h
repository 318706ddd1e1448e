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

// Replies read in place: a run of them inside a longer list (one queue's replies among a poll's
// 1,800), which an adapter parses without a copy of them. It owns nothing: valid only while the
// list it looks into lives, unchanged; pass it down, never keep it.
class ReplyRun
{
public:
    ReplyRun() = default;
    ReplyRun(const QList<RedisReply> &replies) // NOLINT: a list is a run of all its replies
        : m_data(replies.constData())
        , m_size(replies.size())
    {
    }
    ReplyRun(const RedisReply *data, qsizetype size)
        : m_data(data)
        , m_size(size)
    {
    }

    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    const RedisReply &at(qsizetype i) const
    {
        Q_ASSERT(i >= 0 && i < m_size);
        return m_data[i];
    }
    const RedisReply &first() const { return at(0); }
    const RedisReply &last() const { return at(m_size - 1); }
    // Reply i, or a nil reply where there is none (as QList::value).
    RedisReply value(qsizetype i) const { return i >= 0 && i < m_size ? m_data[i] : RedisReply(); }
    // As QList::mid: from pos, length replies or up to the end, clamped to the run.
    ReplyRun mid(qsizetype pos, qsizetype length = -1) const;
    const RedisReply *begin() const { return m_data; }
    const RedisReply *end() const { return m_data + m_size; }

private:
    const RedisReply *m_data = nullptr;
    qsizetype m_size = 0;
};

using RedisCommand = QList<QByteArray>; // binary-safe argv, e.g. {"LLEN", "bull:emails:wait"}

} // namespace qs::redis

Q_DECLARE_METATYPE(qs::redis::RedisReply)
