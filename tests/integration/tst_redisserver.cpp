// Self-test of the test support library: every RedisServer mode starts and answers, through
// redis-cli (cli()) and through Qt's own sockets, which is what the product uses.

#include "redisserver.h"
#include "startorfail.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QFileInfo>
#include <QHostAddress>
#include <QLocalSocket>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using qs::test::RedisServer;
using qs::test::RedisServerOptions;
using qs::test::TestCertificates;

namespace {

constexpr int kTimeoutMs = 5'000;

// Sends one inline command and returns one reply: a status/error/integer line ("+PONG",
// "-NOAUTH ...") or a bulk string's payload ("$-1" for nil). Empty when nothing came back.
QByteArray roundTrip(QIODevice &device, const QByteArray &command)
{
    device.write(command + "\r\n");
    QByteArray buffer;
    QDeadlineTimer deadline(kTimeoutMs);
    auto waitForMore = [&] {
        if (device.bytesAvailable() > 0) {
            buffer += device.readAll();
            return true;
        }
        if (!device.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            return false;
        buffer += device.readAll();
        return true;
    };
    while (!buffer.contains("\r\n")) {
        if (deadline.hasExpired() || !waitForMore())
            return {};
    }
    const qsizetype lineEnd = buffer.indexOf("\r\n");
    const QByteArray line = buffer.left(lineEnd);
    if (!line.startsWith('$') || line == "$-1")
        return line;
    const qsizetype length = line.mid(1).toLongLong();
    while (buffer.size() < lineEnd + 2 + length + 2) {
        if (deadline.hasExpired() || !waitForMore())
            return {};
    }
    return buffer.mid(lineEnd + 2, length);
}

bool connectPlain(QTcpSocket &socket, quint16 port)
{
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(kTimeoutMs);
}

QSslCertificate loadCertificate(const QString &path)
{
    const QList<QSslCertificate> certs = QSslCertificate::fromPath(path);
    return certs.isEmpty() ? QSslCertificate() : certs.first();
}

QSslKey loadKey(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QSslKey(&file, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey);
}

// Verifies the peer against caFile only (not the system store), optionally with a client cert.
void configureTls(QSslSocket &socket, const QString &caFile, const QString &certFile = {},
                  const QString &keyFile = {})
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setCaCertificates(QSslCertificate::fromPath(caFile));
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!certFile.isEmpty()) {
        config.setLocalCertificate(loadCertificate(certFile));
        config.setPrivateKey(loadKey(keyFile));
    }
    socket.setSslConfiguration(config);
}

bool connectTls(QSslSocket &socket, quint16 port)
{
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    return socket.waitForEncrypted(kTimeoutMs);
}

bool connectionRefused(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return !socket.waitForConnected(kTimeoutMs) &&
           socket.error() == QAbstractSocket::ConnectionRefusedError;
}

} // namespace

class TestRedisServer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void freePortIsBindable();
    void certificatesAreConsistent();
    void plain();
    void twoServersGetDifferentPorts();
    void password();
    void aclUsers();
    void tls();
    void tlsRejectsUntrustedCa();
    void mutualTls();
    void expiredCertificateIsServed();
    void unixSocket();
    void killDropsConnectionAndRestartReusesPort();
    void stopAndDestructorShutDown();
    void startFailureReportsLog();
};

void TestRedisServer::initTestCase()
{
    QVERIFY2(QSslSocket::supportsSsl(),
             "Qt has no TLS backend (libqopensslbackend / libssl3 missing)");
}

void TestRedisServer::freePortIsBindable()
{
    const quint16 port = qs::test::freeLoopbackPort();
    QVERIFY(port != 0);
    QTcpServer server;
    QVERIFY2(server.listen(QHostAddress::LocalHost, port), qPrintable(server.errorString()));
}

