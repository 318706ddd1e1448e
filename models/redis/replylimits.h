#pragma once

#include "redisreply.h"

#include <QString>

namespace qs::redis {

// What one reply may cost in memory, checked as its bytes arrive (before anything is buffered),
// so that no server, hostile or broken, can make QueueScope allocate without bound.
struct ReplyLimits
{
    QByteArray command = "reply"; // what the reply answers, for messages ("INFO", "HGETALL")
    QString kind = QStringLiteral("a reply"); // the limit's name in messages ("server information")
    qint64 maxBytes = 64LL << 20;             // strings + 64 bytes per element, for the whole reply
    qint64 maxStringBytes = 64LL << 20;       // one bulk string
    // Keep the first maxStringBytes of a longer string (the reply says how long it was) instead
    // of failing: only for what is shown, never for what an action reads and writes back.
    bool truncateStrings = false;
};

// Replies in a row that share their limits: a poll's 1,600 count replies come in a few runs, so
// the transport hands its reply gate a few records per poll instead of one per reply.
struct ReplyLimitsRun
{
    ReplyLimits limits;
    qsizetype count = 1;
};
using ReplyLimitsRuns = QList<ReplyLimitsRun>;
// The runs written out, one entry per reply.
QList<ReplyLimits> perReply(const ReplyLimitsRuns &runs);

// How a request treats strings over its limits.
enum class LargeStrings {
    Refuse,   // the request fails with a ReplyTooLarge error (the default)
    Truncate, // display-only reads (job pages and details): keep the start, note the full size
};

// The limits of the reply to `command`, by kind: counts are tiny, server information (INFO,
// CLIENT LIST, SLOWLOG) small, everything else is data (job hashes, lists, script results).
ReplyLimits replyLimitsFor(const RedisCommand &command, LargeStrings largeStrings);
// The limits of the replies of a pipeline, in runs: a command named by the same bytes as the one
// before (a poll's LLEN, ZCARD, ... are static words, one after the other) joins that command's
// run without another lookup.
ReplyLimitsRuns pipelineReplyLimits(const QList<RedisCommand> &commands, LargeStrings largeStrings);
// The handshake's replies (AUTH, SELECT, CLIENT SETNAME, PING) and replies nobody asked for.
ReplyLimits handshakeReplyLimits();
// What all replies of one request (a pipeline) may cost together.
qint64 requestByteBudget();

// "2.0 GB", "512 MB", "12.5 KB", "980 bytes": sizes in messages.
QString describeSize(qint64 bytes);

} // namespace qs::redis
