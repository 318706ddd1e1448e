#include "historycommand.h"

#include "clioutput.h"
#include "commandsetup.h"
#include "exitcode.h"
#include "headlessserver.h"
#include "targetadvice.h"

#include "alerts/alertmonitor.h"
#include "history/historyrecorder.h"
#include "history/historystore.h"
#include "monitor/poller.h"
#include "queues/actionrequest.h"
#include "session/serversession.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QJsonArray>
#include <QTimeZone>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <csignal>

namespace qs::cli {

namespace {

constexpr int kDefaultPoints = 2'000;

std::atomic<int> g_stopSignal{0};

void onStopSignal(int signal)
{
    g_stopSignal = signal;
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODate);
}

std::optional<qint64> ageOption(const QCommandLineParser &parser, const QString &name)
{
    if (!parser.isSet(name))
        return std::nullopt;
    const std::optional<qint64> ms = jobs::parseAgeMs(parser.value(name));
    return ms && *ms > 0 ? ms : std::optional<qint64>(-1);
}

void printRange(const history::SeriesRange &range, const QString &series, bool json, bool csv)
{
    if (json) {
        QJsonArray points;
        for (const auto &[at, value] : range.points)
            points.append(QJsonArray{double(at), value});
        printJson({{QStringLiteral("series"), series},
                   {QStringLiteral("stepMs"), double(range.stepMs)},
                   {QStringLiteral("points"), points}});
        return;
    }
    QStringList lines;
    if (csv)
        lines.append(QStringLiteral("time,value"));
    for (const auto &[at, value] : range.points)
        lines.append(QStringLiteral("%1%2%3").arg(isoTime(at), csv ? u"," : u"  ",
                                                  QString::number(value, 'g', 15)));
    if (!lines.isEmpty())
        printText(lines.join(u'\n'));
}

// What the recorder's journal says of its alerts: rules that cannot be used, each event.
void reportAlerts(alerts::AlertMonitor &alerts, QObject &context)
{
    if (!alerts.message().isEmpty())
        printError(QStringLiteral("alerts: ") + alerts.message());
    QObject::connect(
        &alerts, &alerts::AlertMonitor::eventsAdded, &context,
        [](const QList<alerts::StoredAlert> &events) {
            for (const alerts::StoredAlert &stored : events)
                // Resolved and flapping messages begin with their state.
                printError(QStringLiteral("alert %1 %2 %3")
                               .arg(alerts::severityName(stored.event.severity), stored.event.rule,
                                    stored.event.state == alerts::AlertState::Fired
                                        ? QStringLiteral("fired: ") + stored.event.message
                                        : stored.event.message));
        });
}

} // namespace