void TestRedisServer::certificatesAreConsistent()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    QVERIFY2(TestCertificates::generate(dir.path(), &error), qPrintable(error));
    const TestCertificates files = TestCertificates::inDirectory(dir.path());

    const QSslCertificate ca = loadCertificate(files.caCert);
    const QSslCertificate server = loadCertificate(files.serverCert);
    const QSslCertificate expired = loadCertificate(files.expiredServerCert);
    const QSslCertificate client = loadCertificate(files.clientCert);
    const QSslCertificate otherCa = loadCertificate(files.otherCaCert);
    for (const QSslCertificate *cert : {&ca, &server, &expired, &client, &otherCa})
        QVERIFY(!cert->isNull());
    QVERIFY(!loadKey(files.serverKey).isNull());
    QVERIFY(!loadKey(files.clientKey).isNull());

    const QDateTime now = QDateTime::currentDateTimeUtc();
    QCOMPARE(server.subjectInfo(QSslCertificate::CommonName), QStringList{"localhost"});
    const auto san = server.subjectAlternativeNames();
    QVERIFY(san.values(QSsl::DnsEntry).contains("localhost"));
    QVERIFY(san.values(QSsl::IpAddressEntry).contains("127.0.0.1"));
    QCOMPARE(server.issuerDisplayName(), ca.subjectDisplayName());
    QVERIFY(server.expiryDate() > now);

    // Expired yesterday, same key and names as the good server certificate.
    QCOMPARE(expired.publicKey(), server.publicKey());
    QVERIFY(expired.expiryDate() < now);
    QVERIFY(expired.expiryDate() > now.addDays(-2));
    QCOMPARE(expired.issuerDisplayName(), ca.subjectDisplayName());
    QVERIFY(expired.subjectAlternativeNames().values(QSsl::IpAddressEntry).contains("127.0.0.1"));

    QCOMPARE(client.issuerDisplayName(), ca.subjectDisplayName());
    QVERIFY(client.publicKey() != server.publicKey());
    QVERIFY(otherCa.subjectDisplayName() != ca.subjectDisplayName());
    QVERIFY(otherCa.publicKey() != ca.publicKey());
}

void TestRedisServer::plain()
{
    RedisServer server;
    QS_START_OR_FAIL(server);
    QVERIFY(server.isRunning());
    QVERIFY(server.port() != 0);
    QCOMPARE(server.host(), QStringLiteral("127.0.0.1"));

    QCOMPARE(server.cli({"PING"}).trimmed(), QByteArray("PONG"));
    int exitCode = -1;
    QCOMPARE(server.cli({"SET", "greeting", "hello world"}, &exitCode).trimmed(), QByteArray("OK"));
    QCOMPARE(exitCode, 0);

    QTcpSocket socket;
    QVERIFY(connectPlain(socket, server.port()));
    QCOMPARE(roundTrip(socket, "PING"), QByteArray("+PONG"));
    QCOMPARE(roundTrip(socket, "GET greeting"), QByteArray("hello world"));
    // Throwaway: no persistence, its own directory.
    QCOMPARE(server.cli({"CONFIG", "GET", "appendonly"}).split('\n').value(1), QByteArray("no"));
    QCOMPARE(server.cli({"CONFIG", "GET", "save"}).split('\n').value(1), QByteArray(""));
    QCOMPARE(QFileInfo(QString::fromUtf8(server.cli({"CONFIG", "GET", "dir"}).split('\n').value(1)))
                 .canonicalFilePath(),
             QFileInfo(server.directory()).canonicalFilePath());

    const qs::core::ConnectionProfile profile = server.profile();
    QCOMPARE(profile.host, QStringLiteral("127.0.0.1"));
    QCOMPARE(profile.port, server.port());
    QVERIFY(profile.password.isEmpty());
    QVERIFY(!profile.tls.enabled);
    QVERIFY(server.unixSocketPath().isEmpty());
}

void TestRedisServer::twoServersGetDifferentPorts()
{
    RedisServer a;
    RedisServer b;
    QS_START_OR_FAIL(a);
    QS_START_OR_FAIL(b);
    QVERIFY(a.port() != b.port());
    QVERIFY(a.directory() != b.directory());
    a.cli({"SET", "only", "a"});
    QCOMPARE(b.cli({"EXISTS", "only"}).trimmed(), QByteArray("0"));
}

void TestRedisServer::password()
{
    RedisServerOptions options;
    options.password = QStringLiteral("s3cret pass");
    RedisServer server(options);
    QS_START_OR_FAIL(server);

    QCOMPARE(server.cli({"PING"}).trimmed(), QByteArray("PONG")); // REDISCLI_AUTH
    QCOMPARE(server.profile().password, options.password);

    QTcpSocket socket;
    QVERIFY(connectPlain(socket, server.port()));
    QVERIFY(roundTrip(socket, "PING").startsWith("-NOAUTH"));
    QVERIFY(roundTrip(socket, "AUTH wrong").startsWith("-WRONGPASS"));
    QCOMPARE(roundTrip(socket, "AUTH \"s3cret pass\""), QByteArray("+OK"));
    QCOMPARE(roundTrip(socket, "PING"), QByteArray("+PONG"));
}

