#include "checkcommand.h"

#include "clioutput.h"
#include "commandsetup.h"
#include "exitcode.h"
#include "headlessserver.h"
#include "healthjson.h"
#include "healthtext.h"
#include "queuejson.h"
#include "rulescheck.h"
#include "targetadvice.h"
#include "topologyoutput.h"
#include "workersjson.h"

#include "monitor/healthreport.h"
#include "monitor/topologymodel.h"
#include "monitor/workerscanner.h"
#include "queues/actionrequest.h"
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
                       "authentication failed. With --rules: the alert rules decide, as Nagios "
                       "reads it: exit 0 none firing, 1 a warning, 2 a critical."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON document.")});
    parser.addOption({QStringLiteral("rules"),
                      QStringLiteral("Evaluate the alert rules (built-in, alerts.json, the "
                                     "profile's, then FILE: docs/alerts.md) on --polls polls."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("polls"),
                      QStringLiteral("With --rules: how many polls (default 2, so that rates and "
                                     "changes have a baseline)."),
                      QStringLiteral("N"), QStringLiteral("2")});
    parser.addOption({QStringLiteral("interval"),
                      QStringLiteral("With --rules: time between the polls (default 1s)."),
                      QStringLiteral("AGE"), QStringLiteral("1s")});
    parser.addPositionalArgument(QStringLiteral("check"), QStringLiteral("The command."));
    Target target;
    if (auto exit = setUpCommand(parser, arguments, 1, &target))
        return *exit;
    const bool json = parser.isSet(QStringLiteral("json"));
    std::optional<alerts::AlertRules> rules;
    bool pollsOk = false;
    const int polls = parser.value(QStringLiteral("polls")).toInt(&pollsOk);
    const std::optional<qint64> interval =
        jobs::parseAgeMs(parser.value(QStringLiteral("interval")));
    if (parser.isSet(QStringLiteral("rules"))) {
        if (!pollsOk || polls < 1 || polls > 100 || !interval || *interval > 60'000)
            return usageError(QStringLiteral("--polls takes 1 to 100, --interval an age up to 1m"));
        const core::Result<alerts::AlertRules> loaded =
            checkRules(target.profile, parser.value(QStringLiteral("rules")));
        if (!loaded)
            return usageError(loaded.error());
        rules = loaded.value();
    }
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
    std::optional<RulesVerdict> verdict;
    if (rules) {
        verdict = evaluateRules(server, *rules, snapshot, polls, int(*interval));
        if (!verdict->error.isNone())
            return unreachable(verdict->error, target, json);
    }
    const QJsonObject queueStats = unifiedQueueStats(snapshot, server.queues());
    if (json) {
        QJsonObject doc = healthToJson(report, latencyMs);
        doc.insert(QStringLiteral("serverUrl"), serverUrl);
        doc.insert(QStringLiteral("queueStats"), queueStats);
        doc.insert(QStringLiteral("topology"), topologyToJson(snapshot.topology));
        if (verdict)
            doc.insert(QStringLiteral("alerts"), firingJson(*verdict));
        printJson(doc);
    } else {
        QString text = healthToText(report, latencyMs, serverUrl);
        if (const QString topology = monitor::topologySummary(snapshot.topology);
            !topology.isEmpty())
            text += QStringLiteral("Topology").leftJustified(13) + field(topology) + u'\n';
        text += QStringLiteral("Queues       %1 (%2 waiting, %3 active, %4 delayed, %5 failed)\n")
                    .arg(queueStats.value(QStringLiteral("queues")).toInt())
                    .arg(queueStats.value(QStringLiteral("waiting")).toInteger())
                    .arg(queueStats.value(QStringLiteral("active")).toInteger())
                    .arg(queueStats.value(QStringLiteral("delayed")).toInteger())
                    .arg(queueStats.value(QStringLiteral("failed")).toInteger());
        if (verdict)
            text += firingText(*verdict);
        printText(text);
    }
    if (verdict)
        return verdict->exitCode;
    return report.status == monitor::HealthReport::Status::Healthy ? Success : Degraded;
}

} // namespace qs::cli
