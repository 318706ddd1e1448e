#include "replylimits.h"

#include <QSet>

namespace qs::redis {

namespace {

constexpr qint64 MB = 1LL << 20;
// Counts and flags: an integer or a short status. 1 MB is thousands of times what they need.
constexpr qint64 countBytes = 1 * MB;
// INFO is ~5 KB, CLIENT LIST ~300 bytes per client (10,000 clients: 3 MB), SLOWLOG 128 entries.
constexpr qint64 serverInfoBytes = 32 * MB;
// Job data: a 50 MB payload still arrives whole; anything larger is refused or truncated. With
// the request budget below, one request holds at most 128 MB of replies, which keeps every
// command under 300 MB resident (docs/performance.md).
constexpr qint64 dataStringBytes = 64 * MB;
constexpr qint64 dataReplyBytes = 96 * MB;
constexpr qint64 requestBytes = 128 * MB;

const QSet<QByteArray> &countCommands()
{
    static const QSet<QByteArray> names = {
        "PING",    "EXISTS", "TYPE",      "LLEN",    "ZCARD",  "SCARD",   "HLEN",    "XLEN",
        "ZCOUNT",  "DBSIZE", "TTL",       "PTTL",    "LPOS",   "ZSCORE",  "ZRANK",   "ZREVRANK",
        "DEL",     "UNLINK", "SISMEMBER", "HEXISTS", "STRLEN", "HSTRLEN", "PUBLISH", "EXPIRE",
        "PEXPIRE", "SELECT", "AUTH",      "INCR",    "INCRBY", "DECR",    "TIME",    "LASTSAVE"};
    return names;
}

const QSet<QByteArray> &serverInfoCommands()
{
    static const QSet<QByteArray> names = {"INFO",    "CLIENT",  "SLOWLOG", "CONFIG",
                                           "MEMORY",  "LATENCY", "COMMAND", "ACL",
                                           "CLUSTER", "MODULE",  "ROLE",    "LOLWUT"};
    return names;
}

} // namespace

ReplyLimits replyLimitsFor(const RedisCommand &command, LargeStrings largeStrings)
{
    ReplyLimits limits;
    limits.command = command.value(0).toUpper();
    if (countCommands().contains(limits.command)) {
        limits.kind = QStringLiteral("counts");
        limits.maxBytes = limits.maxStringBytes = countBytes;
    } else if (serverInfoCommands().contains(limits.command)) {
        limits.kind = QStringLiteral("server information");
        limits.maxBytes = limits.maxStringBytes = serverInfoBytes;
    } else {
        limits.kind = QStringLiteral("job data");
        limits.maxBytes = dataReplyBytes;
        limits.maxStringBytes = dataStringBytes;
        limits.truncateStrings = largeStrings == LargeStrings::Truncate;
    }
    return limits;
}

ReplyLimits handshakeReplyLimits()
{
    return {"the handshake", QStringLiteral("the handshake"), countBytes, countBytes, false};
}

qint64 requestByteBudget()
{
    return requestBytes;
}

QString describeSize(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 bytes").arg(bytes);
    if (bytes < MB)
        return QStringLiteral("%1 KB").arg(bytes / 1024.0, 0, 'f', 1);
    if (bytes < 1024 * MB)
        return QStringLiteral("%1 MB").arg(bytes / double(MB), 0, 'f', 1);
    return QStringLiteral("%1 GB").arg(bytes / (1024.0 * MB), 0, 'f', 1);
}

} // namespace qs::redis
