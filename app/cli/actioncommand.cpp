#include "actioncommand.h"

#include "clioutput.h"
#include "commandsetup.h"
#include "completion.h"
#include "exitcode.h"
#include "headlessserver.h"
#include "queuecheck.h"
#include "queuespec.h"
#include "targetadvice.h"

#include "core/displaytext.h"
#include "frameworks/registry.h"
#include "jobs/auditlog.h"
#include "jobs/bulkaction.h"
#include "redis/redisconnection.h"

#include "core/limits.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <unistd.h>

namespace qs::cli {

namespace {

std::atomic_bool interrupted{false};

void onInterrupt(int)
{
    interrupted = true;
}

QString commandSynopsis(jobs::JobAction action)
{
    switch (action) {
    case jobs::JobAction::Retry:
    case jobs::JobAction::Promote:
    case jobs::JobAction::Restore:
        return QStringLiteral("QUEUE (--job ID ... | --all)");
    case jobs::JobAction::Remove:
        return QStringLiteral("QUEUE --job ID ...");
    case jobs::JobAction::Clean:
        return QStringLiteral("QUEUE STATE [--older-than AGE]");
    case jobs::JobAction::Pause:
    case jobs::JobAction::Resume:
    case jobs::JobAction::Drain:
        return QStringLiteral("QUEUE");
    }
    return {};
}

void addActionOptions(QCommandLineParser &parser, jobs::JobAction action)
{
    addQueueOptions(parser);
    parser.addOptions({
        {QStringLiteral("job"), QStringLiteral("A job id (repeat for several)."),
         QStringLiteral("ID")},
        {QStringLiteral("all"), QStringLiteral("Every job of the state.")},
        {QStringLiteral("state"),
         QStringLiteral("The state acted on when the framework has several (Sidekiq: retries, "
                        "dead, scheduled, enqueued)."),
         QStringLiteral("STATE")},
        {QStringLiteral("older-than"),
         QStringLiteral("Only jobs finished (or created) at least this long ago: 90s, 15m, 1h, "
                        "7d."),
         QStringLiteral("AGE")},
        {QStringLiteral("reset-attempts"),
         QStringLiteral("Retry with a full attempt budget (BullMQ, Bull: resets the attempt "
                        "counters).")},
        {QStringLiteral("include-delayed"), QStringLiteral("Drain: the delayed jobs too.")},
        {QStringLiteral("batch"),
         QStringLiteral("Jobs per script call (1 to %1, default %2).")
             .arg(QString::number(core::limits::maxBatchSize),
                  QString::number(core::limits::defaultBatchSize)),
         QStringLiteral("N")},
        {QStringLiteral("yes"),
         QStringLiteral("Do it. Without --yes the command only says what it would touch.")},
        {QStringLiteral("json"), QStringLiteral("Print the result as one JSON document.")},
    });
    parser.addPositionalArgument(jobs::actionName(action), QStringLiteral("The command."));
    parser.addPositionalArgument(QStringLiteral("QUEUE"),
                                 QStringLiteral("FRAMEWORK/NAME, e.g. bullmq/emails."));
    if (action == jobs::JobAction::Clean)
        parser.addPositionalArgument(QStringLiteral("STATE"),
                                     QStringLiteral("The state to clean, e.g. completed."));
    parser.setApplicationDescription(QStringLiteral("usage: queuescope %1 [target] %2")
                                         .arg(jobs::actionName(action), commandSynopsis(action)));
}

// Which jobs, in the command line's own words (BulkAction::validate() words it for any caller).
QString selectionError(const jobs::ActionRequest &request, const jobs::ActionSupport &support)
{
    if (!support.supported)
        return {};
    const QString name = jobs::actionName(request.action);
    const QString queue =
        queues::frameworkName(request.queue.framework) + '/' + request.queue.displayName();
    switch (support.selection) {
    case jobs::Selection::IdsOrAll:
        if (request.ids.isEmpty() && !request.all)
            return QStringLiteral("%1 needs the jobs: --job ID (repeat for several) or --all, "
                                  "e.g. queuescope %1 %2 --all")
                .arg(name, queue);
        if (!request.ids.isEmpty() && request.all)
            return QStringLiteral("%1 takes --job ID or --all, not both").arg(name);
        return {};
    case jobs::Selection::Ids:
        if (request.ids.isEmpty())
            return QStringLiteral("%1 needs the jobs: --job ID (repeat for several), e.g. "
                                  "queuescope %1 %2 --job 42")
                .arg(name, queue);
        return {};
    case jobs::Selection::Queue:
    case jobs::Selection::All:
        return {};
    }
    return {};
}

// Reads the request from the parsed command line; a usage error message on failure.
core::Result<jobs::ActionRequest> requestFrom(jobs::JobAction action,
                                              const QCommandLineParser &parser)
{
    using R = core::Result<jobs::ActionRequest>;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() < 2)
        return R::failure(QStringLiteral("%1 needs a queue: queuescope %1 %2")
                              .arg(jobs::actionName(action), commandSynopsis(action)));
    auto queue = parseQueueSpec(positional.at(1), parser);
    if (!queue)
        return R::failure(queue.error());
    jobs::ActionRequest request;
    request.queue = queue.value();
    request.action = action;
    request.state = parser.value(QStringLiteral("state"));
    if (action == jobs::JobAction::Clean) {
        if (positional.size() < 3)
            return R::failure(QStringLiteral("clean needs the state to clean, e.g. "
                                             "queuescope clean bullmq/emails completed"));
        request.state = positional.at(2);
    }
    for (const QString &id : parser.values(QStringLiteral("job")))
        request.ids.append(core::parseIdentifier(id)); // \xNN: any byte, as ids are printed
    request.all = parser.isSet(QStringLiteral("all")) || action == jobs::JobAction::Clean;
    if (parser.isSet(QStringLiteral("older-than"))) {
        const std::optional<qint64> age =
            jobs::parseAgeMs(parser.value(QStringLiteral("older-than")));
        if (!age)
            return R::failure(QStringLiteral("--older-than takes an age such as 90s, 15m, 1h or "
                                             "7d, not '%1'")
                                  .arg(parser.value(QStringLiteral("older-than"))));
        request.olderThanMs = *age;
    }
    request.resetAttempts = parser.isSet(QStringLiteral("reset-attempts"));
    request.includeDelayed = parser.isSet(QStringLiteral("include-delayed"));
    const jobs::ActionSupport support = frameworks::actionSupport(request.queue.framework, action);
    if (support.selection == jobs::Selection::Queue || support.selection == jobs::Selection::All)
        request.all = false;
    if (const QString why = selectionError(request, support); !why.isEmpty())
        return R::failure(why);
    return R::success(request);
}

// The queue's current counts, one pipeline: what the confirmation shows.
QString currentCounts(HeadlessServer &server, const queues::QueueRef &queue)
{
    const std::unique_ptr<queues::QueueAdapter> adapter = frameworks::makeAdapter(queue);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QList<redis::RedisCommand> commands = adapter->countCommands(queue, now);
    const QList<redis::RedisCommand> all = adapter->serverCountCommands(now, {});
    Completion done;
    QObject context; // a late answer, after the deadline, is dropped with it
    QString text;
    server.connection().pipeline(
        commands + all, &context, [&](const redis::PipelineResult &result) {
            if (result.ok() && result.replies.size() == commands.size() + all.size()) {
                QStringList parts;
                const queues::QueueCounts counts =
                    adapter->parseCounts(queue, result.replies.mid(0, commands.size()));
                for (const auto &entry : counts.counts)
                    parts << QStringLiteral("%1 %2").arg(entry.first,
                                                         QString::number(entry.second));
                if (!all.isEmpty()) {
                    const queues::ServerCounts serverWide =
                        adapter->parseServerCounts(result.replies.mid(commands.size()));
                    for (const auto &entry : serverWide.counts)
                        parts << QStringLiteral("%1 %2 (server-wide)")
                                     .arg(entry.first)
                                     .arg(entry.second);
                }
                if (counts.paused)
                    parts << QStringLiteral("paused");
                text = parts.join(QStringLiteral(", "));
            }
            done.finish();
        });
    done.wait(server.deadlineFor());
    return text;
}

QString whatItTouches(const jobs::ActionRequest &request, const jobs::ActionSupport &support)
{
    const QString state = request.state.isEmpty() && !support.states.isEmpty()
                              ? support.states.first().first
                              : request.state;
    QString what;
    if (!request.ids.isEmpty())
        what = QStringLiteral("%1 job(s)").arg(request.ids.size());
    else if (support.selection == jobs::Selection::Queue)
        what = QStringLiteral("the queue");
    else if (request.action == jobs::JobAction::Restore)
        what = QStringLiteral("every %1 job whose worker is gone").arg(state);
    else
        what = QStringLiteral("every %1 job").arg(state);
    if (request.olderThanMs > 0)
        what += QStringLiteral(" older than %1 s").arg(request.olderThanMs / 1000);
    return what;
}

QJsonObject summaryToJson(const jobs::ActionSummary &summary)
{
    QJsonArray reasons;
    for (const auto &entry : summary.skippedReasons)
        reasons.append(QJsonObject{{QStringLiteral("id"), QString::fromUtf8(entry.first)},
                                   {QStringLiteral("reason"), entry.second}});
    QJsonObject json = jobs::AuditLog::requestToJson(summary.request);
    json.insert(QStringLiteral("completed"), summary.completed());
    json.insert(QStringLiteral("cancelled"), summary.cancelled);
    if (summary.refused)
        json.insert(QStringLiteral("refused"), true);
    json.insert(QStringLiteral("done"), summary.done);
    if (!summary.doneAs.isEmpty())
        json.insert(QStringLiteral("doneAs"), jobs::AuditLog::doneAsToJson(summary));
    json.insert(QStringLiteral("skipped"), summary.skipped);
    json.insert(QStringLiteral("skippedReasons"), reasons);
    json.insert(QStringLiteral("calls"), summary.calls);
    json.insert(QStringLiteral("resentCalls"), summary.resentCalls);
    json.insert(QStringLiteral("elapsedMs"), summary.elapsedMs);
    json.insert(QStringLiteral("slowestCallMs"), summary.slowestCallUs / 1000.0);
    if (!summary.error.isEmpty())
        json.insert(QStringLiteral("error"), summary.error);
    return json;
}

int refuse(const QString &message, bool json)
{
    if (json)
        printJson({{QStringLiteral("refused"), true}, {QStringLiteral("error"), message}});
    else
        printError(message);
    return Refused;
}

jobs::ActionSummary runBulk(HeadlessServer &server, const jobs::ActionRequest &request, int batch,
                            bool showProgress)
{
    jobs::BulkAction bulk(&server.connection(), request);
    bulk.setBatchSize(batch);
    // Between two progress reports: a feed read and a script call, re-sent while the server is
    // away for up to the outage budget. Longer than that without progress, the wait gives up.
    constexpr int outageBudgetMs = core::limits::actionOutageBudgetMs;
    bulk.setOutageBudgetMs(outageBudgetMs);
    const auto stallDeadline = [&server] {
        return QDeadlineTimer(server.deadlineFor(3).remainingTime() + outageBudgetMs,
                              Qt::PreciseTimer);
    };
    Completion done;
    QObject::connect(&bulk, &jobs::BulkAction::finished, &bulk, [&done] { done.finish(); });
    QObject::connect(&bulk, &jobs::BulkAction::progress, &bulk, [&](const jobs::ActionProgress &p) {
        done.postpone(stallDeadline());
        if (showProgress)
            std::fprintf(stderr, "\r%lld done, %lld skipped, %d call(s)", qlonglong(p.done),
                         qlonglong(p.skipped), p.calls);
    });
    // Ctrl+C cancels between two calls: what was done stays done, nothing is half-done.
    interrupted = false;
    const auto previous = std::signal(SIGINT, onInterrupt);
    QTimer watch;
    QObject::connect(&watch, &QTimer::timeout, &bulk, [&bulk] {
        if (interrupted)
            bulk.cancel();
    });
    watch.start(100);
    bulk.start();
    const bool finished = done.wait(stallDeadline());
    std::signal(SIGINT, previous);
    if (showProgress)
        std::fprintf(stderr, "\n");
    jobs::ActionSummary summary = bulk.summary();
    if (!finished) {
        const redis::RedisError error =
            server.noAnswer(QStringLiteral("%1 stopped").arg(jobs::actionName(request.action)));
        summary.error =
            error.message + QStringLiteral("; what was done so far stays done, and running the "
                                           "action again is safe");
        summary.errorKind = error.kind;
    }
    return summary;
}

int exitCodeOf(const jobs::ActionSummary &summary)
{
    if (summary.completed())
        return summary.skipped == 0 ? Success : Degraded;
    if (summary.refused)
        return Refused;
    using Kind = redis::RedisError::Kind;
    switch (summary.errorKind) {
    case Kind::ReadOnlyRefused:
    case Kind::ReadOnlyReplica:
        return Refused;
    case Kind::ConnectionLost:
    case Kind::ConnectionRefused:
    case Kind::ConnectTimeout:
    case Kind::CommandTimeout:
    case Kind::NotConnected:
    case Kind::AuthFailed:
    case Kind::AuthRequired:
        return summary.done == 0 ? Unreachable : Degraded;
    default:
        return Degraded;
    }
}

} // namespace

