#include "connectionwait.h"
#include "redisserver.h"

#include "redis/redisconnection.h"

#include <QElapsedTimer>
#include <QTest>

using namespace qs::redis;
using qs::core::ConnectionProfile;
using qs::test::RedisServer;
using qs::test::RedisServerOptions;
using Kind = RedisError::Kind;

namespace {

ConnectionStatus connectAndSettle(const ConnectionProfile &profile)
{
    RedisConnection connection(profile, qs::test::noReconnect());
    if (qs::test::connectAndSettle(connection).state == ConnectionState::Connected) {
        const auto ping = qs::test::runCommand(connection, {"PING"});
        if (!ping || ping->reply.string != "PONG")
            return {ConnectionState::Failed, {Kind::Server, QStringLiteral("no PONG")}, 0, 0, {}};
    }
    return connection.status();
}

std::unique_ptr<RedisServer> startServer(RedisServerOptions options)
{
    auto server = std::make_unique<RedisServer>(options);
    QString error;
    if (!server->start(&error)) {
        qWarning("cannot start redis-server: %s", qPrintable(error));
        return {};
    }
    return server;
}

RedisServerOptions tlsOptions(RedisServerOptions::Tls tls, bool expired = false)
{
    RedisServerOptions options;
    options.tls = tls;
    options.expiredCertificate = expired;
    return options;
}

} // namespace

class TestRedisTls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void verifiedWithTheProfileCa()
    {
        auto server = startServer(tlsOptions(RedisServerOptions::Tls::On));
        QVERIFY(server);
        const ConnectionStatus status = connectAndSettle(server->profile());
        QVERIFY2(status.state == ConnectionState::Connected, qPrintable(status.error.message));
    }

    void untrustedWithoutTheCaNamesTheCertificate()
    {
        auto server = startServer(tlsOptions(RedisServerOptions::Tls::On));
        QVERIFY(server);
        ConnectionProfile profile = server->profile();
        profile.tls.caFile.clear(); // system CAs only
        const ConnectionStatus status = connectAndSettle(profile);
        QCOMPARE(status.state, ConnectionState::Failed);
        QCOMPARE(status.error.kind, Kind::Tls);
        QVERIFY2(status.error.message.contains(QLatin1String("not trusted")) &&
                     status.error.message.contains(QLatin1String("CN=localhost")),
                 qPrintable(status.error.message));

        profile.tls.caFile = server->certificates().otherCaCert;
        QCOMPARE(connectAndSettle(profile).error.kind, Kind::Tls);
    }

    void explicitSkipVerificationConnects()
    {
        auto server = startServer(tlsOptions(RedisServerOptions::Tls::On));
        QVERIFY(server);
        ConnectionProfile profile = server->profile();
        profile.tls.caFile.clear();
        profile.tls.verifyPeer = false;
        const ConnectionStatus status = connectAndSettle(profile);
        QVERIFY2(status.state == ConnectionState::Connected, qPrintable(status.error.message));
    }

    void hostnameMismatch()
    {
        auto server = startServer(tlsOptions(RedisServerOptions::Tls::On));
        QVERIFY(server);
        ConnectionProfile profile = server->profile();
        profile.tls.serverName = QStringLiteral("redis.example.com");
        const ConnectionStatus status = connectAndSettle(profile);
        QCOMPARE(status.error.kind, Kind::Tls);
        QVERIFY2(status.error.message.contains(QLatin1String("not 'redis.example.com'")),
                 qPrintable(status.error.message));
        // The server's own name verifies: SNI/verify name is what the certificate lists.
        profile.tls.serverName = QStringLiteral("localhost");
        QCOMPARE(connectAndSettle(profile).state, ConnectionState::Connected);
    }

    void expiredCertificate()
    {
        auto server = startServer(tlsOptions(RedisServerOptions::Tls::On, true));
        QVERIFY(server);
        const ConnectionStatus status = connectAndSettle(server->profile());
        QCOMPARE(status.error.kind, Kind::Tls);
        QVERIFY2(status.error.message.contains(QLatin1String("expired")),
                 qPrintable(status.error.message));
    }

    void mutualTls()
    {
        auto server = startServer(tlsOptions(RedisServerOptions::Tls::Mutual));
        QVERIFY(server);
        const ConnectionStatus withCert = connectAndSettle(server->profile());
        QVERIFY2(withCert.state == ConnectionState::Connected, qPrintable(withCert.error.message));

        ConnectionProfile noCert = server->profile();
        noCert.tls.certFile.clear();
        noCert.tls.keyFile.clear();
        const ConnectionStatus without = connectAndSettle(noCert);
        QCOMPARE(without.state, ConnectionState::Failed);
        QCOMPARE(without.error.kind, Kind::Tls);
        QVERIFY2(without.error.message.contains(QLatin1String("certificate")),
                 qPrintable(without.error.message));
    }

    void missingClientKeyFileIsNamed()
    {
        auto server = startServer(tlsOptions(RedisServerOptions::Tls::Mutual));
        QVERIFY(server);
        ConnectionProfile profile = server->profile();
        profile.tls.keyFile = QStringLiteral("/nonexistent/client.key");
        const ConnectionStatus status = connectAndSettle(profile);
        QCOMPARE(status.error.kind, Kind::Tls);
        QVERIFY(status.error.message.contains(QLatin1String("/nonexistent/client.key")));
    }

    void plainClientOnATlsPort()
    {
        auto server = startServer(tlsOptions(RedisServerOptions::Tls::On));
        QVERIFY(server);
        ConnectionProfile profile = server->profile();
        profile.tls = {};
        profile.connectTimeoutMs = 3'000;
        const ConnectionStatus status = connectAndSettle(profile);
        QCOMPARE(status.state, ConnectionState::Failed);
        QVERIFY2(status.error.message.contains(QLatin1String("rediss://")),
                 qPrintable(status.error.message));
    }

    void tlsClientOnAPlainPort_data()
    {
        QTest::addColumn<QString>("password");
        QTest::newRow("open server") << QString();
        QTest::newRow("password-protected server") << QStringLiteral("pw"); // PING: -NOAUTH
    }

    void tlsClientOnAPlainPort()
    {
        // A plain server takes the ClientHello for the start of an inline command and waits for
        // its end: QueueScope asks the port in plain text and says so within about a second,
        // not after the whole connect timeout (10 s by default).
        QFETCH(QString, password);
        RedisServerOptions options;
        options.password = password;
        auto server = startServer(options);
        QVERIFY(server);
        ConnectionProfile profile = server->profile();
        profile.tls.enabled = true;
        QElapsedTimer clock;
        clock.start();
        const ConnectionStatus status = connectAndSettle(profile);
        QCOMPARE(status.state, ConnectionState::Failed);
        QCOMPARE(status.error.kind, Kind::Tls);
        QVERIFY2(status.error.message.contains(
                     QLatin1String("speaks plain Redis, not TLS: use redis://")),
                 qPrintable(status.error.message));
        QVERIFY2(clock.elapsed() < 2'500, qPrintable(QString::number(clock.elapsed())));
    }
};

QTEST_GUILESS_MAIN(TestRedisTls)
#include "tst_redistls.moc"
