// Alerts fire on transitions only: a server lost, back, degraded, unhealthy, healthy again —
// never once per poll, and the overall level is the worst server's.
#include "monitor/serveralerts.h"

#include <QTest>

using qs::monitor::HealthReport;
using qs::monitor::ServerAlerts;
using qs::monitor::ServerNotification;
using qs::monitor::ServerState;
using Level = ServerNotification::Level;

namespace {

ServerState state(const char *name, bool reachable,
                  std::optional<HealthReport::Status> health = HealthReport::Status::Healthy)
{
    return {QLatin1String(name), reachable, health,
            reachable ? QString() : QStringLiteral("connection refused")};
}

} // namespace

class TestServerAlerts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void transitionsOnly()
    {
        ServerAlerts alerts;
        QVERIFY(alerts.update(state("prod", true)).isEmpty()); // healthy at first sight: quiet
        QVERIFY(alerts.update(state("prod", true)).isEmpty());
        const auto lost = alerts.update(state("prod", false));
        QCOMPARE(lost.size(), 1);
        QCOMPARE(lost.first().level, Level::Critical);
        QVERIFY(lost.first().title.contains(QLatin1String("lost")));
        QCOMPARE(lost.first().message, QStringLiteral("connection refused"));
        QVERIFY(alerts.update(state("prod", false)).isEmpty()); // still lost: no repeat
        QCOMPARE(alerts.overall(), Level::Critical);
        const auto back = alerts.update(state("prod", true));
        QCOMPARE(back.size(), 1);
        QVERIFY(back.first().title.contains(QLatin1String("connected again")));
        QCOMPARE(alerts.overall(), Level::Info);
    }

    void healthChanges()
    {
        ServerAlerts alerts;
        alerts.update(state("cache", true));
        auto degraded = alerts.update(state("cache", true, HealthReport::Status::Degraded));
        QCOMPARE(degraded.size(), 1);
        QCOMPARE(degraded.first().level, Level::Warning);
        QVERIFY(degraded.first().title.endsWith(QLatin1String("degraded")));
        QVERIFY(alerts.update(state("cache", true, HealthReport::Status::Degraded)).isEmpty());
        QCOMPARE(alerts.update(state("cache", true, HealthReport::Status::Unhealthy)).first().level,
                 Level::Critical);
        // Lost while unhealthy, back healthy: "connected again" and "healthy again".
        alerts.update(state("cache", false));
        const auto recovered = alerts.update(state("cache", true));
        QCOMPARE(recovered.size(), 2);
        QVERIFY(recovered.at(1).title.contains(QLatin1String("healthy again")));
    }

    void unreachableFromTheStartIsReportedOnce()
    {
        ServerAlerts alerts;
        QCOMPARE(alerts.update(state("down", false)).size(), 1);
        QVERIFY(alerts.update(state("down", false)).isEmpty());
        alerts.update(state("up", true, HealthReport::Status::Degraded));
        QCOMPARE(alerts.overall(), Level::Critical); // the worst of both
        alerts.forget(QStringLiteral("down"));
        QCOMPARE(alerts.overall(), Level::Warning);
    }
};

QTEST_GUILESS_MAIN(TestServerAlerts)
#include "tst_serveralerts.moc"
