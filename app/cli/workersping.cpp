#include "workersping.h"

#include "clioutput.h"
#include "exitcode.h"
#include "headlessserver.h"
#include "targetadvice.h"

#include "jobs/auditlog.h"
#include "monitor/celeryping.h"
#include "monitor/queuemonitor.h"
#include "monitor/workerscanner.h"

#include <QDateTime>
#include <QJsonArray>

namespace qs::cli {

namespace {

using monitor::CeleryPing;
using monitor::CeleryPingResult;

// A refusal in the audit log, shaped like a ping's entry.
void auditRefusal(const core::ConnectionProfile &profile, const QString &why)
{
    QString error;
    const QJsonObject control{{QStringLiteral("framework"), QStringLiteral("celery")},
                              {QStringLiteral("action"), QStringLiteral("ping")},
                              {QStringLiteral("result"),
                               QJsonObject{{QStringLiteral("outcome"), QStringLiteral("refused")},
                                           {QStringLiteral("error"), why}}}};
    if (!jobs::AuditLog().appendWorkerControl(profile, control, QStringLiteral("cli"), &error))
        printError(error);
}

int refuse(const core::ConnectionProfile &profile, const QString &why, bool json)
{
    auditRefusal(profile, why);
    if (json)
        printJson({{QStringLiteral("refused"), true}, {QStringLiteral("error"), why}});
    else
        printError(why);
    return Refused;
}

bool answered(const QList<CeleryPingResult> &results, const queues::WorkerInfo &worker)
{
    for (const CeleryPingResult &result : results) {
        if (result.prefix != worker.prefix)
            continue;
        for (const monitor::CeleryPingAnswer &answer : result.answers) {
            if (answer.hostname == worker.id)
                return true;
        }
    }
    return false;
}

QString channelsOf(const QList<queues::QueueRef> &queues, int db)
{
    QStringList channels;
    for (const queues::QueueRef &queue : queues) {
        const QString channel = QString::fromUtf8(queues::celerypidbox::channel(queue.prefix, db));
        if (queue.framework == queues::Framework::Celery && !channels.contains(channel))
            channels << channel;
    }
    return channels.join(QStringLiteral(", "));
}

} // namespace

void addPingOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("ping"),
         QStringLiteral("Celery: ping every worker through the pidbox, as `celery inspect ping` "
                        "does (a write: one PUBLISH, a reply queue added and removed). Needs "
                        "--yes; refused on a read-only profile.")},
        {QStringLiteral("ping-timeout"),
         QStringLiteral("How long --ping waits for answers, in ms (default %1).")
             .arg(CeleryPing::kDefaultTimeoutMs),
         QStringLiteral("MS")},
        {QStringLiteral("yes"), QStringLiteral("With --ping: do it. Without, it only says what "
                                               "it would send.")},
    });
}

bool pingRequested(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("ping"));
}

