#include "checkcommand.h"

#include "clioutput.h"
#include "commandsetup.h"
#include "exitcode.h"
#include "headlessserver.h"
#include "healthjson.h"
#include "healthtext.h"
#include "queuejson.h"
#include "targetadvice.h"
#include "workersjson.h"

#include "monitor/healthreport.h"
#include "monitor/workerscanner.h"
#include "redis/infosnapshot.h"
#include "redis/redisconnection.h"

#include <QDateTime>
#include <QJsonObject>

namespace qs::cli {

namespace {

QJsonObject failureJson(const redis::RedisError &error, const QString &message,
                        const QString &serverUrl)
{
    return {{QStringLiteral("status"), QStringLiteral("unreachable")},
            {QStringLiteral("connected"), false},
            {QStringLiteral("serverUrl"), serverUrl},
            {QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), error.code()},
                                                  {QStringLiteral("message"), message}}},
            {QStringLiteral("queueStats"), QJsonObject{}}};
}

int unreachable(const redis::RedisError &error, const Target &target, bool json)
{
    const QString serverUrl = target.profile.displayUrl();
    const QString message = withTargetAdvice(error, target);
    if (json)
        printJson(failureJson(error, message, serverUrl));
    else
        printError(QStringLiteral("cannot reach %1: %2").arg(serverUrl, message));
    return Unreachable;
}

} // namespace

int runCheck(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Checks the health of a Redis server and totals its job queues. Exit 0 "
                       "healthy, 1 degraded or unhealthy, 2 usage error, 3 unreachable or "
                       "authentication failed."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON document.")});
    parser.addPositionalArgument(QStringLiteral("check"), QStringLiteral("The command."));
    Target target;
    if (auto exit = setUpCommand(parser, arguments, 1, &target))
        return *exit;
    const bool json = parser.isSet(QStringLiteral("json"));
    const QString serverUrl = target.profile.displayUrl();

    HeadlessServer server(target.profile);
    if (const redis::RedisError error = server.connect(); !error.isNone())
        return unreachable(error, target, json);
    const double latencyMs = server.pingMs();
    const QString discovery = server.discoverQueues();
    const monitor::PollSnapshot snapshot = server.poll();
    if (!snapshot.ok())
        return unreachable(snapshot.error, target, json);
    monitor::HealthReport report = monitor::evaluateHealth(snapshot.info);
    if (!discovery.isEmpty() && report.status == monitor::HealthReport::Status::Healthy)
        report.status = monitor::HealthReport::Status::Degraded;
    if (!discovery.isEmpty())
        report.reasons << QStringLiteral("queue discovery incomplete: %1").arg(discovery);
    // A queue with waiting jobs whose oldest has waited past the threshold and no live worker.
    if (server.scanWorkers(false).isEmpty()) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const monitor::QueueConsumers &consumers : server.workers().consumers()) {
            if (!consumers.noConsumer)
                continue;
            if (report.status == monitor::HealthReport::Status::Healthy)
                report.status = monitor::HealthReport::Status::Degraded;
            report.reasons << noConsumerNote(consumers, now);
        }
    }
    const QJsonObject queueStats = unifiedQueueStats(snapshot, server.queues());
    if (json) {
        QJsonObject doc = healthToJson(report, latencyMs);
        doc.insert(QStringLiteral("serverUrl"), serverUrl);
        doc.insert(QStringLiteral("queueStats"), queueStats);
        printJson(doc);
    } else {
        QString text = healthToText(report, latencyMs, serverUrl);
        text += QStringLiteral("Queues       %1 (%2 waiting, %3 active, %4 delayed, %5 failed)\n")
                    .arg(queueStats.value(QStringLiteral("queues")).toInt())
                    .arg(queueStats.value(QStringLiteral("waiting")).toInteger())
                    .arg(queueStats.value(QStringLiteral("active")).toInteger())
                    .arg(queueStats.value(QStringLiteral("delayed")).toInteger())
                    .arg(queueStats.value(QStringLiteral("failed")).toInteger());
        printText(text);
    }
    return report.status == monitor::HealthReport::Status::Healthy ? Success : Degraded;
}

} // namespace qs::cli
