#include "commandlist.h"

#include "actioncommand.h"
#include "alertscommand.h"
#include "checkcommand.h"
#include "clioutput.h"
#include "exitcode.h"
#include "exportercommand.h"
#include "historycommand.h"
#include "jobscommand.h"
#include "queuescommand.h"
#include "recordcommand.h"
#include "targetoptions.h"
#include "workerscommand.h"

#include "core/closestmatch.h"
#include "queues/actionrequest.h"

namespace qs::cli {

namespace {

CliCommand action(jobs::JobAction action, const QString &summary)
{
    return {jobs::actionName(action), summary,
            [action](const QStringList &arguments) { return runAction(action, arguments); }};
}

QList<CliCommand> makeCommandList()
{
    using jobs::JobAction;
    return {
        {QStringLiteral("check"),
         QStringLiteral("health of a server and its queues; exit 0 healthy, 1 degraded, 3 "
                        "unreachable; --rules FILE: alert rules, exit 1 warning, 2 critical"),
         runCheck},
        {QStringLiteral("queues"),
         QStringLiteral("every BullMQ, Bull, Celery, RQ and Sidekiq queue with its counts"),
         runQueues},
        {QStringLiteral("workers"),
         QStringLiteral("who consumes each queue: workers, their state and jobs, stuck jobs"),
         runWorkers},
        {QStringLiteral("watch"),
         QStringLiteral("one JSON line per poll: metrics, queue counts, poll cost"), runWatch},
        {QStringLiteral("history"),
         QStringLiteral("a server's recorded history of a metric or queue count"), runHistory},
        {QStringLiteral("record"),
         QStringLiteral("record a server's history while no window is open"), runRecord},
        {QStringLiteral("exporter"),
         QStringLiteral("serve servers and queues to Prometheus (/metrics)"), runExporter},
        {QStringLiteral("alerts"),
         QStringLiteral("alerts fired and resolved by a server's rules; acknowledge, snooze"),
         runAlerts},
        {QStringLiteral("jobs"), QStringLiteral("one page of a queue's jobs in a state"), runJobs},
        {QStringLiteral("job"),
         QStringLiteral("one job in full: data, errors, stack traces, logs, parent, children"),
         runJob},
        action(JobAction::Retry,
               QStringLiteral("failed jobs back to waiting (Sidekiq: retry now, Celery: re-run)")),
        action(JobAction::Promote,
               QStringLiteral("delayed jobs to waiting (Sidekiq: add scheduled to the queue)")),
        action(JobAction::Remove, QStringLiteral("delete the given jobs")),
        action(JobAction::Clean,
               QStringLiteral("delete the jobs of a state, optionally only the older ones")),
        action(JobAction::Pause, QStringLiteral("pause a BullMQ or Bull queue")),
        action(JobAction::Resume, QStringLiteral("resume a paused BullMQ or Bull queue")),
        action(JobAction::Drain, QStringLiteral("delete the waiting jobs of a queue")),
        action(
            JobAction::Restore,
            QStringLiteral(
                "recover the jobs of dead workers (Celery: put back unacked; RQ: move to failed)")),
    };
}

} // namespace

const QList<CliCommand> &commandList()
{
    static const QList<CliCommand> commands = makeCommandList();
    return commands;
}

const CliCommand *findCommand(const QString &name)
{
    for (const CliCommand &command : commandList()) {
        if (command.name == name)
            return &command;
    }
    return nullptr;
}

void describeTopLevel(QCommandLineParser &parser)
{
    QString text = QStringLiteral(
        "QueueScope: watch Redis and the job queues inside it (BullMQ, Bull, Celery, RQ, "
        "Sidekiq).\n\n"
        "Without a command it opens the window, which needs a display; the commands run "
        "headless.\n\n"
        "Commands (queuescope help COMMAND, or queuescope COMMAND --help, for their options):\n");
    for (const CliCommand &command : commandList())
        text += QStringLiteral("  %1%2\n").arg(command.name.leftJustified(9), command.summary);
    text += QStringLiteral("\nExit codes: 0 healthy or done, 1 degraded or partly done, 2 usage "
                           "error,\n3 unreachable or authentication failed, 4 refused.");
    parser.setApplicationDescription(text);
    // Not addHelpOption(): its --help-all promises Qt's options, which a headless run has none of.
    parser.addOption({{QStringLiteral("?"), QStringLiteral("h"), QStringLiteral("help")},
                      QStringLiteral("Show this help; after a command, that command's options.")});
    parser.addVersionOption();
    addTargetOptions(parser);
}

int printTopLevelHelp()
{
    QCommandLineParser parser;
    describeTopLevel(parser);
    return printHelp(parser);
}

int unknownCommand(const QString &typed)
{
    QStringList names;
    for (const CliCommand &command : commandList())
        names << command.name;
    names << QStringLiteral("help");
    const QString nearest = core::closestMatch(typed, names);
    if (nearest.isEmpty())
        return usageError(QStringLiteral("unknown command '%1'").arg(typed));
    printError(QStringLiteral("unknown command '%1'; did you mean '%2'?").arg(typed, nearest));
    return UsageError;
}

} // namespace qs::cli
