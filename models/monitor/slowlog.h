#pragma once

#include "redis/redisreply.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace qs::monitor {

// One SLOWLOG GET entry. Redis keeps at most 32 arguments of 128 bytes each: it replaces the
// rest with a "... (N more arguments)" marker (taken out of `arguments` into
// `omittedArguments` here) and appends "... (N more bytes)" to long strings (kept as is).
struct SlowLogEntry
{
    qint64 id = 0;
    qint64 timestamp = 0; // seconds since the epoch, server clock
    qint64 durationUs = 0;
    QList<QByteArray> arguments;
    QString clientAddress; // empty before Redis 4.0
    QString clientName;    // empty before Redis 4.0 or when the client set none
    qint64 omittedArguments = 0;
    QString node; // Redis Cluster: the node ("host:port") whose log holds it; empty otherwise

    bool operator==(const SlowLogEntry &) const = default;
};

// Parses a SLOWLOG GET reply. Entries that are not arrays of at least four fields are skipped;
// anything else (not an array, an error) gives an empty list.
QList<SlowLogEntry> parseSlowLog(const redis::RedisReply &reply);

// One argument made safe to show: printable ASCII and valid, printable UTF-8 as they are,
// everything else (control characters, invalid UTF-8, raw binary) as \xNN; backslash and double
// quote escaped, and the argument quoted when it is empty or holds a space or a quote, so the
// text reads like a redis-cli command line and never breaks a table row.
QString displayArgument(const QByteArray &argument);

// The whole command as one line: arguments joined by spaces, plus the omitted-arguments marker.
QString displayCommand(const SlowLogEntry &entry);

} // namespace qs::monitor
