#include "alertscommand.h"

#include "clioutput.h"
#include "commandsetup.h"
#include "exitcode.h"

#include "alerts/alertlog.h"
#include "queues/actionrequest.h"
#include "session/sessionoptions.h"

#include <QDateTime>
#include <QJsonArray>

namespace qs::cli {

namespace {

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonObject storedJson(const alerts::StoredAlert &stored)
{
    QJsonObject json = stored.event.toJson();
    json.insert(QStringLiteral("id"), double(stored.id));
    json.insert(QStringLiteral("acknowledged"),
                stored.acknowledgedMs ? QJsonValue(isoTime(*stored.acknowledgedMs)) : QJsonValue());
    json.insert(QStringLiteral("notified"), stored.notified);
    return json;
}

QString storedLine(const alerts::StoredAlert &stored)
{
    const alerts::AlertEvent &event = stored.event;
    QString line =
        QStringLiteral("%1  %2  %3  %4  %5")
            .arg(QString::number(stored.id).rightJustified(5),
                 QDateTime::fromMSecsSinceEpoch(event.atMs, Qt::UTC)
                     .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                 alerts::stateName(event.state).leftJustified(8),
                 alerts::severityName(event.severity).leftJustified(8), field(event.message));
    QStringList notes;
    if (stored.acknowledgedMs)
        notes << QStringLiteral("acknowledged");
    if (!stored.notified.isEmpty())
        notes << QStringLiteral("notifier: %1").arg(field(stored.notified));
    if (!notes.isEmpty())
        line += QStringLiteral("  (%1)").arg(notes.join(QStringLiteral(", ")));
    return line;
}

} // namespace

int runAlerts(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Lists the alerts a server's rules fired and resolved (stored by the window or "
        "`queuescope record` next to its history), newest first; acknowledges one, or snoozes a "
        "rule so that its events notify nobody for a while. Rules: docs/alerts.md. Sends "
        "nothing to Redis."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON document.")});
    parser.addOption({QStringLiteral("limit"),
                      QStringLiteral("At most this many events (default 50)."), QStringLiteral("N"),
                      QStringLiteral("50")});
    parser.addOption({QStringLiteral("ack"), QStringLiteral("Acknowledge the event of this id."),
                      QStringLiteral("ID")});
    parser.addOption(
        {QStringLiteral("snooze"),
         QStringLiteral("Snooze a rule (for one queue: RULE@QUEUE; '*' for every rule or queue) "
                        "for --for."),
         QStringLiteral("RULE[@QUEUE]")});
    parser.addOption({QStringLiteral("for"),
                      QStringLiteral("How long --snooze lasts, e.g. 30m, 8h (default 1h; 0 "
                                     "ends a snooze)."),
                      QStringLiteral("AGE"), QStringLiteral("1h")});
    parser.addPositionalArgument(QStringLiteral("alerts"), QStringLiteral("The command."));
    Target target;
    if (auto exit = setUpCommand(parser, arguments, 1, &target))
        return *exit;
    bool limitOk = false;
    const int limit = parser.value(QStringLiteral("limit")).toInt(&limitOk);
    if (!limitOk || limit < 1 || limit > 100'000)
        return usageError(QStringLiteral("--limit takes a number from 1 to 100000"));
    const bool writes =
        parser.isSet(QStringLiteral("ack")) || parser.isSet(QStringLiteral("snooze"));
    const std::optional<qint64> snoozeFor = jobs::parseAgeMs(parser.value(QStringLiteral("for")));
    if (!snoozeFor)
        return usageError(QStringLiteral("--for takes an age: 30m, 8h, 2d"));

    const QString path = session::SessionOptions::historyPathFor(target.profile);
    alerts::AlertLog log(path, writes);
    if (!log.onDisk()) {
        printError(
            QStringLiteral("no alerts for %1: %2").arg(target.profile.displayUrl(), log.message()));
        return Degraded;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (parser.isSet(QStringLiteral("ack"))) {
        bool ok = false;
        const qint64 id = parser.value(QStringLiteral("ack")).toLongLong(&ok);
        if (!ok || !log.acknowledge(id, now)) {
            printError(QStringLiteral("no unacknowledged event %1")
                           .arg(parser.value(QStringLiteral("ack"))));
            return Degraded;
        }
    }
    if (parser.isSet(QStringLiteral("snooze"))) {
        const QString spec = parser.value(QStringLiteral("snooze"));
        const qsizetype at = spec.indexOf(QLatin1Char('@'));
        const QString rule = at < 0 ? spec : spec.left(at);
        if (rule.isEmpty())
            return usageError(QStringLiteral("--snooze takes RULE or RULE@QUEUE"));
        log.snooze(rule, at < 0 ? QString() : spec.mid(at + 1), now + *snoozeFor);
    }
    const QList<alerts::StoredAlert> events = log.events(limit);
    const QList<alerts::AlertSnooze> snoozes = log.snoozes(now);
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray eventArray;
        for (const alerts::StoredAlert &stored : events)
            eventArray.append(storedJson(stored));
        QJsonArray snoozeArray;
        for (const alerts::AlertSnooze &snooze : snoozes)
            snoozeArray.append(QJsonObject{
                {QStringLiteral("rule"), snooze.rule},
                {QStringLiteral("queue"), snooze.queue.isEmpty() ? QJsonValue() : snooze.queue},
                {QStringLiteral("until"), isoTime(snooze.untilMs)}});
        printJson(
            {{QStringLiteral("server"),
              target.profile.name.isEmpty() ? target.profile.displayUrl() : target.profile.name},
             {QStringLiteral("events"), eventArray},
             {QStringLiteral("snoozes"), snoozeArray}});
        return Success;
    }
    QStringList lines;
    for (const alerts::StoredAlert &stored : events)
        lines << storedLine(stored);
    for (const alerts::AlertSnooze &snooze : snoozes)
        lines << QStringLiteral("snoozed: %1%2 until %3")
                     .arg(field(snooze.rule),
                          snooze.queue.isEmpty() ? QString() : u'@' + field(snooze.queue),
                          isoTime(snooze.untilMs));
    if (lines.isEmpty())
        lines << QStringLiteral("no alerts recorded for %1").arg(target.profile.displayUrl());
    printText(lines.join(u'\n'));
    return Success;
}

} // namespace qs::cli
