#include "queuescommand.h"

#include "clioutput.h"
#include "commandsetup.h"
#include "exitcode.h"
#include "headlessserver.h"
#include "queuejson.h"
#include "targetadvice.h"
#include "watchstream.h"

#include "monitor/poller.h"
#include "monitor/queuemonitor.h"
#include "monitor/throughputtracker.h"
#include "monitor/workerscanner.h"
#include "session/serversession.h"

#include "core/limits.h"

#include <QDateTime>

namespace qs::cli {

namespace {

// "0.2", "60", "1": milliseconds as the seconds an option takes.
QString seconds(int ms)
{
    return QString::number(ms / 1000.0);
}

QString countsLine(const queues::QueueCounts &counts, const monitor::WorkerScanner &workers)
{
    QStringList parts;
    for (const auto &entry : counts.counts)
        parts << QStringLiteral("%1 %2").arg(entry.first, QString::number(entry.second));
    QString line =
        QStringLiteral("%1  %2  %3  %4")
            .arg(queues::frameworkName(counts.queue.framework).leftJustified(7),
                 identifier(counts.queue.prefix).leftJustified(6),
                 counts.queue.displayName().leftJustified(24), parts.join(QStringLiteral(", ")));
    if (counts.paused)
        line += QStringLiteral("  [paused]");
    const std::optional<int> live = workers.liveWorkers(counts.queue);
    line += QStringLiteral("  workers %1").arg(live ? QString::number(*live) : QStringLiteral("?"));
    if (const monitor::QueueConsumers *consumers = workers.consumersOf(counts.queue);
        consumers && consumers->noConsumer)
        line += QStringLiteral("  [no consumer]");
    if (!counts.note.isEmpty())
        line += QStringLiteral("  (") + field(counts.note) + QLatin1Char(')');
    return line + QLatin1Char('\n');
}

// Connects and discovers; on failure prints and returns the exit code.
std::optional<int> connectAndDiscover(HeadlessServer &server, const Target &target, bool json)
{
    const redis::RedisError error = server.connect();
    if (!error.isNone()) {
        const QString message = withTargetAdvice(error, target);
        if (json)
            printJson(
                {{QStringLiteral("connected"), false},
                 {QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), error.code()},
                                                       {QStringLiteral("message"), message}}}});
        else
            printError(message);
        return Unreachable;
    }
    const QString discovery = server.discoverQueues();
    if (!discovery.isEmpty())
        printError(QStringLiteral("queue discovery incomplete: %1").arg(discovery));
    return std::nullopt;
}

} // namespace

int runQueues(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Lists the BullMQ, Bull, Celery, RQ and Sidekiq queues on a server with their counts "
        "(read-only: counting never writes)."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON document.")});
    parser.addPositionalArgument(QStringLiteral("queues"), QStringLiteral("The command."));
    Target target;
    if (auto exit = setUpCommand(parser, arguments, 1, &target))
        return *exit;
    const bool json = parser.isSet(QStringLiteral("json"));
    HeadlessServer server(target.profile);
    if (auto exit = connectAndDiscover(server, target, json))
        return *exit;
    const monitor::PollSnapshot snapshot = server.poll();
    if (!snapshot.ok()) {
        printError(snapshot.error.message);
        return Unreachable;
    }
    // Live workers per queue: unknown (null) when they cannot be read.
    if (const QString error = server.scanWorkers(false); !error.isEmpty())
        printError(QStringLiteral("workers could not be read: %1").arg(error));
    const monitor::WorkerScanner &workers = server.workers();
    if (json) {
        const monitor::ThroughputTracker &throughput = server.session().throughput();
        printJson(
            {{QStringLiteral("queues"), queuesToJson(snapshot.queues, &workers, &throughput)},
             {QStringLiteral("frameworks"), serverCountsToJson(snapshot.queueServers, &throughput)},
             {QStringLiteral("cost"), costToJson(snapshot.cost)}});
        return Success;
    }
    if (snapshot.queues.isEmpty())
        printText(QStringLiteral("no queues found on %1\n").arg(target.profile.displayUrl()));
    for (const queues::QueueCounts &counts : snapshot.queues)
        printText(countsLine(counts, workers));
    return Success;
}

int runWatch(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Polls a server and prints one JSON line per poll: INFO metrics, every queue's counts "
        "and the poll's own cost. Runs until interrupted or --count lines. When the server goes "
        "away it prints one line {\"ok\":false,\"gap\":\"started\",...}, reconnects with "
        "backoff (250 ms doubling to 5 s) and prints {\"ok\":true,\"gap\":\"ended\",\"downMs\":"
        "...} when polls resume."));
    parser.addOption({QStringLiteral("interval"),
                      QStringLiteral("Seconds between polls (%1 to %2, default %3).")
                          .arg(seconds(core::limits::minPollIntervalMs),
                               seconds(core::limits::maxPollIntervalMs),
                               seconds(core::limits::defaultPollIntervalMs)),
                      QStringLiteral("SECONDS"), seconds(core::limits::defaultPollIntervalMs)});
    parser.addOption(
        {QStringLiteral("count"), QStringLiteral("Stop after N lines."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("exit-on-error"),
                      QStringLiteral("Stop at the first failed poll (exit 3 when the server is "
                                     "unreachable, else 1) instead of reconnecting.")});
    parser.addPositionalArgument(QStringLiteral("watch"), QStringLiteral("The command."));
    Target target;
    if (auto exit = setUpCommand(parser, arguments, 1, &target))
        return *exit;
    bool ok = false;
    const double interval = parser.value(QStringLiteral("interval")).toDouble(&ok);
    if (!ok || interval < core::limits::minPollIntervalMs / 1000.0 ||
        interval > core::limits::maxPollIntervalMs / 1000.0)
        return usageError(QStringLiteral("--interval takes seconds from %1 to %2")
                              .arg(seconds(core::limits::minPollIntervalMs),
                                   seconds(core::limits::maxPollIntervalMs)));
    int limit = -1;
    if (parser.isSet(QStringLiteral("count"))) {
        limit = parser.value(QStringLiteral("count")).toInt(&ok);
        if (!ok || limit < 1)
            return usageError(QStringLiteral("--count takes a whole number from 1"));
    }
    WatchStream::Options options;
    options.limit = limit;
    options.exitOnError = parser.isSet(QStringLiteral("exit-on-error"));
    HeadlessServer server(target.profile, session::SessionOptions::watch(int(interval * 1000)));
    if (auto exit = connectAndDiscover(server, target, true))
        return *exit;
    return WatchStream(server, options).run();
}

} // namespace qs::cli
