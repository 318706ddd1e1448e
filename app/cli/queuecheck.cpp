#include "queuecheck.h"

#include "clioutput.h"
#include "completion.h"
#include "exitcode.h"
#include "headlessserver.h"
#include "queuespec.h"

#include "core/closestmatch.h"
#include "frameworks/registry.h"
#include "monitor/queuemonitor.h"
#include "redis/redisconnection.h"

#include <QObject>

namespace qs::cli {

namespace {

// The adapter's existence reads in one round trip; nullopt when the server did not answer.
std::optional<bool> existsByItsKeys(HeadlessServer &server, const queues::QueueRef &queue)
{
    const std::unique_ptr<queues::QueueAdapter> adapter = frameworks::makeAdapter(queue);
    const QList<redis::RedisCommand> commands = adapter->existenceCommands(queue);
    std::optional<bool> exists;
    Completion done;
    QObject context; // a late answer, after the deadline, is dropped with it
    server.connection().pipeline(commands, &context, [&](const redis::PipelineResult &result) {
        if (result.ok() && result.replies.size() == commands.size())
            exists = adapter->queueExists(queue, result.replies);
        done.finish();
    });
    done.wait(server.deadlineFor());
    return exists;
}

// The queue the user probably meant: the same name under another framework (or prefix) first,
// else the nearest "framework/name" by edit distance.
QString nearestQueue(const queues::QueueRef &wanted, const QList<queues::QueueRef> &known)
{
    for (const queues::QueueRef &queue : known) {
        if (queue.name == wanted.name)
            return queueSpec(queue);
    }
    auto plain = [](const queues::QueueRef &queue) {
        return queues::frameworkName(queue.framework) + QLatin1Char('/') + queue.displayName();
    };
    QStringList names;
    for (const queues::QueueRef &queue : known)
        names << plain(queue);
    const qsizetype index = names.indexOf(core::closestMatch(plain(wanted), names));
    return index < 0 ? QString() : queueSpec(known.at(index));
}

} // namespace

std::optional<int> requireQueue(HeadlessServer &server, const queues::QueueRef &queue,
                                const QString &serverName)
{
    const std::optional<bool> exists = existsByItsKeys(server, queue);
    if (!exists || *exists)
        return std::nullopt;
    // Keys laid out otherwise (a Celery queue bound to a shared exchange) are found by the same
    // discovery the window runs.
    const QString discoveryError = server.discoverQueues();
    const QList<queues::QueueRef> known = server.queues().queues();
    if (known.contains(queue))
        return std::nullopt;
    if (!discoveryError.isEmpty()) {
        printError(QStringLiteral("note: no sign of queue '%1', but the server's queues could not "
                                  "all be listed (%2); going on")
                       .arg(queueSpec(queue), discoveryError));
        return std::nullopt;
    }
    QString message = QStringLiteral("no queue '%1' on %2").arg(queueSpec(queue), serverName);
    if (const QString nearest = nearestQueue(queue, known); !nearest.isEmpty())
        message += QStringLiteral("; did you mean '%1'?").arg(nearest);
    else if (known.isEmpty())
        message += QStringLiteral(" (it has no queues of BullMQ, Bull, Celery, RQ or Sidekiq)");
    else
        message += QStringLiteral(" (`queuescope queues` lists its %1 queues)").arg(known.size());
    printError(message);
    return Degraded;
}

} // namespace qs::cli