void TestRedisServer::aclUsers()
{
    RedisServerOptions options;
    options.aclUsers = {QStringLiteral("alice on >wonderland ~* +@read +@connection"),
                        QStringLiteral("bob   on >builder ~app:* +@all")};
    RedisServer server(options);
    QS_START_OR_FAIL(server);

    const QByteArray users = server.cli({"ACL", "USERS"});
    QVERIFY2(users.contains("alice") && users.contains("bob"), users.constData());
    server.cli({"SET", "k", "v"}); // default user: no password, all rights

    QTcpSocket alice;
    QVERIFY(connectPlain(alice, server.port()));
    QVERIFY(roundTrip(alice, "AUTH alice wrong").startsWith("-WRONGPASS"));
    QCOMPARE(roundTrip(alice, "AUTH alice wonderland"), QByteArray("+OK"));
    QCOMPARE(roundTrip(alice, "GET k"), QByteArray("v"));
    QVERIFY(roundTrip(alice, "SET k w").startsWith("-NOPERM"));

    QTcpSocket bob;
    QVERIFY(connectPlain(bob, server.port()));
    QCOMPARE(roundTrip(bob, "AUTH bob builder"), QByteArray("+OK"));
    QCOMPARE(roundTrip(bob, "SET app:x 1"), QByteArray("+OK"));
    QVERIFY(roundTrip(bob, "SET other 1").startsWith("-NOPERM"));
}

void TestRedisServer::tls()
{
    RedisServerOptions options;
    options.tls = RedisServerOptions::Tls::On;
    RedisServer server(options);
    QS_START_OR_FAIL(server);

    const qs::core::ConnectionProfile profile = server.profile();
    QVERIFY(profile.tls.enabled);
    QCOMPARE(profile.tls.caFile, server.certificates().caCert);
    QVERIFY(profile.tls.certFile.isEmpty());
    QVERIFY(QFileInfo(profile.tls.caFile).isAbsolute());
    QCOMPARE(server.cli({"PING"}).trimmed(), QByteArray("PONG"));

    QSslSocket socket;
    configureTls(socket, server.certificates().caCert);
    QVERIFY2(connectTls(socket, server.port()), qPrintable(socket.errorString()));
    QCOMPARE(socket.peerCertificate(), loadCertificate(server.certificates().serverCert));
    QCOMPARE(roundTrip(socket, "PING"), QByteArray("+PONG"));

    // The TLS port is the only TCP port: plain text gets no reply.
    QTcpSocket plainSocket;
    QVERIFY(connectPlain(plainSocket, server.port()));
    QVERIFY(!roundTrip(plainSocket, "PING").startsWith("+PONG"));
}

void TestRedisServer::tlsRejectsUntrustedCa()
{
    RedisServerOptions options;
    options.tls = RedisServerOptions::Tls::On;
    RedisServer server(options);
    QS_START_OR_FAIL(server);

    QSslSocket socket;
    configureTls(socket, server.certificates().otherCaCert);
    QVERIFY(!connectTls(socket, server.port()));
    QVERIFY(!socket.sslHandshakeErrors().isEmpty());
}

void TestRedisServer::mutualTls()
{
    RedisServerOptions options;
    options.tls = RedisServerOptions::Tls::Mutual;
    RedisServer server(options);
    QS_START_OR_FAIL(server);
    QCOMPARE(server.cli({"PING"}).trimmed(), QByteArray("PONG"));

    const qs::core::ConnectionProfile profile = server.profile();
    QCOMPARE(profile.tls.certFile, server.certificates().clientCert);
    QCOMPARE(profile.tls.keyFile, server.certificates().clientKey);

    QSslSocket withCert;
    configureTls(withCert, profile.tls.caFile, profile.tls.certFile, profile.tls.keyFile);
    QVERIFY2(connectTls(withCert, server.port()), qPrintable(withCert.errorString()));
    QCOMPARE(roundTrip(withCert, "PING"), QByteArray("+PONG"));

    // Without a client certificate: with TLS 1.3 the handshake may complete, but no reply comes.
    QSslSocket withoutCert;
    configureTls(withoutCert, profile.tls.caFile);
    if (connectTls(withoutCert, server.port()))
        QVERIFY(!roundTrip(withoutCert, "PING").startsWith("+PONG"));
}