int runHistory(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Prints a server's recorded history (what the window or `queuescope record` wrote): one "
        "series over a time range, at the finest resolution kept for it (1 s for a day of server "
        "metrics, 10 s for 7 days, 1 min for 90 days). Reads the history database only; sends "
        "nothing to Redis."));
    parser.addOption({QStringLiteral("series"),
                      QStringLiteral("The series (see --list), e.g. server.usedMemory or "
                                     "queue.bullmq/bull/emails.waiting."),
                      QStringLiteral("SERIES")});
    parser.addOption({QStringLiteral("since"),
                      QStringLiteral("How far back, e.g. 15m, 24h, 7d (default 1h)."),
                      QStringLiteral("AGE"), QStringLiteral("1h")});
    parser.addOption({QStringLiteral("step"),
                      QStringLiteral("The coarsest step wanted, e.g. 1m: picks the resolution."),
                      QStringLiteral("AGE")});
    parser.addOption({QStringLiteral("list"), QStringLiteral("List the recorded series.")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON document.")});
    parser.addOption({QStringLiteral("csv"), QStringLiteral("Print CSV: time,value.")});
    parser.addPositionalArgument(QStringLiteral("history"), QStringLiteral("The command."));
    Target target;
    if (auto exit = setUpCommand(parser, arguments, 1, &target))
        return *exit;
    const std::optional<qint64> since = ageOption(parser, QStringLiteral("since"));
    const std::optional<qint64> step = ageOption(parser, QStringLiteral("step"));
    if (since == -1 || step == -1)
        return usageError(QStringLiteral("--since and --step take an age: 90s, 15m, 24h, 7d"));
    const bool list = parser.isSet(QStringLiteral("list"));
    const QString series = parser.value(QStringLiteral("series"));
    if (!list && series.isEmpty())
        return usageError(QStringLiteral("name a series with --series, or --list them"));

    history::HistoryStore store(session::SessionOptions::historyPathFor(target.profile));
    if (const auto &status = store.open(history::HistoryStore::Access::Read); !status.readable) {
        printError(QStringLiteral("no history for %1: %2 (open it in the window or run "
                                  "`queuescope record`)")
                       .arg(target.profile.displayUrl(), status.message));
        return Degraded;
    }
    if (list) {
        printText(store.seriesNames().join(u'\n'));
        return Success;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 from = now - since.value_or(3'600'000);
    const int maxPoints =
        step ? int(std::clamp<qint64>((now - from) / *step, 1, 1'000'000)) : kDefaultPoints;
    printRange(store.read(series, from, now, maxPoints), series,
               parser.isSet(QStringLiteral("json")), parser.isSet(QStringLiteral("csv")));
    return Success;
}

int runRecord(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Records a server's history while no window is open: polls it at the profile's interval "
        "(as the window does: one round trip per poll) and writes every server metric and queue "
        "count to its history database, which the window and `queuescope history` read. Runs "
        "until SIGINT or SIGTERM (or --duration); reconnects after an outage. Evaluates the alert "
        "rules on every poll and runs their notifier (docs/alerts.md). One recorder per "
        "server: a second one only reads."));
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
    const std::optional<qint64> duration = ageOption(parser, QStringLiteral("duration"));
    const std::optional<qint64> flushEvery = ageOption(parser, QStringLiteral("flush-every"));
    if (duration == -1 || flushEvery == -1 || flushEvery > 3'600'000)
        return usageError(
            QStringLiteral("--duration and --flush-every take an age: 90s, 15m, 24h (--flush-every "
                           "at most 1h)"));

    session::SessionOptions options = session::SessionOptions::record(target.profile);
    if (flushEvery)
        options.historyFlushMs = int(*flushEvery);
    HeadlessServer server(target.profile, options);
    if (const redis::RedisError error = server.connect(); !error.isNone()) {
        printError(withTargetAdvice(error, target));
        return Unreachable;
    }
    history::HistoryRecorder *recorder = server.session().recorder();
    printError(
        QStringLiteral("recording %1 into %2").arg(target.profile.displayUrl(), recorder->path()));
    QEventLoop loop;
    const auto report = [](const QString &message) {
        printError(message.isEmpty() ? QStringLiteral("history: recording again")
                                     : QStringLiteral("history: ") + message);
    };
    if (!recorder->message().isEmpty()) // said while connecting
        report(recorder->message());
    QObject::connect(recorder, &history::HistoryRecorder::messageChanged, &loop, report);
    reportAlerts(*server.session().alerts(), loop);
    g_stopSignal = 0;
    const auto previousInt = std::signal(SIGINT, onStopSignal);
    const auto previousTerm = std::signal(SIGTERM, onStopSignal);
    QTimer stopCheck;
    QObject::connect(&stopCheck, &QTimer::timeout, &loop, [&loop] {
        if (g_stopSignal)
            loop.quit();
    });
    stopCheck.start(100);
    if (duration)
        QTimer::singleShot(*duration, &loop, &QEventLoop::quit);
    loop.exec();
    std::signal(SIGINT, previousInt);
    std::signal(SIGTERM, previousTerm);
    server.poller().stop();
    const bool written = recorder->flush();
    return written && recorder->message().isEmpty() ? Success : Degraded;
}

} // namespace qs::cli
