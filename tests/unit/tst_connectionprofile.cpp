#include "core/connectionprofile.h"

#include <QTest>
#include <QUrl>

using qs::core::ConnectionProfile;

namespace {

ConnectionProfile profile(const QString &host, quint16 port = 6379)
{
    ConnectionProfile p;
    p.host = host;
    p.port = port;
    return p;
}

ConnectionProfile socket(const QString &path)
{
    ConnectionProfile p;
    p.unixSocket = path;
    return p;
}

} // namespace

class TestConnectionProfile : public QObject
{
    Q_OBJECT

private slots:
    void endpoint_data();
    void endpoint();
    void displayUrl_data();
    void displayUrl();
    void displayUrlNeverShowsThePassword_data();
    void displayUrlNeverShowsThePassword();
};

void TestConnectionProfile::endpoint_data()
{
    QTest::addColumn<ConnectionProfile>("profile");
    QTest::addColumn<QString>("expected");

    QTest::newRow("default") << ConnectionProfile() << "127.0.0.1:6379";
    QTest::newRow("host name") << profile("cache.example.com", 6380) << "cache.example.com:6380";
    QTest::newRow("ipv6 loopback") << profile("::1") << "[::1]:6379";
    QTest::newRow("ipv6 address") << profile("2001:db8::7", 7000) << "[2001:db8::7]:7000";
    QTest::newRow("ipv6 with zone") << profile("fe80::1%eth0") << "[fe80::1%eth0]:6379";
    QTest::newRow("unix socket") << socket("/run/redis/redis.sock") << "/run/redis/redis.sock";
}

void TestConnectionProfile::endpoint()
{
    QFETCH(ConnectionProfile, profile);
    QFETCH(QString, expected);

    QCOMPARE(profile.endpoint(), expected);
}

void TestConnectionProfile::displayUrl_data()
{
    QTest::addColumn<ConnectionProfile>("profile");
    QTest::addColumn<QString>("expected");

    ConnectionProfile withPassword = profile("cache.example.com", 6380);
    withPassword.username = QStringLiteral("alice");
    withPassword.password = QStringLiteral("hunter2");
    withPassword.db = 2;
    ConnectionProfile passwordOnly = profile("host");
    passwordOnly.password = QStringLiteral("hunter2");
    ConnectionProfile userOnly = profile("host");
    userOnly.username = QStringLiteral("alice");
    ConnectionProfile tls = profile("host");
    tls.tls.enabled = true;
    tls.tls.verifyPeer = false;
    tls.tls.caFile = QStringLiteral("/home/alice/ca.pem");
    tls.connectTimeoutMs = 2500;
    ConnectionProfile tlsOff = profile("host");
    tlsOff.tls.caFile = QStringLiteral("/home/alice/ca.pem");
    ConnectionProfile unixWithDb = socket("/tmp/redis.sock");
    unixWithDb.db = 3;
    unixWithDb.password = QStringLiteral("hunter2");

    QTest::newRow("default") << ConnectionProfile() << "redis://127.0.0.1:6379/0";
    QTest::newRow("user, password, db")
        << withPassword << "redis://alice:***@cache.example.com:6380/2";
    QTest::newRow("password only") << passwordOnly << "redis://:***@host:6379/0";
    QTest::newRow("user only, no ***") << userOnly << "redis://alice@host:6379/0";
    QTest::newRow("tls without options") << tls << "rediss://host:6379/0";
    QTest::newRow("tls off") << tlsOff << "redis://host:6379/0";
    QTest::newRow("ipv6") << profile("::1", 6380) << "redis://[::1]:6380/0";
    QTest::newRow("unix socket with db") << unixWithDb << "unix://:***@/tmp/redis.sock?db=3";
}

void TestConnectionProfile::displayUrl()
{
    QFETCH(ConnectionProfile, profile);
    QFETCH(QString, expected);

    QCOMPARE(profile.displayUrl(), expected);
}

void TestConnectionProfile::displayUrlNeverShowsThePassword_data()
{
    QTest::addColumn<QString>("password");

    QTest::newRow("plain") << "hunter2";
    QTest::newRow("reserved characters") << "p@ss:w/rd?#";
    QTest::newRow("percent") << "100%sure";
    QTest::newRow("unicode") << "密码pässwörd";
    QTest::newRow("spaces") << "correct horse battery staple";
}

void TestConnectionProfile::displayUrlNeverShowsThePassword()
{
    QFETCH(QString, password);

    ConnectionProfile p = profile("host");
    p.username = QStringLiteral("alice");
    p.password = password;
    const QString url = p.displayUrl();
    QVERIFY2(url.contains(QStringLiteral("alice:***@host")), qPrintable(url));
    QVERIFY2(!url.contains(password), qPrintable(url));
    QVERIFY2(!url.contains(QString::fromUtf8(QUrl::toPercentEncoding(password))), qPrintable(url));

    p.unixSocket = QStringLiteral("/tmp/redis.sock");
    QVERIFY2(!p.displayUrl().contains(password), qPrintable(p.displayUrl()));
    QVERIFY2(p.displayUrl().contains(QStringLiteral("***")), qPrintable(p.displayUrl()));
}

QTEST_GUILESS_MAIN(TestConnectionProfile)
#include "tst_connectionprofile.moc"