void TestRedisServer::expiredCertificateIsServed()
{
    RedisServerOptions options;
    options.tls = RedisServerOptions::Tls::On;
    options.expiredCertificate = true;
    RedisServer server(options);
    QS_START_OR_FAIL(server);
    QCOMPARE(server.cli({"PING"}).trimmed(), QByteArray("PONG")); // cli() skips verification

    QSslSocket verifying;
    configureTls(verifying, server.certificates().caCert);
    QVERIFY(!connectTls(verifying, server.port()));
    bool expiredReported = false;
    for (const QSslError &e : verifying.sslHandshakeErrors())
        expiredReported |= e.error() == QSslError::CertificateExpired;
    QVERIFY2(expiredReported, qPrintable(verifying.errorString()));

    // What is served is exactly the expired certificate.
    QSslSocket ignoring;
    configureTls(ignoring, server.certificates().caCert);
    ignoring.ignoreSslErrors({QSslError(QSslError::CertificateExpired,
                                        loadCertificate(server.certificates().expiredServerCert))});
    QVERIFY2(connectTls(ignoring, server.port()), qPrintable(ignoring.errorString()));
    QCOMPARE(ignoring.peerCertificate(), loadCertificate(server.certificates().expiredServerCert));
    QCOMPARE(roundTrip(ignoring, "PING"), QByteArray("+PONG"));
}

void TestRedisServer::unixSocket()
{
    RedisServerOptions options;
    options.unixSocket = true;
    options.password = QStringLiteral("pw");
    RedisServer server(options);
    QS_START_OR_FAIL(server);

    const QFileInfo info(server.unixSocketPath());
    QVERIFY(info.isAbsolute());
    QVERIFY(info.exists());
    QCOMPARE(info.permissions() &
                 (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther),
             QFile::Permissions());

    QLocalSocket local;
    local.connectToServer(server.unixSocketPath());
    QVERIFY2(local.waitForConnected(kTimeoutMs), qPrintable(local.errorString()));
    QCOMPARE(roundTrip(local, "AUTH pw"), QByteArray("+OK"));
    QCOMPARE(roundTrip(local, "PING"), QByteArray("+PONG"));

    QCOMPARE(server.cli({"PING"}).trimmed(), QByteArray("PONG")); // TCP still there
}

void TestRedisServer::killDropsConnectionAndRestartReusesPort()
{
    RedisServer server;
    QS_START_OR_FAIL(server);
    const quint16 port = server.port();
    server.cli({"SET", "before", "1"});

    QTcpSocket socket;
    QVERIFY(connectPlain(socket, port));
    QCOMPARE(roundTrip(socket, "PING"), QByteArray("+PONG"));

    server.kill();
    QVERIFY(!server.isRunning());
    QVERIFY(socket.state() == QAbstractSocket::UnconnectedState ||
            socket.waitForDisconnected(kTimeoutMs));
    QVERIFY(connectionRefused(port));

    QString error;
    QVERIFY2(server.restart(&error), qPrintable(error));
    QVERIFY(server.isRunning());
    QCOMPARE(server.port(), port);
    QCOMPARE(server.cli({"EXISTS", "before"}).trimmed(), QByteArray("0")); // nothing persisted

    // Twice in a row, and restart() of a running server also works.
    server.kill();
    QVERIFY2(server.restart(&error), qPrintable(error));
    QVERIFY2(server.restart(&error), qPrintable(error));
    QCOMPARE(server.port(), port);
    QCOMPARE(server.cli({"PING"}).trimmed(), QByteArray("PONG"));
}

void TestRedisServer::stopAndDestructorShutDown()
{
    quint16 port = 0;
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        port = server.port();
        server.stop();
        QVERIFY(!server.isRunning());
        QVERIFY(connectionRefused(port));
        QVERIFY(server.logTail().contains(QLatin1String("ready to exit")));

        QS_START_OR_FAIL(server); // start() after stop() keeps the port
        QCOMPARE(server.port(), port);
    }
    QVERIFY(connectionRefused(port)); // the destructor stopped it
}

void TestRedisServer::startFailureReportsLog()
{
    RedisServerOptions options;
    options.extraArgs = {QStringLiteral("--no-such-directive"), QStringLiteral("1")};
    RedisServer server(options);
    QString error;
    QVERIFY(!server.start(&error));
    QVERIFY(!server.isRunning());
    QVERIFY2(error.contains(QLatin1String("no-such-directive")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestRedisServer)
#include "tst_redisserver.moc"
