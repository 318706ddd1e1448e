#include "workerscommand.h"

#include "clioutput.h"
#include "commandsetup.h"
#include "exitcode.h"
#include "headlessserver.h"
#include "queuecheck.h"
#include "queuespec.h"
#include "targetadvice.h"
#include "workersjson.h"
#include "workersping.h"

#include "monitor/workerscanner.h"

#include <QDateTime>

namespace qs::cli {

int runWorkers(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Lists the workers of every BullMQ, Bull, RQ, Sidekiq and Celery queue (or of QUEUE, "
        "FRAMEWORK/NAME): state (busy, idle, quiet, suspended, offline, unknown), host, pid, "
        "queues, current jobs; then the jobs stuck with dead workers (stalled, abandoned, lost) "
        "and notes: frameworks whose workers cannot be known (BullMQ/Bull without CLIENT LIST, "
        "Celery without heartbeats) and queues with waiting jobs but no live worker for over "
        "60 s. Read-only; at most three round trips. Celery's workers come from their "
        "heartbeats: with Celery queues on the server it listens for 2.5 s first. With --ping "
        "--yes (a write) it pings Celery's workers through the pidbox instead."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON document.")});
    addPingOptions(parser);
    addQueueOptions(parser);
    parser.addPositionalArgument(QStringLiteral("workers"), QStringLiteral("The command."));
    parser.addPositionalArgument(QStringLiteral("QUEUE"),
                                 QStringLiteral("Only this queue's workers (e.g. rq/default)."),
                                 QStringLiteral("[QUEUE]"));
    Target target;
    if (auto exit = setUpCommand(parser, arguments, 2, &target))
        return *exit;
    if (pingRequested(parser))
        return runWorkersPing(parser, target);
    const bool json = parser.isSet(QStringLiteral("json"));
    queues::QueueRef queue;
    if (const QStringList positional = parser.positionalArguments(); positional.size() > 1) {
        const auto parsed = parseQueueSpec(positional.at(1), parser);
        if (!parsed)
            return usageError(parsed.error());
        queue = parsed.value();
    }

    HeadlessServer server(target.profile);
    if (const redis::RedisError error = server.connect(); !error.isNone()) {
        printError(withTargetAdvice(error, target));
        return Unreachable;
    }
    if (!queue.name.isEmpty()) {
        if (auto exit = requireQueue(server, queue, target.profile.displayUrl()))
            return *exit;
    }
    if (const QString discovery = server.discoverQueues(); !discovery.isEmpty())
        printError(QStringLiteral("queue discovery incomplete: %1").arg(discovery));
    // The queues' backlog first: "no consumer" is judged from it.
    const monitor::PollSnapshot snapshot = server.poll();
    if (!snapshot.ok()) {
        printError(snapshot.error.message);
        return Unreachable;
    }
    if (const QString error = server.scanWorkers(); !error.isEmpty()) {
        printError(QStringLiteral("workers could not be read: %1").arg(error));
        return Unreachable;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const WorkersView view =
        workersView(server.workers().latest(), server.workers().consumers(), queue, now);
    if (json)
        printJson(workersToJson(view));
    else
        printText(workersToText(view, now));
    return Success;
}

} // namespace qs::cli
