#include "replylimits.h"

#include <QHash>

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

// One shared record per kind of reply; a command's limits are a copy of its kind's record with
// the command's name, so building them costs one hash lookup and no allocation.
struct Kinds
{
    ReplyLimits counts{"", QStringLiteral("counts"), countBytes, countBytes, false};
    ReplyLimits serverInfo{"", QStringLiteral("server information"), serverInfoBytes,
                           serverInfoBytes, false};
    ReplyLimits data{"", QStringLiteral("job data"), dataReplyBytes, dataStringBytes, false};
    ReplyLimits truncatedData{"", QStringLiteral("job data"), dataReplyBytes, dataStringBytes,
                              true};
    // Upper-case names of the commands that are not data.
    QHash<QByteArray, const ReplyLimits *> byName;

    Kinds()
    {
        // Counts and flags.
        for (const char *name :
             {"PING",    "EXISTS",   "TYPE",   "LLEN",    "ZCARD",     "SCARD",   "HLEN",
              "XLEN",    "ZCOUNT",   "DBSIZE", "TTL",     "PTTL",      "LPOS",    "ZSCORE",
              "ZRANK",   "ZREVRANK", "DEL",    "UNLINK",  "SISMEMBER", "HEXISTS", "STRLEN",
              "HSTRLEN", "PUBLISH",  "EXPIRE", "PEXPIRE", "SELECT",    "AUTH",    "INCR",
              "INCRBY",  "DECR",     "TIME",   "LASTSAVE"})
            byName.insert(name, &counts);
        // Server information.
        for (const char *name : {"INFO", "CLIENT", "SLOWLOG", "CONFIG", "MEMORY", "LATENCY",
                                 "COMMAND", "ACL", "CLUSTER", "MODULE", "ROLE", "LOLWUT"})
            byName.insert(name, &serverInfo);
    }
};

const Kinds &kinds()
{
    static const Kinds shared;
    return shared;
}

bool hasLowerCase(const QByteArray &name)
{
    for (const char c : name)
        if (c >= 'a' && c <= 'z')
            return true;
    return false;
}

} // namespace

ReplyLimits replyLimitsFor(const RedisCommand &command, LargeStrings largeStrings)
{
    const Kinds &all = kinds();
    QByteArray name = command.value(0);
    if (hasLowerCase(name)) // the product writes upper-case names: no copy for them
        name = name.toUpper();
    const ReplyLimits *kind = all.byName.value(name, nullptr);
    if (!kind)
        kind = largeStrings == LargeStrings::Truncate ? &all.truncatedData : &all.data;
    ReplyLimits limits = *kind;
    limits.command = std::move(name);
    return limits;
}

ReplyLimitsRuns pipelineReplyLimits(const QList<RedisCommand> &commands, LargeStrings largeStrings)
{
    ReplyLimitsRuns runs;
    QByteArray previous; // the name of the command before (shared, not copied)
    for (const RedisCommand &command : commands) {
        const QByteArray name = command.value(0);
        // Same bytes at the same address: the same word, so the same limits.
        if (!runs.isEmpty() && name.constData() == previous.constData() &&
            name.size() == previous.size() && !name.isNull())
            ++runs.last().count;
        else
            runs.append({replyLimitsFor(command, largeStrings), 1});
        previous = name;
    }
    return runs;
}

QList<ReplyLimits> perReply(const ReplyLimitsRuns &runs)
{
    QList<ReplyLimits> all;
    for (const ReplyLimitsRun &run : runs) {
        for (qsizetype i = 0; i < run.count; ++i)
            all.append(run.limits);
    }
    return all;
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
