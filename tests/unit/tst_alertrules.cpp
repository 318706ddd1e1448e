// Rules files as a tired operator writes them: the defaults, overridden by id for every queue or
// for some ("queue": glob), turned on and off, and every mistake named with its file and rule.
#include "alerts/alertrules.h"
#include "alerts/alertseries.h"
#include "layeredrules.h"

#include "monitor/historysamples.h"

#include <QTest>

using namespace qs::alerts;
using qs::test::layeredRules;

class TestAlertRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultsAreOnAsShipped()
    {
        const AlertRules rules = AlertRules::defaults();
        QStringList on;
        for (const QString &id : rules.ids()) {
            if (rules.effective(id, QStringLiteral("bullmq/bull/q")))
                on.append(id);
        }
        QCOMPARE(on, (QStringList{"memory-high", "evictions", "failed-burst", "waiting-growing"}));
        QCOMPARE(rules.ids().size(), 14);
        const AlertRule memory = *rules.effective(QStringLiteral("memory-high"), {});
        QCOMPARE(memory.threshold, 80.0);
        QCOMPARE(memory.resolveThreshold, 75.0);
        QCOMPARE(memory.forMs, 300'000);
        QCOMPARE(*rules.effective(QStringLiteral("failed-burst"), {})->changeMs, 300'000);
        QVERIFY(rules.notifier().command.isEmpty());
    }

    void overridesChangeOnlyWhatTheyName()
    {
        const AlertRules rules = layeredRules(R"({"rules": [
            {"id": "memory-high", "above": 90, "severity": "critical"},
            {"id": "failed-burst", "queue": "bullmq/bull/noisy", "atLeast": 1000},
            {"id": "waiting-growing", "queue": "rq*", "enabled": false},
            {"id": "oldest-waiting", "enabled": true, "above": 600}
        ]})");
        const AlertRule memory = *rules.effective(QStringLiteral("memory-high"), {});
        QCOMPARE(memory.threshold, 90.0);
        QCOMPARE(memory.severity, Severity::Critical);
        QCOMPARE(memory.forMs, 300'000); // kept from the default
        QCOMPARE(rules.effective(QStringLiteral("failed-burst"), "bullmq/bull/noisy")->threshold,
                 1000.0);
        QCOMPARE(rules.effective(QStringLiteral("failed-burst"), "bullmq/bull/calm")->threshold,
                 100.0);
        QVERIFY(!rules.effective(QStringLiteral("waiting-growing"), "rq/rq/default"));
        QVERIFY(rules.effective(QStringLiteral("waiting-growing"), "bullmq/bull/default"));
        QCOMPARE(rules.effective(QStringLiteral("oldest-waiting"), "rq/rq/default")->threshold,
                 600.0);
    }

    void anotherComparisonReplacesTheDefaultOne()
    {
        const AlertRules rules =
            layeredRules(R"({"rules": [{"id": "memory-high", "atLeast": 70, "resolve": 65}]})");
        const AlertRule memory = *rules.effective(QStringLiteral("memory-high"), {});
        QCOMPARE(memory.comparison, Comparison::AtLeast);
        QCOMPARE(memory.threshold, 70.0);
        QCOMPARE(memory.resolveThreshold, 65.0);
    }

    void newRulesAndTheNotifier()
    {
        const AlertRules rules = layeredRules(R"({
            "notify": {"command": "cat > /tmp/alert.json", "timeout": "5s"},
            "rules": [
              {"id": "emails-backlog", "series": "queue.bullmq/bull/emails.waiting",
               "above": 1000, "for": "2m", "severity": "critical"},
              {"id": "vip-only", "queue": "sidekiq/app/vip", "series": "queue.*.waiting",
               "above": 0, "for": 90}
            ]})");
        QCOMPARE(rules.notifier().command, QStringLiteral("cat > /tmp/alert.json"));
        QCOMPARE(rules.notifier().timeoutMs, 5000);
        QCOMPARE(rules.effective(QStringLiteral("emails-backlog"), "bullmq/bull/emails")->forMs,
                 120'000);
        QCOMPARE(rules.effective(QStringLiteral("vip-only"), "sidekiq/app/vip")->forMs, 90'000);
        QVERIFY(!rules.effective(QStringLiteral("vip-only"), "sidekiq/app/other"));
        QVERIFY(!rules.effective(QStringLiteral("vip-only"), {}));
        // A plain string is the command too.
        QCOMPARE(layeredRules(R"({"notify": "ntfy publish q"})").notifier().timeoutMs,
                 NotifierCommand::defaultTimeoutMs);
    }

    void mistakesAreNamed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("syntax") << QByteArray("{\"rules\": [\n  {\"id\": \"x\",}\n]}")
                                << "alerts.json: not valid JSON at line 2, column";
        QTest::newRow("typo") << QByteArray(R"({"rules": [{"id": "memory-high", "abvoe": 9}]})")
                              << "alerts.json, rule 1: unknown key 'abvoe'";
        QTest::newRow("top-level typo")
            << QByteArray(R"({"rule": []})") << "alerts.json: unknown key 'rule'";
        QTest::newRow("no id") << QByteArray(R"({"rules": [{"above": 9}]})")
                               << "alerts.json, rule 1: each rule is an object with an \"id\"";
        QTest::newRow("new rule without series")
            << QByteArray(R"({"rules": [{"id": "mine", "above": 1}]})")
            << "alerts.json, rule 1 (mine): a rule needs a \"series\"";
        QTest::newRow("no threshold") << QByteArray(R"({"rules": [{"id": "m", "series": "x"}]})")
                                      << "alerts.json, rule 1 (m): no threshold";
        QTest::newRow("two thresholds")
            << QByteArray(R"({"rules": [{"id": "m", "series": "x", "above": 1, "below": 2}]})")
            << "alerts.json, rule 1 (m): give one of above";
        QTest::newRow("bad duration")
            << QByteArray(R"({"rules": [{"id": "memory-high", "for": "five minutes"}]})")
            << "alerts.json, rule 1 (memory-high): 'for' must be a duration";
        QTest::newRow("bad severity")
            << QByteArray(R"({"rules": [{"id": "memory-high", "severity": "high"}]})")
            << "alerts.json, rule 1 (memory-high): 'severity' is \"warning\" or \"critical\"";
        QTest::newRow("string threshold")
            << QByteArray(R"({"rules": [{"id": "memory-high", "above": "80"}]})")
            << "alerts.json, rule 1 (memory-high): 'above' must be a number";
        QTest::newRow("bad notifier timeout")
            << QByteArray(R"({"notify": {"command": "x", "timeout": "1h"}})")
            << "alerts.json: the notifier's 'timeout' is a duration from 1s to 10m";
    }
    void mistakesAreNamed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        AlertRules rules = AlertRules::defaults();
        const auto added = rules.addLayer(json, QStringLiteral("alerts.json"));
        QVERIFY(!added);
        QVERIFY2(added.error().startsWith(error), qPrintable(added.error()));
        // Nothing of a bad file is taken.
        QCOMPARE(rules.effective(QStringLiteral("memory-high"), {})->threshold, 80.0);
    }

    void globsMatchAcrossDotsAndSlashes()
    {
        const QRegularExpressionMatch match =
            AlertRules::globPattern(QStringLiteral("queue.*.waiting"))
                .match(QStringLiteral("queue.bullmq/bull/v1.emails.waiting"));
        QVERIFY(match.hasMatch());
        QCOMPARE(match.captured(1), QStringLiteral("bullmq/bull/v1.emails"));
        QCOMPARE(AlertRules::queueOf(QStringLiteral("queue.bullmq/bull/v1.emails.waiting")),
                 QStringLiteral("bullmq/bull/v1.emails"));
        QCOMPARE(AlertRules::queueOf(QStringLiteral("server.memoryPercent")), QString());
        QVERIFY(!AlertRules::globPattern(QStringLiteral("server.(x)"))
                     .match(QStringLiteral("server.x"))
                     .hasMatch());
    }

    void seriesOfAPoll()
    {
        qs::monitor::PollSnapshot snapshot;
        snapshot.timestampMs = 1'780'000'000'000;
        snapshot.info = qs::redis::parseInfo(
            "# Memory\r\nused_memory:850\r\nmaxmemory:1000\r\n# Stats\r\nrejected_connections:"
            "3\r\n# Persistence\r\nrdb_last_bgsave_status:err\r\n");
        snapshot.cost.milliseconds = 2.5;
        qs::queues::QueueCounts counts;
        counts.queue = {qs::queues::Framework::RQ, "rq", "default"};
        counts.counts = {{QStringLiteral("queued"), 12}};
        counts.workers = 0;
        counts.oldestWaitingAgeMs = 90'000;
        snapshot.queues = {counts};
        qs::monitor::HistorySamples samples;
        const SeriesValues values = alertSeries(
            snapshot, samples.take(snapshot), qs::monitor::evaluateHealth(snapshot.info), nullptr);
        QCOMPARE(values.value("server.memoryPercent"), 85.0);
        QCOMPARE(values.value("server.rejectedConnections"), 3.0);
        QCOMPARE(values.value("server.saveFailed"), 1.0);
        QCOMPARE(values.value("server.pollMs"), 2.5);
        QCOMPARE(values.value("queue.rq/rq/default.queued"), 12.0);
        QCOMPARE(values.value("queue.rq/rq/default.oldestWaitingSeconds"), 90.0);
        QCOMPARE(values.value("queue.rq/rq/default.workers"), 0.0);
        QVERIFY(values.contains("server.usedMemory"));
    }
};

QTEST_GUILESS_MAIN(TestAlertRules)
#include "tst_alertrules.moc"
