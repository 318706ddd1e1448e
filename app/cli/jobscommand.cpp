#include "jobscommand.h"

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
#include "jobs/jobbrowser.h"
#include "jobs/jobdetailjson.h"
#include "queues/jobsource.h"
#include "queues/payloadformat.h"

#include "core/limits.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimeZone>

#include <cstdio>

namespace qs::cli {

namespace {

QString when(qint64 ms)
{
    return ms < 0 ? QStringLiteral("-")
                  : QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
                        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QJsonObject summaryToJson(const jobs::JobSummary &job)
{
    QJsonObject json{{QStringLiteral("id"), QString::fromUtf8(job.id)},
                     {QStringLiteral("state"), job.state}};
    insertEscapedIfLossy(json, QStringLiteral("idEscaped"), job.id);
    if (!job.name.isEmpty())
        json.insert(QStringLiteral("name"), job.name);
    if (!job.queue.isEmpty())
        json.insert(QStringLiteral("queue"), job.queue);
    const std::pair<const char *, qint64> numbers[] = {
        {"createdMs", job.createdMs},   {"processedMs", job.processedMs},
        {"finishedMs", job.finishedMs}, {"runAtMs", job.runAtMs},
        {"attempts", job.attempts},     {"priority", job.priority}};
    for (const auto &[key, value] : numbers) {
        if (value >= 0)
            json.insert(QLatin1String(key), value);
    }
    if (!job.progress.isEmpty())
        json.insert(QStringLiteral("progress"), job.progress);
    if (!job.failedReason.isEmpty())
        json.insert(QStringLiteral("failedReason"), job.failedReason);
    if (job.missing)
        json.insert(QStringLiteral("missing"), true);
    return json;
}

// Connects and checks that the queue exists; prints and returns the exit code on failure.
std::optional<int> openQueue(HeadlessServer &server, const Target &target,
                             const queues::QueueRef &queue)
{
    const redis::RedisError error = server.connect();
    if (!error.isNone()) {
        printError(withTargetAdvice(error, target));
        return Unreachable;
    }
    return requireQueue(server, queue, target.profile.displayUrl());
}

// The description, and the options and positional arguments both commands share: QUEUE, then
// `third` (STATE or ID).
void addJobArguments(QCommandLineParser &parser, const QString &description, const QString &command,
                     const QString &third, const QString &thirdHelp)
{
    parser.setApplicationDescription(description);
    addQueueOptions(parser);
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON document.")});
    parser.addPositionalArgument(command, QStringLiteral("The command."));
    parser.addPositionalArgument(QStringLiteral("QUEUE"), QStringLiteral("FRAMEWORK/NAME."));
    parser.addPositionalArgument(third, thirdHelp);
}

// Reads the target and QUEUE of both commands; nullopt and the exit code when the command ends
// there (help, a usage error).
std::optional<queues::QueueRef>
setUpJobCommand(QCommandLineParser &parser, const QStringList &arguments, Target *target, int *exit)
{
    if (auto done = setUpCommand(parser, arguments, 3, target)) {
        *exit = *done;
        return std::nullopt;
    }
    auto queue = parseQueueSpec(parser.positionalArguments().value(1), parser);
    if (!queue) {
        *exit = usageError(queue.error());
        return std::nullopt;
    }
    return queue.value();
}

void printPage(const jobs::JobPage &page)
{
    // One .arg() with every value: a chained .arg() would expand a %1 inside the queue's name.
    printText(
        QStringLiteral("%1 %2: %3 job(s)%4\n")
            .arg(queueSpec(page.queue), field(page.state),
                 page.total < 0 ? QStringLiteral("?") : QString::number(page.total),
                 page.note.isEmpty() ? QString() : QStringLiteral(" (") + field(page.note) + ')'));
    for (const jobs::JobSummary &job : page.jobs) {
        QString line =
            QStringLiteral("%1  %2  created %3  finished %4")
                .arg(identifier(job.id).leftJustified(24), field(job.name).leftJustified(20),
                     when(job.createdMs), when(job.finishedMs));
        if (job.attempts >= 0)
            line += QStringLiteral("  attempts %1").arg(job.attempts);
        if (job.runAtMs >= 0)
            line += QStringLiteral("  runs at %1").arg(when(job.runAtMs));
        if (!job.failedReason.isEmpty())
            line += QStringLiteral("  ") + field(job.failedReason.left(120));
        if (job.missing)
            line += QStringLiteral("  [data missing]");
        printText(line + QLatin1Char('\n'));
    }
    if (!page.nextCursor.isEmpty() && page.nextCursor != "0")
        printText(QStringLiteral("more: --cursor %1\n").arg(identifier(page.nextCursor)));
}

} // namespace

int runJobs(const QStringList &arguments)
{
    QCommandLineParser parser;
    addJobArguments(parser,
                    QStringLiteral("Lists one page of the jobs of a queue in a state (read-only). "
                                   "Lists are shown next to run first, finished states newest "
                                   "first."),
                    QStringLiteral("jobs"), QStringLiteral("STATE"),
                    QStringLiteral("e.g. failed."));
    parser.addOptions({
        {QStringLiteral("limit"),
         QStringLiteral("Jobs per page (1 to %1, default %2).")
             .arg(QString::number(core::limits::maxJobPageSize),
                  QString::number(core::limits::defaultJobPageSize)),
         QStringLiteral("N"), QString::number(core::limits::defaultJobPageSize)},
        {QStringLiteral("offset"), QStringLiteral("Jobs to skip (default 0)."), QStringLiteral("N"),
         QStringLiteral("0")},
        {QStringLiteral("cursor"),
         QStringLiteral("Where a SCAN-based state (Celery failure, reserved) continues."),
         QStringLiteral("CURSOR")},
    });
    Target target;
    int exit = Success;
    const std::optional<queues::QueueRef> queue =
        setUpJobCommand(parser, arguments, &target, &exit);
    if (!queue)
        return exit;
    const QString state = parser.positionalArguments().value(2);
    const QStringList states = frameworks::stateNames(*queue);
    if (state.isEmpty() || !states.contains(state))
        return usageError(
            QStringLiteral("jobs needs a state of %1: %2")
                .arg(queues::frameworkName(queue->framework), states.join(QStringLiteral(", "))));
    bool limitOk = false, offsetOk = false;
    const int limit = parser.value(QStringLiteral("limit")).toInt(&limitOk);
    const qint64 offset = parser.value(QStringLiteral("offset")).toLongLong(&offsetOk);
    if (!limitOk || limit < 1 || limit > core::limits::maxJobPageSize || !offsetOk || offset < 0)
        return usageError(QStringLiteral("--limit takes 1 to %1 and --offset 0 or more")
                              .arg(core::limits::maxJobPageSize));

    HeadlessServer server(target.profile);
    if (auto failed = openQueue(server, target, *queue))
        return *failed;
    jobs::JobBrowser browser(&server.connection());
    jobs::JobPage page;
    Completion loaded;
    QObject::connect(&browser, &jobs::JobBrowser::pageLoaded, &browser,
                     [&](const jobs::JobPage &answer) {
                         page = answer;
                         loaded.finish();
                     });
    browser.loadPage(*queue, state, offset, limit, parser.value(QStringLiteral("cursor")).toUtf8());
    if (!loaded.wait(server.deadlineFor(2))) // the page, then its jobs' summaries
        page.error = server.noAnswer(QStringLiteral("listing %1").arg(queue->id())).message;
    if (!page.error.isEmpty()) {
        printError(page.error);
        return Degraded;
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const jobs::JobSummary &job : page.jobs)
            list.append(summaryToJson(job));
        QJsonObject json{{QStringLiteral("queue"), page.queue.id()},
                         {QStringLiteral("state"), page.state},
                         {QStringLiteral("offset"), page.offset},
                         {QStringLiteral("total"), page.total},
                         {QStringLiteral("jobs"), list}};
        if (!page.nextCursor.isEmpty())
            json.insert(QStringLiteral("nextCursor"), QString::fromUtf8(page.nextCursor));
        if (!page.note.isEmpty())
            json.insert(QStringLiteral("note"), page.note);
        printJson(json);
    } else {
        printPage(page);
    }
    return Success;
}

int runJob(const QStringList &arguments)
{
    QCommandLineParser parser;
    addJobArguments(parser,
                    QStringLiteral("Shows one job in full: its data, options, result, errors and "
                                   "stack traces, logs, parent and children (read-only)."),
                    QStringLiteral("job"), QStringLiteral("ID"), QStringLiteral("The job id."));
    Target target;
    int exit = Success;
    const std::optional<queues::QueueRef> queue =
        setUpJobCommand(parser, arguments, &target, &exit);
    if (!queue)
        return exit;
    // \xNN escapes name any byte: an id is printed that way, and can be pasted back.
    const QByteArray id = core::parseIdentifier(parser.positionalArguments().value(2));
    if (id.isEmpty())
        return usageError(QStringLiteral("job needs a job id: queuescope job QUEUE ID"));

    HeadlessServer server(target.profile);
    if (auto failed = openQueue(server, target, *queue))
        return *failed;
    jobs::JobBrowser browser(&server.connection());
    std::optional<jobs::JobSummary> located;
    QString error;
    Completion found;
    QObject::connect(
        &browser, &jobs::JobBrowser::located, &browser,
        [&](const QByteArray &, const jobs::JobSummary &job, bool exists, const QString &why) {
            if (exists)
                located = job;
            error = why;
            found.finish();
        });
    browser.find(*queue, id);
    if (!found.wait(server.deadlineFor()))
        error = server.noAnswer(QStringLiteral("looking up the job")).message;
    if (!located) {
        printError(error.isEmpty()
                       ? QStringLiteral("no job '%1' in %2").arg(identifier(id), queue->id())
                       : error);
        return Degraded;
    }
    jobs::JobDetail detail;
    Completion loaded;
    QObject::connect(&browser, &jobs::JobBrowser::detailLoaded, &browser,
                     [&](const jobs::JobDetail &answer) {
                         detail = answer;
                         loaded.finish();
                     });
    browser.loadDetail(*queue, *located);
    if (!loaded.wait(server.deadlineFor())) {
        detail.summary = *located;
        detail.error = server.noAnswer(QStringLiteral("loading the job")).message;
    }
    if (parser.isSet(QStringLiteral("json"))) {
        // Streamed from the bytes in memory: a 50 MB payload is written once, not rebuilt as a
        // QJsonObject and copied to text (that took 17x the payload's size).
        jobs::writeJobDetailJson(detail, [](QByteArrayView piece) {
            std::fwrite(piece.data(), 1, size_t(piece.size()), stdout);
        });
        std::fputc('\n', stdout);
        std::fflush(stdout);
        return detail.found ? Success : Degraded;
    }
    printText(QStringLiteral("%1 %2 [%3] %4\n")
                  .arg(queue->id(), identifier(detail.summary.id), field(detail.summary.state),
                       field(detail.summary.name)));
    printText(QStringLiteral("created %1, processed %2, finished %3\n")
                  .arg(when(detail.summary.createdMs), when(detail.summary.processedMs),
                       when(detail.summary.finishedMs)));
    if (!detail.error.isEmpty())
        printError(detail.error);
    for (const jobs::DetailSection &section : detail.sections) {
        printText(
            QStringLiteral("\n== %1%2\n")
                .arg(field(section.title), section.note.isEmpty()
                                               ? QString()
                                               : QStringLiteral(" (") + field(section.note) + ')'));
        // A block: stack traces keep their lines; printText escapes every control in it.
        printText(jobs::displayText(section) + QLatin1Char('\n'));
    }
    return detail.found ? Success : Degraded;
}

} // namespace qs::cli
