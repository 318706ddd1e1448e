// The alert engine over synthetic polls (fakes above the transport): each rule fires once after
// its duration, resolves once after its hysteresis, and a flapping rule is reported once, not
// on every swing. Times are synthetic, so an hour of polls runs in milliseconds.
#include "alerts/alertengine.h"
#include "layeredrules.h"

#include <QJsonArray>
#include <QTest>

using namespace qs::alerts;
using qs::test::layeredRules;

namespace {

constexpr qint64 kStart = 1'780'000'000'000; // a fixed wall clock
constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;

struct Run
{
    AlertEngine engine;
    qint64 now = kStart;
    QList<AlertEvent> events; // every event so far

    explicit Run(AlertRules rules = AlertRules::defaults())
        : engine(std::move(rules), QStringLiteral("prod"))
    {
    }
    // Polls every `stepMs` for `durationMs` with the values `at(t)` gives (t from the start of
    // this call); returns the events of these polls.
    template <typename F> QList<AlertEvent> poll(qint64 durationMs, qint64 stepMs, F at)
    {
        QList<AlertEvent> out;
        for (qint64 t = 0; t < durationMs; t += stepMs) {
            out += engine.evaluate(now, at(t));
            now += stepMs;
        }
        events += out;
        return out;
    }
    QList<AlertEvent> poll(qint64 durationMs, const SeriesValues &values)
    {
        return poll(durationMs, kSecond, [&](qint64) { return values; });
    }
};

SeriesValues memory(double percent)
{
    return {{QStringLiteral("server.memoryPercent"), percent}};
}

QStringList states(const QList<AlertEvent> &events)
{
    QStringList out;
    for (const AlertEvent &event : events)
        out.append(event.rule + QLatin1Char(':') + stateName(event.state));
    return out;
}

} // namespace

class TestAlertEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void memoryFiresAfterItsDurationOnce()
    {
        Run run;
        QVERIFY(run.poll(5 * kMinute, memory(85)).isEmpty()); // up to 4:59 after the first
        const QList<AlertEvent> fired = run.poll(kSecond, memory(85));
        QCOMPARE(states(fired), QStringList{QStringLiteral("memory-high:fired")});
        const AlertEvent &event = fired.first();
        QCOMPARE(event.severity, Severity::Warning);
        QCOMPARE(event.server, QStringLiteral("prod"));
        QCOMPARE(event.queue, QString());
        QCOMPARE(event.value, 85.0);
        QCOMPARE(event.threshold, 80.0);
        QCOMPARE(event.sinceMs, kStart);
        QCOMPARE(event.message, QStringLiteral("memory at 85% of maxmemory (alert above 80%)"));
        QVERIFY(run.poll(30 * kMinute, memory(90)).isEmpty()); // still high: no repeat
        QCOMPARE(run.engine.firing().size(), 1);
    }

    void aDipRestartsTheDuration()
    {
        Run run;
        run.poll(4 * kMinute, memory(85));
        run.poll(kSecond, memory(70));
        QVERIFY(run.poll(4 * kMinute, memory(85)).isEmpty());
        QCOMPARE(states(run.poll(2 * kMinute, memory(85))),
                 QStringList{QStringLiteral("memory-high:fired")});
    }

    void resolvesWithHysteresis()
    {
        Run run;
        run.poll(6 * kMinute, memory(85));
        // Below 80 but above the resolve threshold (75): still firing.
        QVERIFY(run.poll(10 * kMinute, memory(78)).isEmpty());
        // Below 75 for less than the clear duration (1 min), then back up: still firing.
        QVERIFY(run.poll(50 * kSecond, memory(60)).isEmpty());
        QVERIFY(run.poll(kMinute, memory(79)).isEmpty());
        const QList<AlertEvent> resolved = run.poll(2 * kMinute, memory(60));
        QCOMPARE(states(resolved), QStringList{QStringLiteral("memory-high:resolved")});
        QCOMPARE(resolved.first().sinceMs, kStart); // since it fired
        QVERIFY(resolved.first().message.startsWith(QLatin1String("resolved: ")));
        QVERIFY(run.engine.firing().isEmpty());
        QVERIFY(run.poll(10 * kMinute, memory(60)).isEmpty());
    }

    void anyEvictionIsCriticalAtOnce()
    {
        Run run;
        const SeriesValues none{{QStringLiteral("server.evictedPerSec"), 0}};
        const SeriesValues some{{QStringLiteral("server.evictedPerSec"), 3.5}};
        QVERIFY(run.poll(kMinute, none).isEmpty());
        const QList<AlertEvent> fired = run.poll(kSecond, some);
        QCOMPARE(states(fired), QStringList{QStringLiteral("evictions:fired")});
        QCOMPARE(fired.first().severity, Severity::Critical);
        // One eviction burst a minute keeps it fired (clear: 5 min), no repeat.
        QVERIFY(run.poll(4 * kMinute, 10 * kSecond,
                         [&](qint64 t) { return t % kMinute == 0 ? some : none; })
                    .isEmpty());
        QCOMPARE(states(run.poll(6 * kMinute, none)),
                 QStringList{QStringLiteral("evictions:resolved")});
    }

    void failedGrowthOverAWindow_data()
    {
        QTest::addColumn<int>("failedPerMinute");
        QTest::addColumn<bool>("fires");
        QTest::newRow("+100 in 5 min") << 20 << true;
        QTest::newRow("+95 in 5 min") << 19 << false;
    }
    void failedGrowthOverAWindow()
    {
        QFETCH(int, failedPerMinute);
        QFETCH(bool, fires);
        Run run;
        const QString series = QStringLiteral("queue.bullmq/bull/emails.failed");
        // Starts at 5,000 failed: the total is no reason, the growth is.
        run.poll(15 * kMinute, kSecond, [&](qint64 t) {
            return SeriesValues{{series, 5000.0 + double(failedPerMinute * t / kMinute)}};
        });
        QCOMPARE(states(run.events),
                 fires ? QStringList{QStringLiteral("failed-burst:fired")} : QStringList{});
        if (fires) {
            QCOMPARE(run.events.first().queue, QStringLiteral("bullmq/bull/emails"));
            QVERIFY(run.events.first().value >= 100);
            // Failures stop: resolved after the window drains and the clear time passes.
            run.poll(11 * kMinute, SeriesValues{{series, 5300.0}});
            QCOMPARE(states(run.events).last(), QStringLiteral("failed-burst:resolved"));
        }
    }

    void waitingGrowingForTenMinutes()
    {
        Run run;
        const QString series = QStringLiteral("queue.rq/rq/default.waiting");
        // A busy but balanced queue: up and down around 500. Never fires.
        run.poll(30 * kMinute, kSecond, [&](qint64 t) {
            return SeriesValues{{series, 500.0 + double((t / kSecond) % 120 < 60 ? 50 : -50)}};
        });
        QVERIFY(run.events.isEmpty());
        // Consumers stop: one job more every 2 s. Fires once, 10 minutes after the first minute
        // of growth was seen.
        const qint64 from = run.now;
        run.poll(20 * kMinute, kSecond, [&](qint64 t) {
            return SeriesValues{{series, 450.0 + double(t / (2 * kSecond))}};
        });
        QCOMPARE(states(run.events), QStringList{QStringLiteral("waiting-growing:fired")});
        QVERIFY(run.events.first().atMs - from >= 10 * kMinute);
        QVERIFY(run.events.first().atMs - from <= 12 * kMinute);
        // Drained: resolves once.
        run.poll(10 * kMinute, SeriesValues{{series, 0}});
        QCOMPARE(states(run.events).last(), QStringLiteral("waiting-growing:resolved"));
        QCOMPARE(run.events.size(), 2);
    }

    void flappingIsReportedOnce()
    {
        // An eviction every 6 minutes: each clears after 5 quiet minutes, then fires again.
        Run run;
        const SeriesValues some{{QStringLiteral("server.evictedPerSec"), 1}};
        const SeriesValues none{{QStringLiteral("server.evictedPerSec"), 0}};
        const auto everySixMinutes = [&](qint64 t) { return t % (6 * kMinute) == 0 ? some : none; };
        run.poll(3 * 60 * kMinute, 10 * kSecond, everySixMinutes);
        // 4 fired (the rule's maxFiredPerHour) and their resolves, then one flapping, then
        // silence for the remaining 2 hours and more of swings.
        QCOMPARE(run.events.count(), 9);
        QCOMPARE(states(run.events).count(QStringLiteral("evictions:fired")), 4);
        QCOMPARE(states(run.events).count(QStringLiteral("evictions:resolved")), 4);
        QCOMPARE(states(run.events).last(), QStringLiteral("evictions:flapping"));
        QVERIFY(run.events.last().message.contains(QLatin1String("flapping")));
        QCOMPARE(run.engine.firing().size(), 1);
        QCOMPARE(run.engine.firing().first().state, AlertState::Flapping);
        // Quiet for an hour: settled, reported once as resolved.
        const QList<AlertEvent> settled =
            run.poll(2 * 60 * kMinute, 10 * kSecond, [&](qint64) { return none; });
        QCOMPARE(states(settled), QStringList{QStringLiteral("evictions:resolved")});
        QVERIFY(run.engine.firing().isEmpty());
        // Then it may fire again like any rule.
        QCOMPARE(states(run.poll(kSecond, some)), QStringList{QStringLiteral("evictions:fired")});
    }

    void aFlappingRuleThatStaysUpSettlesAsFired()
    {
        Run run(layeredRules(R"({"rules": [{"id": "evictions", "maxFiredPerHour": 1,
                                         "clear": 0}]})"));
        const SeriesValues some{{QStringLiteral("server.evictedPerSec"), 1}};
        const SeriesValues none{{QStringLiteral("server.evictedPerSec"), 0}};
        run.poll(kSecond, some);
        run.poll(kSecond, none);
        run.poll(kSecond, some);
        QCOMPARE(states(run.events), (QStringList{QStringLiteral("evictions:fired"),
                                                  QStringLiteral("evictions:resolved"),
                                                  QStringLiteral("evictions:flapping")}));
        const QList<AlertEvent> settled = run.poll(61 * kMinute, some);
        QCOMPARE(states(settled), QStringList{QStringLiteral("evictions:fired")});
    }

    void perQueueAlertsAreSeparate()
    {
        Run run;
        const QString a = QStringLiteral("queue.bullmq/bull/a.failed");
        const QString b = QStringLiteral("queue.sidekiq//b.failed");
        run.poll(6 * kMinute, kSecond, [&](qint64 t) {
            return SeriesValues{{a, double(t / kSecond)}, {b, 7}};
        });
        QCOMPARE(states(run.events), QStringList{QStringLiteral("failed-burst:fired")});
        QCOMPARE(run.events.first().queue, QStringLiteral("bullmq/bull/a"));
        QCOMPARE(run.events.first().series, a);
    }

    void aVanishedQueueResolves()
    {
        Run run;
        const QString series = QStringLiteral("queue.bullmq/bull/gone.failed");
        run.poll(kMinute, kSecond, [&](qint64 t) { return SeriesValues{{series, double(t)}}; });
        QCOMPARE(states(run.events), QStringList{QStringLiteral("failed-burst:fired")});
        run.poll(6 * kMinute, SeriesValues{});
        QCOMPARE(states(run.events).last(), QStringLiteral("failed-burst:resolved"));
    }

    void whileGuardsTheCondition()
    {
        Run run(
            layeredRules(R"({"rules": [{"id": "no-consumer", "enabled": true, "for": "1m"}]})"));
        const QString workers = QStringLiteral("queue.rq/rq/default.workers");
        const QString waiting = QStringLiteral("queue.rq/rq/default.waiting");
        // No worker, but nothing waits: nothing to say.
        QVERIFY(run.poll(5 * kMinute, SeriesValues{{workers, 0}, {waiting, 0}}).isEmpty());
        // Workers and jobs: fine.
        QVERIFY(run.poll(5 * kMinute, SeriesValues{{workers, 2}, {waiting, 40}}).isEmpty());
        const QList<AlertEvent> fired =
            run.poll(2 * kMinute, SeriesValues{{workers, 0}, {waiting, 40}});
        QCOMPARE(states(fired), QStringList{QStringLiteral("no-consumer:fired")});
        QCOMPARE(fired.first().severity, Severity::Critical);
        QCOMPARE(fired.first().queue, QStringLiteral("rq/rq/default"));
    }

    void ignoringDurationsSeesTheMoment()
    {
        Run run;
        run.engine.setIgnoreDurations(true);
        run.poll(kSecond, SeriesValues{{QStringLiteral("server.memoryPercent"), 85},
                                       {QStringLiteral("queue.rq/rq/x.waiting"), 3}});
        QCOMPARE(states(run.engine.firing()), QStringList{QStringLiteral("memory-high:fired")});
        // A change needs two polls.
        run.poll(kSecond, SeriesValues{{QStringLiteral("server.memoryPercent"), 85},
                                       {QStringLiteral("queue.rq/rq/x.waiting"), 9}});
        QCOMPARE(states(run.engine.firing()),
                 (QStringList{QStringLiteral("memory-high:fired"),
                              QStringLiteral("waiting-growing:fired")}));
    }

    void offRulesStayQuietAndRulesCanChange()
    {
        Run run;
        const SeriesValues lagging{{QStringLiteral("server.replicationLag"), 600}};
        QVERIFY(run.poll(10 * kMinute, lagging).isEmpty()); // replication-lag ships off
        run.engine.setRules(
            layeredRules(R"({"rules": [{"id": "replication-lag", "enabled": true}]})"));
        QCOMPARE(states(run.poll(3 * kMinute, lagging)),
                 QStringList{QStringLiteral("replication-lag:fired")});
        // Turned off while firing: resolved on the next poll.
        run.engine.setRules(AlertRules::defaults());
        QCOMPARE(states(run.poll(kSecond, lagging)),
                 QStringList{QStringLiteral("replication-lag:resolved")});
    }

    void eventJsonHasTheDocumentedFields()
    {
        Run run;
        run.poll(6 * kMinute, memory(85.25));
        const QJsonObject json = run.events.first().toJson();
        QCOMPARE(json.keys(),
                 (QStringList{"at", "condition", "message", "queue", "rule", "series", "server",
                              "severity", "since", "state", "threshold", "value"}));
        QCOMPARE(json.value("rule").toString(), QStringLiteral("memory-high"));
        QCOMPARE(json.value("state").toString(), QStringLiteral("fired"));
        QCOMPARE(json.value("severity").toString(), QStringLiteral("warning"));
        QVERIFY(json.value("queue").isNull());
        QCOMPARE(json.value("value").toDouble(), 85.25);
        QCOMPARE(json.value("threshold").toDouble(), 80.0);
        QCOMPARE(json.value("condition").toString(), QStringLiteral("above 80 for 5m"));
        QCOMPARE(json.value("since").toString(), QStringLiteral("2026-05-28T20:26:40.000Z"));
        const std::optional<AlertEvent> back = AlertEvent::fromJson(json);
        QVERIFY(back);
        QCOMPARE(back->toJson(), json);
    }
};

QTEST_GUILESS_MAIN(TestAlertEngine)
#include "tst_alertengine.moc"
