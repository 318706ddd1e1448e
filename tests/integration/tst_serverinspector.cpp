// The Server page's model against a real redis-server: poll, complete, re-arm while active,
// nothing new while inactive, one queued refresh for many requests, the writes and their
// refusals, and answers for a connection that is gone.
#include "connectionwait.h"
#include "redisserver.h"

#include "monitor/clientlistmodel.h"
#include "monitor/serverinspector.h"
#include "monitor/slowlogmodel.h"
#include "redis/redisconnection.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace qs;
using monitor::Inspection;
using monitor::ServerInspector;

namespace {

constexpr int kIntervalMs = 300;

std::unique_ptr<redis::RedisConnection> connectTo(const core::ConnectionProfile &profile,
                                                  const QString &clientName = {})
{
    redis::TransportOptions options = test::noReconnect();
    if (!clientName.isEmpty())
        options.clientName = clientName;
    return test::openConnection(profile, options);
}

// Starts `server` and connects to it as its default user: the connection, or nullptr.
std::unique_ptr<redis::RedisConnection> startAndConnect(test::RedisServer &server)
{
    if (!server.start())
        return nullptr;
    return connectTo(server.profile());
}

int rowNamed(const monitor::ClientListModel &clients, const QString &name)
{
    for (int row = 0; row < clients.rowCount(); ++row) {
        if (clients.client(row).name == name)
            return row;
    }
    return -1;
}

bool hasKill(const monitor::SlowLogModel &slowLog)
{
    for (int row = 0; row < slowLog.rowCount(); ++row) {
        const QList<QByteArray> &arguments = slowLog.entry(row).arguments;
        if (arguments.size() > 1 && arguments.at(0).toUpper() == "CLIENT" &&
            arguments.at(1).toUpper() == "KILL")
            return true;
    }
    return false;
}

// An inspector on one connection, and spies on what it reports.
struct Spied
{
    explicit Spied(redis::RedisConnection *connection) { inspector.setConnection(connection); }
    ServerInspector inspector;
    QSignalSpy refreshed{&inspector, &ServerInspector::refreshed};
    QSignalSpy finished{&inspector, &ServerInspector::actionFinished};
};

// Refreshes once and finds the client named `name`: its row, or -1 (also when no answer came).
int refreshAndFind(Spied &spied, const QString &name)
{
    spied.inspector.refresh();
    if (!spied.refreshed.wait(5'000))
        return -1;
    return rowNamed(*spied.inspector.clients(), name);
}

Inspection inspectionAt(const QSignalSpy &spy, qsizetype i)
{
    return spy.at(i).first().value<Inspection>();
}

} // namespace

class TestServerInspector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void reArmsWhileActiveAndAsksNothingWhileInactive()
    {
        test::RedisServer server;
        auto connection = startAndConnect(server);
        QVERIFY(connection);
        Spied spied(connection.get());
        auto &[inspector, refreshed, finished] = spied;
        inspector.setIntervalMs(kIntervalMs);
        QVERIFY(!refreshed.wait(kIntervalMs * 2)); // inactive from the start: nothing asked

        QElapsedTimer clock;
        clock.start();
        inspector.setActive(true); // at once
        QVERIFY(refreshed.wait(5'000));
        QVERIFY(inspectionAt(refreshed, 0).ok);
        QVERIFY(inspector.clients()->rowCount() > 0);
        QVERIFY(!inspector.info().sections.isEmpty());
        const qint64 first = clock.elapsed();
        // Re-armed after completion: the next one an interval later, then again.
        QVERIFY(refreshed.wait(5'000));
        QVERIFY2(clock.elapsed() - first >= kIntervalMs - 20,
                 qPrintable(QString::number(clock.elapsed() - first)));
        QVERIFY(refreshed.wait(5'000));

        inspector.setActive(false);
        refreshed.clear();
        QVERIFY(!refreshed.wait(kIntervalMs * 4));
        QCOMPARE(refreshed.size(), 0);
        inspector.setActive(true);
        QVERIFY(refreshed.wait(5'000));
    }

    void refreshesAskedWhileOneIsInFlightRunOnce()
    {
        test::RedisServer server;
        auto connection = startAndConnect(server);
        QVERIFY(connection);
        Spied spied(connection.get());
        auto &[inspector, refreshed, finished] = spied;
        inspector.refresh();
        inspector.refresh();
        inspector.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 2, 5'000);
        // Replies come in order: once PING is answered, nothing else is on its way.
        QVERIFY(test::runCommand(*connection, {"PING"}));
        QCOMPARE(refreshed.size(), 2);
    }

    void aRefusedCommandBlanksItsOwnPartOnly()
    {
        test::RedisServerOptions options;
        options.aclUsers = {QStringLiteral("limited on >limited-pw ~* &* +@all -slowlog")};
        options.extraArgs = {QStringLiteral("--slowlog-log-slower-than"), QStringLiteral("0")};
        test::RedisServer server(options);
        QVERIFY(server.start());
        auto profile = server.profile();
        profile.username = QStringLiteral("limited");
        profile.password = QStringLiteral("limited-pw");
        auto connection = connectTo(profile);
        QVERIFY(connection);
        Spied spied(connection.get());
        auto &[inspector, refreshed, finished] = spied;
        inspector.refresh();
        QVERIFY(refreshed.wait(5'000));
        const Inspection inspection = inspectionAt(refreshed, 0);
        QVERIFY(inspection.ok);
        QVERIFY2(inspection.slowLogError.contains(QLatin1String("NOPERM")) &&
                     inspection.slowLogError.contains(QLatin1String("limited")),
                 qPrintable(inspection.slowLogError));
        QCOMPARE(inspector.slowLog()->rowCount(), 0);
        QVERIFY(inspection.clientsError.isEmpty());
        QVERIFY(inspector.clients()->rowCount() > 0);
        QVERIFY(inspection.infoError.isEmpty());
        QVERIFY(!inspector.info().sections.isEmpty());
    }

    void killsAClientAndResetsTheSlowLog()
    {
        test::RedisServerOptions options;
        options.extraArgs = {QStringLiteral("--slowlog-log-slower-than"), QStringLiteral("0")};
        test::RedisServer server(options);
        auto connection = startAndConnect(server);
        auto victim = connectTo(server.profile(), QStringLiteral("victim-worker"));
        QVERIFY(connection && victim);
        Spied spied(connection.get());
        auto &[inspector, refreshed, finished] = spied;
        const int row = refreshAndFind(spied, QStringLiteral("victim-worker"));
        QVERIFY(row >= 0);
        const qint64 id = inspector.clients()->client(row).id;

        inspector.killClient(id);
        QVERIFY(finished.wait(5'000));
        QCOMPARE(finished.first().at(0).value<ServerInspector::Part>(),
                 ServerInspector::Part::Clients);
        QCOMPARE(finished.first().at(1).toString(), QString());
        // The write is followed by a refresh that no longer lists the victim.
        QTRY_VERIFY_WITH_TIMEOUT(
            rowNamed(*inspector.clients(), QStringLiteral("victim-worker")) < 0, 5'000);
        inspector.killClient(id);
        QVERIFY(finished.wait(5'000));
        QVERIFY2(finished.last().at(1).toString().contains(QLatin1String("already disconnected")),
                 qPrintable(finished.last().at(1).toString()));

        // Every command is slow here: the kill is in the log until it is reset.
        QTRY_VERIFY_WITH_TIMEOUT(hasKill(*inspector.slowLog()), 5'000);
        inspector.resetSlowLog();
        QVERIFY(finished.wait(5'000));
        // Replies come in order: the refresh the reset started is the next one to land.
        const qsizetype before = refreshed.size();
        QCOMPARE(finished.last().at(0).value<ServerInspector::Part>(),
                 ServerInspector::Part::SlowLog);
        QCOMPARE(finished.last().at(1).toString(), QString());
        QTRY_VERIFY_WITH_TIMEOUT(refreshed.size() > before, 5'000);
        QVERIFY(!hasKill(*inspector.slowLog()));
    }

    void readOnlyProfileSendsNoWrite()
    {
        test::RedisServer server;
        QVERIFY(server.start());
        auto profile = server.profile();
        profile.readOnly = true;
        auto connection = connectTo(profile);
        auto victim = connectTo(server.profile(), QStringLiteral("victim-worker"));
        QVERIFY(connection && victim);
        Spied spied(connection.get());
        auto &[inspector, refreshed, finished] = spied;
        QVERIFY(inspector.isReadOnly());
        const int row = refreshAndFind(spied, QStringLiteral("victim-worker"));
        QVERIFY(row >= 0);
        inspector.killClient(inspector.clients()->client(row).id);
        inspector.resetSlowLog();
        QVERIFY(test::runCommand(*connection, {"PING"})); // anything sent has been answered
        QCOMPARE(finished.size(), 0);
        QCOMPARE(victim->status().state, redis::ConnectionState::Connected);
    }

    void answersForAConnectionThatIsGoneAreDropped()
    {
        test::RedisServer server;
        auto connection = startAndConnect(server);
        QVERIFY(connection);
        Spied spied(connection.get());
        auto &[inspector, refreshed, finished] = spied;
        QSignalSpy cleared(&inspector, &ServerInspector::cleared);
        inspector.refresh();
        QVERIFY(refreshed.wait(5'000));
        QVERIFY(inspector.clients()->rowCount() > 0);
        const quint64 generation = inspector.generation();

        inspector.refresh();
        inspector.setConnection(nullptr);
        QVERIFY(inspector.generation() != generation);
        QCOMPARE(cleared.size(), 1);
        QCOMPARE(inspector.clients()->rowCount(), 0);
        QVERIFY(test::runCommand(*connection, {"PING"}));
        QCOMPARE(refreshed.size(), 1);
        QCOMPARE(inspector.clients()->rowCount(), 0);

        // Destroyed under the inspector (it is not the owner): forgotten, no crash.
        inspector.setConnection(connection.get());
        inspector.setActive(true);
        connection.reset();
        QVERIFY(inspector.connection() == nullptr);
        inspector.refresh();
        QVERIFY(!refreshed.wait(kIntervalMs));
        QCOMPARE(inspector.clients()->rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServerInspector)
#include "tst_serverinspector.moc"
