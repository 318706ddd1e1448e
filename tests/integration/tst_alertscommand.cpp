// Alerts end to end with the real binary against a real redis-server: `record` fires a rule once,
// resolves it once and runs the notifier with the documented JSON (a script writing its stdin to
// a file), holds back a flapping rule after one `flapping` event, stores what happened for
// `queuescope alerts` (acknowledge, snooze); `check --rules` exits 0/1/2 as Nagios reads it.
#include "cliprocess.h"
#include "connectionwait.h"
#include "redisserver.h"

#include "core/redisurl.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace qs::test;

namespace {

constexpr auto kSecret = "Sup3r-secret+pw";

QString url(const RedisServer &server)
{
    return qs::core::toRedisUrl(server.profile(), qs::core::Secret::Included);
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

QList<QJsonObject> jsonLines(const QString &path)
{
    QFile file(path);
    QList<QJsonObject> lines;
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (!line.isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    return lines;
}

// How many INFO commands the server has run, through a connection of the test's own: the
// recorder sends exactly one per poll, so "it polled twice more" is a wait on an event.
class PollCounter
{
public:
    explicit PollCounter(const RedisServer &server)
        : m_connection(openConnection(server.profile()))
    {
    }
    bool ok() const { return m_connection != nullptr; }
    qint64 infoCalls()
    {
        const auto outcome = runCommand(*m_connection, {"INFO", "commandstats"});
        ++m_own;
        static const QRegularExpression calls(QStringLiteral("cmdstat_info:calls=(\\d+)"));
        const QRegularExpressionMatch match =
            calls.match(QString::fromUtf8(outcome ? outcome->reply.string : QByteArray()));
        return match.hasMatch() ? match.captured(1).toLongLong() - (m_own - 1) : -1;
    }
    // Waits until the recorder has polled `count` more times.
    bool waitPolls(int count)
    {
        const qint64 from = infoCalls();
        return QTest::qWaitFor([&] { return infoCalls() >= from + count; }, 20'000);
    }

private:
    std::unique_ptr<qs::redis::RedisConnection> m_connection;
    qint64 m_own = 0; // INFO calls of this counter: not the recorder's
};

} // namespace

class TestAlertsCommand : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home; // XDG_DATA_HOME and XDG_CONFIG_HOME: never the user's

    QString configHome() const { return m_home.filePath(QStringLiteral("config")); }
    QString dataHome() const { return m_home.filePath(QStringLiteral("data")); }
    QString globalRules() const
    {
        return configHome() + QStringLiteral("/QueueScope/queuescope/alerts.json");
    }
    QMap<QString, QString> env() const
    {
        return {{QStringLiteral("XDG_DATA_HOME"), dataHome()},
                {QStringLiteral("XDG_CONFIG_HOME"), configHome()}};
    }
    CliRun queuescope(const QStringList &args) const { return runQueuescope(args, env()); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(QFile::exists(qEnvironmentVariable("QS_QUEUESCOPE_BIN"))); }
    void cleanup() { QFile::remove(globalRules()); }

    void recorderFiresOnceResolvesOnceAndHoldsBackFlapping()
    {
        RedisServerOptions options;
        options.password = QLatin1String(kSecret);
        RedisServer server(options);
        QVERIFY(server.start());
        PollCounter polls(server); // a client of its own: 2 with the recorder's
        QVERIFY(polls.ok());
        const QString events = m_home.filePath(QStringLiteral("events.jsonl"));
        QVERIFY(writeFile(globalRules(), QStringLiteral(R"({
            "notify": {"command": "cat >> '%1'", "timeout": "5s"},
            "rules": [{"id": "many-clients", "series": "server.connectedClients", "above": 2,
                       "clear": 0, "maxFiredPerHour": 1, "severity": "critical",
                       "message": "{value} clients"}]})")
                                             .arg(events)
                                             .toUtf8()));
        QProcess recorder;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        const QMap<QString, QString> variables = env();
        for (auto it = variables.cbegin(); it != variables.cend(); ++it)
            environment.insert(it.key(), it.value());
        recorder.setProcessEnvironment(environment);
        recorder.start(qEnvironmentVariable("QS_QUEUESCOPE_BIN"),
                       {QStringLiteral("record"), QStringLiteral("--url"), url(server)});
        const auto stop = [&recorder] {
            recorder.terminate();
            if (!recorder.waitForFinished(10'000))
                recorder.kill();
        };
        auto stopRecorder = qScopeGuard(stop);
        QVERIFY(polls.waitPolls(2));
        QVERIFY(jsonLines(events).isEmpty());

        auto extra = openConnection(server.profile()); // a third client: the rule holds
        QVERIFY(extra);
        QTRY_COMPARE_WITH_TIMEOUT(jsonLines(events).size(), 1, 20'000);
        extra.reset();
        QTRY_COMPARE_WITH_TIMEOUT(jsonLines(events).size(), 2, 20'000);
        extra = openConnection(server.profile()); // fired a second time within the hour
        QTRY_COMPARE_WITH_TIMEOUT(jsonLines(events).size(), 3, 20'000);
        // Swinging on: nobody is told again.
        for (int i = 0; i < 2; ++i) {
            extra.reset();
            QVERIFY(polls.waitPolls(2));
            extra = openConnection(server.profile());
            QVERIFY(polls.waitPolls(2));
        }
        const QList<QJsonObject> lines = jsonLines(events);
        QCOMPARE(lines.size(), 3);
        QStringList states;
        for (const QJsonObject &line : lines)
            states << line.value(QStringLiteral("state")).toString();
        QCOMPARE(states, (QStringList{"fired", "resolved", "flapping"}));

        const QJsonObject fired = lines.first();
        QCOMPARE(fired.keys(),
                 (QStringList{"at", "condition", "message", "queue", "rule", "series", "server",
                              "severity", "since", "state", "threshold", "value"}));
        QCOMPARE(fired.value("rule").toString(), QStringLiteral("many-clients"));
        QCOMPARE(fired.value("severity").toString(), QStringLiteral("critical"));
        QCOMPARE(fired.value("server").toString(),
                 QStringLiteral("redis://:***@127.0.0.1:%1/0").arg(server.port()));
        QVERIFY(fired.value("queue").isNull());
        QCOMPARE(fired.value("series").toString(), QStringLiteral("server.connectedClients"));
        QCOMPARE(fired.value("value").toDouble(), 3.0);
        QCOMPARE(fired.value("threshold").toDouble(), 2.0);
        QCOMPARE(fired.value("message").toString(), QStringLiteral("3 clients"));
        QVERIFY(
            QDateTime::fromString(fired.value("since").toString(), Qt::ISODateWithMs).isValid());
        QCOMPARE(lines.at(1).value("message").toString(), QStringLiteral("resolved: 2 clients"));
        QCOMPARE(lines.at(1).value("since"), fired.value("since"));
        for (const QJsonObject &line : lines)
            QVERIFY(!QJsonDocument(line).toJson().contains(kSecret));
        stop();
        stopRecorder.dismiss();
        QCOMPARE(recorder.exitCode(), 0);

        // What was stored, newest first, with what the notifier did.
        const CliRun stored = queuescope({QStringLiteral("alerts"), QStringLiteral("--url"),
                                          url(server), QStringLiteral("--json")});
        QCOMPARE(stored.exitCode, 0);
        const QJsonArray storedEvents = stored.json().value(QStringLiteral("events")).toArray();
        QCOMPARE(storedEvents.size(), 3);
        QCOMPARE(storedEvents.at(0)["state"].toString(), QStringLiteral("flapping"));
        QCOMPARE(storedEvents.at(2)["state"].toString(), QStringLiteral("fired"));
        for (const QJsonValue &event : storedEvents)
            QCOMPARE(event["notified"].toString(), QStringLiteral("sent"));
        QVERIFY(storedEvents.at(2)["acknowledged"].isNull());
        const QString firedId = QString::number(storedEvents.at(2)["id"].toInteger());
        const QStringList target{QStringLiteral("--url"), url(server)};
        QCOMPARE(
            queuescope(QStringList{QStringLiteral("alerts"), QStringLiteral("--ack"), firedId} +
                       target)
                .exitCode,
            0);
        const CliRun again = queuescope(
            QStringList{QStringLiteral("alerts"), QStringLiteral("--ack"), firedId} + target);
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("no unacknowledged event"), again.err.constData());
        const CliRun snoozed =
            queuescope(QStringList{QStringLiteral("alerts"), QStringLiteral("--snooze"),
                                   QStringLiteral("many-clients"), QStringLiteral("--for"),
                                   QStringLiteral("2h")} +
                       target);
        QCOMPARE(snoozed.exitCode, 0);
        QVERIFY2(snoozed.out.contains("snoozed: many-clients until"), snoozed.out.constData());
        QVERIFY2(snoozed.out.contains("acknowledged") && snoozed.out.contains("notifier: sent"),
                 snoozed.out.constData());
        QVERIFY(!snoozed.out.contains(kSecret) && !snoozed.err.contains(kSecret));
    }

    void checkRulesExitsAsNagiosReadsIt()
    {
        RedisServer server;
        QVERIFY(server.start());
        // A Sidekiq queue with three jobs waiting (unified: "waiting").
        server.cli({QStringLiteral("SADD"), QStringLiteral("queues"), QStringLiteral("mail")});
        for (int i = 0; i < 3; ++i)
            server.cli(
                {QStringLiteral("LPUSH"), QStringLiteral("queue:mail"),
                 QStringLiteral(R"({"class":"Mailer","jid":"j%1","enqueued_at":1.7e9})").arg(i)});
        const QString rules = m_home.filePath(QStringLiteral("check.json"));
        const auto check = [&](const QByteArray &json, const QStringList &extra = {}) {
            if (!writeFile(rules, json))
                qFatal("cannot write %s", qPrintable(rules));
            return queuescope(QStringList{QStringLiteral("check"), QStringLiteral("--url"),
                                          url(server), QStringLiteral("--rules"), rules,
                                          QStringLiteral("--interval"), QStringLiteral("100ms")} +
                              extra);
        };
        const CliRun calm = check("{}");
        QCOMPARE(calm.exitCode, 0);
        QVERIFY2(calm.out.contains("Alerts       none firing"), calm.out.constData());

        const CliRun backlog = check(R"({"rules": [{"id": "mail-backlog",
            "series": "queue.*.waiting", "queue": "sidekiq//mail", "above": 2, "for": "10m"}]})",
                                     {QStringLiteral("--json")});
        QCOMPARE(backlog.exitCode, 1); // a warning; "for" is the caller's to count
        const QJsonArray firing = backlog.json().value(QStringLiteral("alerts")).toArray();
        QCOMPARE(firing.size(), 1);
        QCOMPARE(firing.at(0)["rule"].toString(), QStringLiteral("mail-backlog"));
        QCOMPARE(firing.at(0)["queue"].toString(), QStringLiteral("sidekiq//mail"));
        QCOMPARE(firing.at(0)["value"].toDouble(), 3.0);

        // Memory past 95% of a maxmemory set at run time: the shipped rule, turned on, critical.
        const QByteArray info = server.cli({QStringLiteral("INFO"), QStringLiteral("memory")});
        static const QRegularExpression used(QStringLiteral("used_memory:(\\d+)"));
        const qint64 usedMemory = used.match(QString::fromUtf8(info)).captured(1).toLongLong();
        QVERIFY(usedMemory > 0);
        server.cli({QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory"),
                    QString::number(usedMemory * 102 / 100)});
        const CliRun critical = check(R"({"rules": [{"id": "memory-critical", "enabled": true}]})");
        QCOMPARE(critical.exitCode, 2);
        QVERIFY2(critical.out.contains("CRITICAL memory-critical: memory at") &&
                     critical.out.contains("WARNING memory-high"),
                 critical.out.constData());

        const CliRun broken = check(R"({"rules": [{"id": "memory-high", "abvoe": 90}]})");
        QCOMPARE(broken.exitCode, 2);
        QVERIFY2(broken.err.contains("check.json, rule 1: unknown key 'abvoe'"),
                 broken.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestAlertsCommand)
#include "tst_alertscommand.moc"
