#include "recordcommand.h"

#include "clioutput.h"
#include "commandsetup.h"
#include "exitcode.h"
#include "headlessserver.h"
#include "stopsignal.h"
#include "targetadvice.h"

#include "alerts/alertmonitor.h"
#include "history/historyrecorder.h"
#include "monitor/poller.h"
#include "session/serversession.h"

#include <QEventLoop>
#include <memory>

namespace qs::cli {

namespace {

// One recorded server: its session and what its messages start with ("" for a single server).
struct Recording
{
    std::unique_ptr<HeadlessServer> server;
    QString label;
};

// Connects every target. One server that cannot be reached ends the command (exit 3: the
// operator gets the reason now); among several, it is said and recorded once it answers (its
// connection retries with backoff), so one server down does not stop the others' history.
std::optional<int> connectAll(const QList<Target> &targets, const std::optional<qint64> &flushMs,
                              std::vector<Recording> *recordings)
{
    const bool several = targets.size() > 1;
    for (const Target &target : targets) {
        session::SessionOptions options = session::SessionOptions::record(target.profile);
        if (flushMs)
            options.historyFlushMs = int(*flushMs);
        auto server = std::make_unique<HeadlessServer>(target.profile, options);
        const QString label = several ? QStringLiteral("%1: ").arg(target.profile.name) : QString();
        if (const redis::RedisError error = server->connect(); !error.isNone()) {
            printError(label + withTargetAdvice(error, target));
            if (!several)
                return Unreachable;
            printError(label + QStringLiteral("recorded once it answers (retrying)"));
            server->session().open();
        }
        printError(label +
                   QStringLiteral("recording %1 into %2")
                       .arg(target.profile.displayUrl(), server->session().recorder()->path()));
        recordings->push_back({std::move(server), label});
    }
    return std::nullopt;
}

// What the recorder's journal says of a server's alerts: rules that cannot be used, each event.
void reportAlerts(alerts::AlertMonitor &alerts, const QString &label, QObject &context)
{
    if (!alerts.message().isEmpty())
        printError(label + QStringLiteral("alerts: ") + alerts.message());
    QObject::connect(
        &alerts, &alerts::AlertMonitor::eventsAdded, &context,
        [label](const QList<alerts::StoredAlert> &events) {
            for (const alerts::StoredAlert &stored : events)
                // Resolved and flapping messages begin with their state.
                printError(label + QStringLiteral("alert %1 %2 %3")
                                       .arg(alerts::severityName(stored.event.severity),
                                            stored.event.rule,
                                            stored.event.state == alerts::AlertState::Fired
                                                ? QStringLiteral("fired: ") + stored.event.message
                                                : stored.event.message));
        });
}

// Runs until SIGINT/SIGTERM or `duration`, saying what each recorder reports.
void recordUntilStopped(const std::vector<Recording> &recordings,
                        const std::optional<qint64> &duration)
{
    QEventLoop loop;
    for (const Recording &recording : recordings) {
        history::HistoryRecorder *recorder = recording.server->session().recorder();
        const auto report = [label = recording.label](const QString &message) {
            printError(label + (message.isEmpty() ? QStringLiteral("history: recording again")
                                                  : QStringLiteral("history: ") + message));
        };
        if (!recorder->message().isEmpty()) // said while connecting
            report(recorder->message());
        QObject::connect(recorder, &history::HistoryRecorder::messageChanged, &loop, report);
        reportAlerts(*recording.server->session().alerts(), recording.label, loop);
    }
    runUntilStopped(loop, duration);
}

} // namespace

int runRecord(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Records servers' history while no window is open: polls each at its profile's interval "
        "(as the window does: one round trip per poll) and writes every server metric and queue "
        "count to its history database, which the window and `queuescope history` read. Runs "
        "until SIGINT or SIGTERM (or --duration); reconnects after an outage. Evaluates the alert "
        "rules on every poll and runs their notifier (docs/alerts.md). One recorder per server: "
        "a second one only reads. Several profiles: --profile NAME more than once, or --all "
        "saved profiles."));
    parser.addOption({QStringLiteral("all"), QStringLiteral("Record every saved profile.")});
    parser.addOption({QStringLiteral("duration"), QStringLiteral("Stop after this long, e.g. 1h."),
                      QStringLiteral("AGE")});
    parser.addOption({QStringLiteral("flush-every"),
                      QStringLiteral("Write to disk this often (default 10s): at most this much "
                                     "is lost if the recorder is killed."),
                      QStringLiteral("AGE")});
    parser.addPositionalArgument(QStringLiteral("record"), QStringLiteral("The command."));
    Target target;
    if (auto exit = setUpCommand(parser, arguments, 1, &target))
        return *exit;
    std::optional<qint64> duration, flushEvery;
    if (!readAgeOption(parser, QStringLiteral("duration"), &duration) ||
        !readAgeOption(parser, QStringLiteral("flush-every"), &flushEvery) ||
        flushEvery > 3'600'000)
        return usageError(
            QStringLiteral("--duration and --flush-every take an age: 90s, 15m, 24h (--flush-every "
                           "at most 1h)"));
    const auto targets = watchedTargets(parser, target);
    if (!targets)
        return usageError(targets.error());

    std::vector<Recording> recordings;
    if (const std::optional<int> exit = connectAll(targets.value(), flushEvery, &recordings))
        return *exit;
    recordUntilStopped(recordings, duration);
    bool written = true;
    for (const Recording &recording : recordings)
        recording.server->poller().stop();
    for (const Recording &recording : recordings) {
        history::HistoryRecorder *recorder = recording.server->session().recorder();
        written = recorder->flush() && recorder->message().isEmpty() && written;
    }
    return written ? Success : Degraded;
}

} // namespace qs::cli
