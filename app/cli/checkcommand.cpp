#include "checkcommand.h"

#include "clioutput.h"
#include "exitcode.h"
#include "healthjson.h"
#include "healthtext.h"
#include "targetoptions.h"

#include "monitor/healthreport.h"
#include "redis/infosnapshot.h"
#include "redis/redisconnection.h"

#include <QEventLoop>
#include <QJsonObject>

namespace qs::cli {

namespace {

struct Probe
{
    redis::RedisError error;
    double latencyMs = 0;
    redis::InfoSnapshot info;
};

// Connects without retrying, measures one PING round trip, then reads INFO (the default
// sections: every Redis version accepts the plain command).
Probe probe(const core::ConnectionProfile &profile)
{
    redis::TransportOptions options;
    options.autoReconnect = false;
    options.clientName = QStringLiteral("queuescope-check");
    redis::RedisConnection connection(profile, options);
    QEventLoop loop;
    Probe result;
    QObject context;
    auto readInfo = [&] {
        connection.pipeline({{"INFO"}}, &context, [&](const redis::PipelineResult &r) {
            if (!r.ok())
                result.error = r.error;
            else if (r.replies.first().isError())
                result.error = {redis::RedisError::Kind::Server,
                                QStringLiteral("INFO failed: %1")
                                    .arg(QString::fromUtf8(r.replies.first().string))};
            else
                result.info = redis::parseInfo(r.replies.first().string);
            loop.quit();
        });
    };
    QObject::connect(&connection, &redis::RedisConnection::statusChanged, &context,
                     [&](const redis::ConnectionStatus &status) {
                         if (status.state == redis::ConnectionState::Failed) {
                             result.error = status.error;
                             loop.quit();
                         }
                     });
    connection.open();
    connection.pipeline({{"PING"}}, &context, [&](const redis::PipelineResult &r) {
        if (!r.ok()) {
            result.error = r.error;
            loop.quit();
            return;
        }
        result.latencyMs = r.elapsedUs / 1000.0;
        readInfo();
    });
    loop.exec();
    return result;
}

QJsonObject failureJson(const redis::RedisError &error, const QString &serverUrl)
{
    return {{QStringLiteral("status"), QStringLiteral("unreachable")},
            {QStringLiteral("connected"), false},
            {QStringLiteral("serverUrl"), serverUrl},
            {QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), error.code()},
                                                  {QStringLiteral("message"), error.message}}},
            {QStringLiteral("queueStats"), QJsonObject{}}};
}

} // namespace

int runCheck(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Checks the health of a Redis server. Exit 0 healthy, 1 degraded or "
                       "unhealthy, 2 usage error, 3 unreachable or authentication failed."));
    parser.addHelpOption();
    addTargetOptions(parser);
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON document.")});
    parser.addPositionalArgument(QStringLiteral("check"), QStringLiteral("The command."));
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        return printHelp(parser);
    if (parser.positionalArguments().size() > 1)
        return usageError(QStringLiteral("check takes no arguments besides options: '%1'")
                              .arg(parser.positionalArguments().value(1)));
    auto target = resolveTarget(parser, QProcessEnvironment::systemEnvironment());
    if (!target)
        return usageError(target.error());
    const bool json = parser.isSet(QStringLiteral("json"));
    const QString serverUrl = target->profile.displayUrl();

    const Probe result = probe(target->profile);
    if (!result.error.isNone()) {
        if (json)
            printJson(failureJson(result.error, serverUrl));
        else
            printError(QStringLiteral("cannot reach %1: %2").arg(serverUrl, result.error.message));
        return Unreachable;
    }
    const monitor::HealthReport report = monitor::evaluateHealth(result.info);
    if (json) {
        QJsonObject doc = healthToJson(report, result.latencyMs);
        doc.insert(QStringLiteral("serverUrl"), serverUrl);
        printJson(doc);
    } else {
        printText(healthToText(report, result.latencyMs, serverUrl));
    }
    return report.status == monitor::HealthReport::Status::Healthy ? Success : Degraded;
}

} // namespace qs::cli
