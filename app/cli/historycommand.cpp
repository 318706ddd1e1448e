#include "historycommand.h"

#include "clioutput.h"
#include "commandsetup.h"
#include "exitcode.h"
#include "historyoutput.h"

#include "history/historystore.h"
#include "session/serversession.h"

#include <QCoreApplication>
#include <QDateTime>

#include <algorithm>

namespace qs::cli {

namespace {

constexpr int kDefaultPoints = 2'000;

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
    std::optional<qint64> since, step;
    if (!readAgeOption(parser, QStringLiteral("since"), &since) ||
        !readAgeOption(parser, QStringLiteral("step"), &step))
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
        const QStringList names = store.seriesNames();
        if (!names.isEmpty())
            printText(names.join(u'\n') + u'\n');
        return Success;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 from = now - since.value_or(3'600'000);
    const int maxPoints =
        step ? int(std::clamp<qint64>((now - from) / *step, 1, 1'000'000)) : kDefaultPoints;
    const RangeFormat format = parser.isSet(QStringLiteral("json"))  ? RangeFormat::Json
                               : parser.isSet(QStringLiteral("csv")) ? RangeFormat::Csv
                                                                     : RangeFormat::Text;
    printBytes(formatRange(store.read(series, from, now, maxPoints), series, format));
    return Success;
}

} // namespace qs::cli
