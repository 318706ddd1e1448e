#pragma once

#include "redisreply.h"

#include <QString>

struct redisReader;

namespace qs::redis {

// Incremental RESP2 parser on top of hiredis's redisReader: feed bytes as they arrive, in chunks
// of any size, and take complete replies out in order. After a protocol error the stream cannot
// be resynchronised: the caller drops the connection and uses a new parser.
class ReplyParser
{
public:
    ReplyParser();
    ~ReplyParser();
    ReplyParser(const ReplyParser &) = delete;
    ReplyParser &operator=(const ReplyParser &) = delete;

    enum class Status { NeedMore, Reply, ProtocolError };

    void feed(const char *data, qsizetype size);
    void feed(const QByteArray &data) { feed(data.constData(), data.size()); }
    Status next(RedisReply *reply);
    // What went wrong, with a printable preview of the offending bytes.
    QString errorString() const { return m_error; }
    // The first bytes ever received, for "this is not a Redis server" messages.
    QByteArray firstBytes() const { return m_firstBytes; }

private:
    redisReader *m_reader = nullptr;
    QString m_error;
    QByteArray m_firstBytes;
};

} // namespace qs::redis
