#pragma once

// What the benchmarks share: their command-line numbers, their server, and reading the server's
// own cost from INFO commandstats.

#include "redisserver.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace qs::bench {

// The number after `name` on the command line (e.g. --polls 50), else `fallback`.
inline int intOption(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toInt() : fallback;
}

// The text after `name` on the command line (e.g. --path FILE), else `fallback`.
inline QString stringOption(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
}

// Starts the bench's redis-server; a bench without one has nothing to measure.
inline void startOrDie(test::RedisServer &server)
{
    QString error;
    if (!server.start(&error))
        qFatal("cannot start redis-server: %s", qPrintable(error));
}

struct CommandCost
{
    QByteArray command; // e.g. "llen", "client|list"
    long long calls = 0;
    double usec = 0;
};

// The lines of INFO commandstats, e.g.
// cmdstat_llen:calls=200,usec=31,usec_per_call=0.15,rejected_calls=0,failed_calls=0
// except CONFIG's (a bench's own CONFIG RESETSTAT, "config|resetstat").
inline QList<CommandCost> commandCosts(const QByteArray &info)
{
    QList<CommandCost> costs;
    for (const QByteArray &raw : info.split('\n')) {
        const QByteArray line = raw.trimmed();
        if (!line.startsWith("cmdstat_"))
            continue;
        const qsizetype colon = line.indexOf(':');
        CommandCost cost{line.mid(8, colon - 8)};
        if (cost.command.startsWith("config"))
            continue;
        for (const QByteArray &field : line.mid(colon + 1).split(',')) {
            if (field.startsWith("calls="))
                cost.calls = field.mid(6).toLongLong();
            else if (field.startsWith("usec="))
                cost.usec = field.mid(5).toDouble();
        }
        costs.append(cost);
    }
    return costs;
}

} // namespace qs::bench
