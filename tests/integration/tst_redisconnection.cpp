#include "connectionwait.h"
#include "redisserver.h"
#include "startorfail.h"

#include "redis/redisconnection.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace qs::redis;
using qs::core::ConnectionProfile;
using qs::test::connectAndSettle;
using qs::test::noReconnect;
using qs::test::RedisServer;
using qs::test::RedisServerOptions;
using qs::test::runCommand;
using qs::test::runPipeline;
using qs::test::waitForState;
using Kind = RedisError::Kind;

namespace {

constexpr auto kSecret = "s3cr3t-Pa55!";

} // namespace

class TestRedisConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pipelineKeepsOrderAcrossManyCommands()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        RedisConnection connection(server.profile());
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        QList<RedisCommand> commands;
        for (int i = 0; i < 1400; ++i)
            commands.append(RedisCommand{"ECHO", QByteArray::number(i)});
        commands.append(RedisCommand{"INFO", "server"});
        const auto result = runPipeline(connection, commands);
        QVERIFY(result && result->ok());
        QCOMPARE(result->replies.size(), 1401);
        QCOMPARE(result->roundTrips, 1); // a standalone server: one pipeline, straight through
        for (int i = 0; i < 1400; ++i)
            QCOMPARE(result->replies.at(i).string, QByteArray::number(i));
        QVERIFY(result->replies.last().string.contains("redis_version:"));
        QVERIFY(result->bytesSent > 1400 * 10);
        QVERIFY(result->bytesReceived > 1400 * 5);
    }

    // The poll's counts go out encoded beforehand (QueueMonitor keeps them so): the same replies,
    // in order, as the commands they were encoded from.
    void encodedCommandsGoOutAsTheyAre()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        server.cli({QStringLiteral("RPUSH"), QStringLiteral("jobs"), QStringLiteral("a"),
                    QStringLiteral("b")});
        RedisConnection connection(server.profile());
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        qs::redis::EncodedCommands encoded(QList<RedisCommand>{{"INFO", "server"}});
        for (int i = 0; i < 1400; ++i)
            encoded.append(qs::redis::EncodedCommands({{"ECHO", QByteArray::number(i)}}));
        encoded.append(RedisCommand{"LLEN", "jobs"});
        const auto result = runPipeline(connection, encoded);
        QVERIFY(result && result->ok());
        QCOMPARE(result->replies.size(), 1402);
        QVERIFY(result->replies.first().string.contains("redis_version:"));
        for (int i = 0; i < 1400; ++i)
            QCOMPARE(result->replies.at(i + 1).string, QByteArray::number(i));
        QCOMPARE(result->replies.last().integer, 2);
        QCOMPARE(result->bytesSent, encoded.bytes().size());
    }

    void binaryAndUnicodeValuesRoundTrip()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        RedisConnection connection(server.profile());
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        const QByteArray key("queue:\xf0\x9f\x9a\x80:\x00\r\n", 12);
        const QByteArray value = QByteArray(1 << 20, '\0') + "\xff\xfe";
        const auto result = runPipeline(connection, {{"SET", key, value}, {"GET", key}});
        QVERIFY(result && result->ok());
        QCOMPARE(result->replies.at(1).string, value);
    }

    void authWithPassword()
    {
        RedisServerOptions options;
        options.password = QString::fromLatin1(kSecret);
        RedisServer server(options);
        QS_START_OR_FAIL(server);
        RedisConnection good(server.profile());
        QCOMPARE(connectAndSettle(good).state, ConnectionState::Connected);

        ConnectionProfile wrong = server.profile();
        wrong.password = QStringLiteral("not-the-password");
        RedisConnection bad(wrong);
        const ConnectionStatus status = connectAndSettle(bad);
        QCOMPARE(status.state, ConnectionState::Failed);
        QCOMPARE(status.error.kind, Kind::AuthFailed);
        QVERIFY2(!status.error.message.contains(QLatin1String("not-the-password")),
                 qPrintable(status.error.message));

        ConnectionProfile none = server.profile();
        none.password.clear();
        RedisConnection anonymous(none);
        const ConnectionStatus noAuth = connectAndSettle(anonymous);
        QCOMPARE(noAuth.state, ConnectionState::Failed);
        QCOMPARE(noAuth.error.kind, Kind::AuthRequired);
    }

    void passwordForAServerWithoutOneStillConnects()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        ConnectionProfile profile = server.profile();
        profile.password = QStringLiteral("unneeded");
        RedisConnection connection(profile);
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
    }

    void aclUserWithLimitedPermissions()
    {
        RedisServerOptions options;
        options.aclUsers << QStringLiteral("monitor on >%1 ~* &* +@read +ping +info "
                                           "-client -config")
                                .arg(QString::fromLatin1(kSecret));
        RedisServer server(options);
        QS_START_OR_FAIL(server);
        ConnectionProfile profile = server.profile();
        profile.username = QStringLiteral("monitor");
        profile.password = QString::fromLatin1(kSecret);
        RedisConnection connection(profile);
        // CLIENT SETNAME is refused to this user: skipped quietly, the connection works.
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        const auto llen = runCommand(connection, {"LLEN", "jobs"});
        QVERIFY(llen && llen->error.isNone());
        const auto config = runCommand(connection, {"CONFIG", "GET", "maxmemory"});
        QVERIFY(config);
        QCOMPARE(config->error.kind, Kind::NoPermission);
        QVERIFY2(config->error.message.contains(QLatin1String("'monitor'")) &&
                     config->error.message.contains(QLatin1String("CONFIG GET")),
                 qPrintable(config->error.message));

        profile.password = QStringLiteral("wrong");
        RedisConnection wrong(profile);
        const ConnectionStatus status = connectAndSettle(wrong);
        QCOMPARE(status.error.kind, Kind::AuthFailed);
        QVERIFY(status.error.message.contains(QLatin1String("'monitor'")));
    }

    void selectDatabase()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        server.cli({QStringLiteral("-n"), QStringLiteral("3"), QStringLiteral("SET"),
                    QStringLiteral("where"), QStringLiteral("db3")});
        ConnectionProfile profile = server.profile();
        profile.db = 3;
        RedisConnection connection(profile);
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        const auto get = runCommand(connection, {"GET", "where"});
        QVERIFY(get);
        QCOMPARE(get->reply.string, QByteArray("db3"));

        profile.db = 99;
        RedisConnection missing(profile);
        const ConnectionStatus status = connectAndSettle(missing);
        QCOMPARE(status.state, ConnectionState::Failed);
        QCOMPARE(status.error.kind, Kind::BadDatabase);
        QVERIFY(status.error.message.contains(QLatin1String("database 99")));
    }

    void missingPasswordWithADatabaseIsAuthRequired()
    {
        // SELECT answers NOAUTH before it looks at the database: the message is the password.
        RedisServerOptions options;
        options.password = QString::fromLatin1(kSecret);
        RedisServer server(options);
        QS_START_OR_FAIL(server);
        ConnectionProfile profile = server.profile();
        profile.password.clear();
        profile.db = 3;
        RedisConnection connection(profile);
        const ConnectionStatus status = connectAndSettle(connection);
        QCOMPARE(status.state, ConnectionState::Failed);
        QCOMPARE(status.error.kind, Kind::AuthRequired);
        QVERIFY2(status.error.message.contains(QLatin1String("requires a password")),
                 qPrintable(status.error.message));
        QVERIFY2(!status.error.message.contains(QLatin1String("database")),
                 qPrintable(status.error.message));
    }

    void unixSocket()
    {
        RedisServerOptions options;
        options.unixSocket = true;
        RedisServer server(options);
        QS_START_OR_FAIL(server);
        ConnectionProfile profile = server.profile();
        profile.unixSocket = server.unixSocketPath();
        RedisConnection connection(profile);
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        const auto ping = runCommand(connection, {"PING"});
        QVERIFY(ping && ping->reply.string == "PONG");
    }

    void unknownHostAndRefusedAreSpecific()
    {
        ConnectionProfile profile;
        profile.host = QStringLiteral("no-such-host.invalid");
        RedisConnection unknown(profile, noReconnect());
        const ConnectionStatus status = connectAndSettle(unknown);
        QCOMPARE(status.error.kind, Kind::UnknownHost);
        QVERIFY(status.error.message.contains(QLatin1String("no-such-host.invalid")));

        ConnectionProfile closed;
        closed.port = qs::test::freeLoopbackPort();
        RedisConnection refused(closed, noReconnect());
        const ConnectionStatus refusedStatus = connectAndSettle(refused);
        QCOMPARE(refusedStatus.error.kind, Kind::ConnectionRefused);
        QVERIFY(refusedStatus.error.message.contains(QString::number(closed.port)));
    }

    void backoffGrowsAndIsCapped()
    {
        ConnectionProfile closed;
        closed.port = qs::test::freeLoopbackPort();
        TransportOptions options;
        options.firstBackoffMs = 20;
        options.maxBackoffMs = 100;
        RedisConnection connection(closed, options);
        QList<int> delays;
        connect(&connection, &RedisConnection::statusChanged, this, [&](const ConnectionStatus &s) {
            if (s.state == ConnectionState::Reconnecting)
                delays << s.reconnectInMs;
        });
        connection.open();
        QVERIFY(QTest::qWaitFor([&] { return delays.size() >= 5; }, 10'000));
        QCOMPARE(delays.mid(0, 5), (QList<int>{20, 40, 80, 100, 100}));
        QVERIFY(connection.status().describe().startsWith(QLatin1String("reconnecting in")));
    }

    void serverKilledMidPipelineThenRestarted()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        RedisConnection connection(server.profile());
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);

        auto inflight = std::make_shared<std::optional<PipelineResult>>();
        connection.pipeline({{"DEBUG", "SLEEP", "3"}, {"PING"}}, this,
                            [inflight](const PipelineResult &r) { *inflight = r; });
        QTest::qWait(200); // let the request reach the server before it dies
        server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(inflight->has_value(), 10'000);
        QCOMPARE((*inflight)->error.kind, Kind::ConnectionLost);
        QVERIFY((*inflight)->error.message.contains(QLatin1String("may or may not have run")));
        QVERIFY((*inflight)->replies.isEmpty()); // a failed pipeline answers nothing
        QVERIFY(waitForState(connection, ConnectionState::Reconnecting));

        QString error;
        QVERIFY2(server.restart(&error), qPrintable(error));
        QVERIFY(waitForState(connection, ConnectionState::Connected, 20'000));
        const auto ping = runCommand(connection, {"PING"});
        QVERIFY(ping && ping->reply.string == "PONG");
    }

    void requestsWhileReconnectingWaitForTheServer()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        ConnectionProfile profile = server.profile();
        profile.commandTimeoutMs = 15'000;
        RedisConnection connection(profile);
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        server.kill();
        QVERIFY(waitForState(connection, ConnectionState::Reconnecting));
        auto later = std::make_shared<std::optional<PipelineResult>>();
        connection.pipeline({{"PING"}}, this, [later](const PipelineResult &r) { *later = r; });
        QString error;
        QVERIFY2(server.restart(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(later->has_value(), 20'000);
        QVERIFY2((*later)->ok(), qPrintable((*later)->error.message));
        QCOMPARE((*later)->replies.first().string, QByteArray("PONG"));
    }

    void commandTimeoutResetsTheConnection()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        ConnectionProfile profile = server.profile();
        profile.commandTimeoutMs = 500;
        RedisConnection connection(profile);
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        const auto slow = runCommand(connection, {"DEBUG", "SLEEP", "2"});
        QVERIFY(slow);
        QCOMPARE(slow->error.kind, Kind::CommandTimeout);
        QVERIFY(slow->error.message.contains(QLatin1String("0.5 s")));
        // After the server wakes up the connection recovers by itself.
        QVERIFY(waitForState(connection, ConnectionState::Connected, 20'000));
        const auto ping = runCommand(connection, {"PING"});
        QVERIFY(ping && ping->error.isNone());
    }

    void notARedisServer()
    {
        QTcpServer http;
        QVERIFY(http.listen(QHostAddress::LocalHost));
        connect(&http, &QTcpServer::newConnection, this, [&] {
            QTcpSocket *client = http.nextPendingConnection();
            connect(client, &QTcpSocket::readyRead, client, [client] {
                client->readAll();
                client->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            });
        });
        ConnectionProfile profile;
        profile.port = http.serverPort();
        profile.connectTimeoutMs = 3'000;
        RedisConnection connection(profile);
        const ConnectionStatus status = connectAndSettle(connection);
        QCOMPARE(status.state, ConnectionState::Failed);
        QCOMPARE(status.error.kind, Kind::NotRedis);
        QVERIFY2(status.error.message.contains(QLatin1String("HTTP/1.1 400")),
                 qPrintable(status.error.message));
    }

    void silentServerTimesOutWithAHint()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        ConnectionProfile profile;
        profile.port = silent.serverPort();
        profile.connectTimeoutMs = 700;
        RedisConnection connection(profile, noReconnect());
        const ConnectionStatus status = connectAndSettle(connection);
        QCOMPARE(status.error.kind, Kind::ConnectTimeout);
        QVERIFY2(status.error.message.contains(QLatin1String("is this a Redis server")),
                 qPrintable(status.error.message));
    }

    void renamedCommandIsReportedAsSuch()
    {
        RedisServerOptions options;
        options.extraArgs << QStringLiteral("--rename-command") << QStringLiteral("CONFIG")
                          << QString();
        RedisServer server(options);
        QS_START_OR_FAIL(server);
        RedisConnection connection(server.profile());
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        const auto config = runCommand(connection, {"CONFIG", "GET", "maxmemory"});
        QVERIFY(config);
        QCOMPARE(config->error.kind, Kind::UnknownCommand);
        QVERIFY(config->error.message.contains(QLatin1String("renamed or disabled")));
    }

    void busyScriptIsReportedAsBusy()
    {
        RedisServerOptions options;
        options.extraArgs << QStringLiteral("--busy-reply-threshold") << QStringLiteral("100");
        RedisServer server(options);
        QS_START_OR_FAIL(server);
        RedisConnection runner(server.profile());
        RedisConnection observer(server.profile());
        QCOMPARE(connectAndSettle(runner).state, ConnectionState::Connected);
        QCOMPARE(connectAndSettle(observer).state, ConnectionState::Connected);
        runner.pipeline({{"EVAL", "local t = redis.call('TIME') while true do end", "0"}}, this,
                        [](const PipelineResult &) {});
        QTest::qWait(300);
        const auto ping = runCommand(observer, {"PING"});
        QVERIFY(ping);
        QCOMPARE(ping->error.kind, Kind::Busy);
        server.cli({QStringLiteral("SCRIPT"), QStringLiteral("KILL")});
    }

    void readOnlyProfileSendsNoWrite()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        server.cli({QStringLiteral("RPUSH"), QStringLiteral("jobs"), QStringLiteral("a")});
        ConnectionProfile profile = server.profile();
        profile.readOnly = true;
        profile.name = QStringLiteral("prod");
        RedisConnection connection(profile);
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        server.cli({QStringLiteral("CONFIG"), QStringLiteral("RESETSTAT")});
        const auto del = runPipeline(connection, {{"LLEN", "jobs"}, {"DEL", "jobs"}});
        QVERIFY(del);
        QCOMPARE(del->error.kind, Kind::ReadOnlyRefused);
        QVERIFY(del->error.message.contains(QLatin1String("'prod' is read-only")));
        // Nothing at all left the client: not even the LLEN before the DEL.
        const QByteArray stats =
            server.cli({QStringLiteral("INFO"), QStringLiteral("commandstats")});
        QVERIFY2(!stats.contains("cmdstat_del") && !stats.contains("cmdstat_llen"),
                 stats.constData());
        QCOMPARE(server.cli({QStringLiteral("LLEN"), QStringLiteral("jobs")}).trimmed(),
                 QByteArray("1"));
        const auto llen = runCommand(connection, {"LLEN", "jobs"});
        QVERIFY(llen && llen->reply.integer == 1);
        // Encoded beforehand, the same refusal, and again nothing sent.
        const auto encodedDel = runPipeline(
            connection, qs::redis::EncodedCommands({{"LLEN", "jobs"}, {"DEL", "jobs"}}));
        QVERIFY(encodedDel);
        QCOMPARE(encodedDel->error.kind, Kind::ReadOnlyRefused);
        QVERIFY(encodedDel->error.message.contains(QLatin1String("DEL writes")));
        QCOMPARE(server.cli({QStringLiteral("LLEN"), QStringLiteral("jobs")}).trimmed(),
                 QByteArray("1"));
    }

    void lateReplyForADestroyedOwnerIsDropped()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        RedisConnection connection(server.profile());
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        bool called = false;
        auto *owner = new QObject;
        connection.pipeline({{"DEBUG", "SLEEP", "0.3"}}, owner,
                            [&called](const PipelineResult &) { called = true; });
        delete owner;
        const auto after = runCommand(connection, {"PING"});
        QVERIFY(after && after->error.isNone());
        QVERIFY(!called);
    }

    void cloneIsAnIndependentConnection()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        RedisConnection connection(server.profile());
        std::unique_ptr<RedisConnection> poller(connection.clone(QStringLiteral("qs-poller")));
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        QCOMPARE(connectAndSettle(*poller).state, ConnectionState::Connected);
        // A slow command on one does not hold up the other.
        connection.pipeline({{"DEBUG", "SLEEP", "0"}}, this, [](const PipelineResult &) {});
        const auto list = runCommand(*poller, {"CLIENT", "LIST"});
        QVERIFY(list);
        QVERIFY(list->reply.string.contains("name=qs-poller"));
        QVERIFY(list->reply.string.contains("name=queuescope"));
    }
};

QTEST_GUILESS_MAIN(TestRedisConnection)
#include "tst_redisconnection.moc"