int runWorkersPing(const QCommandLineParser &parser, const Target &target)
{
    const bool json = parser.isSet(QStringLiteral("json"));
    int timeoutMs = CeleryPing::kDefaultTimeoutMs;
    if (parser.isSet(QStringLiteral("ping-timeout"))) {
        bool ok = false;
        timeoutMs = parser.value(QStringLiteral("ping-timeout")).toInt(&ok);
        if (!ok || timeoutMs < 1 || timeoutMs > CeleryPing::kMaxTimeoutMs)
            return usageError(
                QStringLiteral("--ping-timeout takes 1 to %1 ms").arg(CeleryPing::kMaxTimeoutMs));
    }
    if (parser.positionalArguments().size() > 1)
        return usageError(QStringLiteral("--ping pings every Celery worker; it takes no QUEUE"));
    const core::ConnectionProfile &profile = target.profile;
    if (profile.readOnly)
        return refuse(profile,
                      QStringLiteral("refused: ping writes (PUBLISH on Celery's pidbox), and the "
                                     "profile%1 is read-only; nothing was sent")
                          .arg(profile.name.isEmpty() ? QString()
                                                      : QStringLiteral(" '%1'").arg(profile.name)),
                      json);

    HeadlessServer server(profile);
    if (const redis::RedisError error = server.connect(); !error.isNone()) {
        printError(withTargetAdvice(error, target));
        return Unreachable;
    }
    if (const QString discovery = server.discoverQueues(); !discovery.isEmpty())
        printError(QStringLiteral("queue discovery incomplete: %1").arg(discovery));
    const QString channels = channelsOf(server.queues().queues(), profile.db);
    if (channels.isEmpty()) {
        printError(QStringLiteral("no Celery queue on %1: no worker to ping; nothing was sent")
                       .arg(profile.displayUrl()));
        return Degraded;
    }
    if (!parser.isSet(QStringLiteral("yes")))
        return refuse(profile,
                      QStringLiteral("would ping the Celery workers on %1: PUBLISH one broadcast "
                                     "'ping' on %2, add and remove a reply queue (its binding in "
                                     "_kombu.binding.reply.celery.pidbox), wait up to %3 ms; add "
                                     "--yes to do it")
                          .arg(profile.displayUrl(), channels)
                          .arg(timeoutMs),
                      json);

    // The workers heard on the event stream first: those that do not answer are named.
    const QString scanError = server.scanWorkers();
    const QList<CeleryPingResult> results = server.pingCeleryWorkers(timeoutMs);
    QList<queues::WorkerInfo> silent;
    for (const queues::WorkerInfo &worker : server.workers().latest().workers) {
        if (worker.framework == queues::Framework::Celery && !answered(results, worker))
            silent.append(worker);
    }
    int exit = results.isEmpty() ? Degraded : Success;
    QJsonArray pings;
    QString text;
    for (const CeleryPingResult &result : results) {
        pings.append(result.toJson());
        for (const monitor::CeleryPingAnswer &answer : result.answers)
            text += QStringLiteral("%1  %2  %3 ms\n")
                        .arg(field(answer.answer).leftJustified(9), field(answer.hostname))
                        .arg(answer.roundTripMs);
        if (!result.error.isEmpty()) {
            text += QStringLiteral("error      %1\n").arg(field(result.error));
            exit = Degraded;
        }
        text += QStringLiteral("%1 of %2 reached answered in %3 ms (waiting up to %4 ms)%5\n")
                    .arg(result.answers.size())
                    .arg(result.reached ? QString::number(*result.reached) : QStringLiteral("?"))
                    .arg(result.elapsedMs)
                    .arg(result.timeoutMs)
                    .arg(result.cleanedUp ? QString()
                                          : QStringLiteral(" (the reply queue was not removed)"));
    }
    if (results.isEmpty())
        text +=
            QStringLiteral("error      %1\n").arg(server.noAnswer(QStringLiteral("ping")).message);
    QJsonArray silentJson;
    for (const queues::WorkerInfo &worker : std::as_const(silent)) {
        const bool live = worker.state != queues::WorkerState::Offline;
        exit = live ? Degraded : exit;
        silentJson.append(QJsonObject{
            {QStringLiteral("id"), worker.id},
            {QStringLiteral("state"), queues::workerStateName(worker.state)},
            {QStringLiteral("lastSeenAt"),
             worker.lastSeenAtMs ? QJsonValue(double(*worker.lastSeenAtMs)) : QJsonValue()}});
        text += QStringLiteral("no answer  %1 (%2 by its heartbeats)\n")
                    .arg(field(worker.id), queues::workerStateName(worker.state));
    }
    if (!scanError.isEmpty())
        text += QStringLiteral("note       workers heard: %1\n").arg(field(scanError));
    if (json)
        printJson({{QStringLiteral("ping"), pings}, {QStringLiteral("silent"), silentJson}});
    else
        printText(text);
    return exit;
}

} // namespace qs::cli