int runAction(jobs::JobAction action, const QStringList &arguments)
{
    QCommandLineParser parser;
    addActionOptions(parser, action);
    Target target;
    if (auto exit =
            setUpCommand(parser, arguments, action == jobs::JobAction::Clean ? 3 : 2, &target))
        return *exit;
    const bool json = parser.isSet(QStringLiteral("json"));
    auto parsed = requestFrom(action, parser);
    if (!parsed)
        return usageError(parsed.error());
    const jobs::ActionRequest request = parsed.value();
    const jobs::ActionSupport support = frameworks::actionSupport(request.queue.framework, action);
    const core::ConnectionProfile &profile = target.profile;
    const jobs::AuditLog audit;
    // Every refusal and every failure is in the audit log (README), not only the actions done.
    const auto audited = [&](bool written, const QString &auditError) {
        if (!written)
            printError(auditError);
    };
    const auto refuseAudited = [&](const QString &why) {
        QString auditError;
        audited(audit.appendRefusal(profile, request, QStringLiteral("cli"), why, &auditError),
                auditError);
        return refuse(why, json);
    };
    if (const QString why = jobs::BulkAction::validate(request); !why.isEmpty())
        return support.supported ? usageError(why) : refuseAudited(why);
    int batch = core::limits::defaultBatchSize;
    if (parser.isSet(QStringLiteral("batch"))) {
        bool ok = false;
        batch = parser.value(QStringLiteral("batch")).toInt(&ok);
        if (!ok || batch < 1 || batch > core::limits::maxBatchSize)
            return usageError(QStringLiteral("--batch takes 1 to %1 jobs per call")
                                  .arg(core::limits::maxBatchSize));
    }

    if (profile.readOnly) {
        const QString why =
            QStringLiteral("refused: %1 writes, and the profile%2 is read-only; "
                           "nothing was sent")
                .arg(jobs::actionName(action), profile.name.isEmpty()
                                                   ? QString()
                                                   : QStringLiteral(" '%1'").arg(profile.name));
        return refuseAudited(why);
    }

    HeadlessServer server(profile, session::SessionOptions::commandLine(true));
    if (const redis::RedisError error = server.connect(); !error.isNone()) {
        jobs::ActionSummary failed;
        failed.request = request;
        failed.error = error.message;
        failed.errorKind = error.kind;
        QString auditError;
        audited(audit.append(profile, failed, QStringLiteral("cli"), &auditError), auditError);
        printError(withTargetAdvice(error, target));
        return Unreachable;
    }
    if (auto unknown = requireQueue(server, request.queue, profile.displayUrl()))
        return *unknown;
    const QString where =
        QStringLiteral("%1 on %2%3")
            .arg(queueSpec(request.queue), profile.displayUrl(),
                 profile.environment.isEmpty() ? QString()
                                               : QStringLiteral(" (%1)").arg(profile.environment));
    if (!parser.isSet(QStringLiteral("yes"))) {
        const QString counts = currentCounts(server, request.queue);
        return refuseAudited(
            QStringLiteral("would %1 %2 of %3 [now: %4]; add --yes to do it")
                .arg(support.label.toLower(), whatItTouches(request, support), where,
                     counts.isEmpty() ? QStringLiteral("counts unavailable") : counts));
    }

    const jobs::ActionSummary summary =
        runBulk(server, request, batch, !json && isatty(STDERR_FILENO));
    QString auditError;
    audited(audit.append(profile, summary, QStringLiteral("cli"), &auditError), auditError);
    if (json)
        printJson(summaryToJson(summary));
    else
        printText(field(summary.describe()) + QLatin1Char('\n')); // quotes ids and server errors
    return exitCodeOf(summary);
}

} // namespace qs::cli
