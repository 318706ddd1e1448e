#include "core/redisurl.h"
#include "profileprinter.h"

#include <QTest>

using qs::core::ConnectionProfile;
using qs::core::parseRedisUrl;
using qs::core::Secret;
using qs::core::toRedisUrl;

Q_DECLARE_METATYPE(qs::core::Secret)

namespace {

ConnectionProfile tcp(const QString &host, quint16 port = 6379, int db = 0)
{
    ConnectionProfile p;
    p.host = host;
    p.port = port;
    p.db = db;
    return p;
}

ConnectionProfile withAuth(ConnectionProfile p, const QString &user, const QString &password)
{
    p.username = user;
    p.password = password;
    return p;
}

ConnectionProfile withTls(ConnectionProfile p, bool verifyPeer = true)
{
    p.tls.enabled = true;
    p.tls.verifyPeer = verifyPeer;
    return p;
}

ConnectionProfile socket(const QString &path, int db = 0)
{
    ConnectionProfile p;
    p.unixSocket = path;
    p.db = db;
    return p;
}

} // namespace

class TestRedisUrl : public QObject
{
    Q_OBJECT

private slots:
    void parsesValidUrls_data();
    void parsesValidUrls();
    void rejectsInvalidUrls_data();
    void rejectsInvalidUrls();
    void writesUrls_data();
    void writesUrls();
    void roundTripsProfiles_data();
    void roundTripsProfiles();
    void writesNoBareAtForAnEmptyUserName();
};

void TestRedisUrl::parsesValidUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<ConnectionProfile>("expected");

    ConnectionProfile tlsFiles = withTls(tcp(QStringLiteral("host")));
    tlsFiles.tls.caFile = QStringLiteral("/etc/ca.pem");
    tlsFiles.tls.certFile = QStringLiteral("/c.pem");
    tlsFiles.tls.keyFile = QStringLiteral("/k.pem");
    tlsFiles.tls.serverName = QStringLiteral("redis.internal");
    ConnectionProfile tlsSpacedCa = withTls(tcp(QStringLiteral("host")));
    tlsSpacedCa.tls.caFile = QStringLiteral("/my certs/ca&b.pem");
    ConnectionProfile timeout25 = tcp(QStringLiteral("host"));
    timeout25.connectTimeoutMs = 2500;
    ConnectionProfile timeout30 = tcp(QStringLiteral("host"));
    timeout30.connectTimeoutMs = 30'000;

    QTest::newRow("host") << "redis://host" << tcp("host");
    QTest::newRow("host:port") << "redis://host:6380" << tcp("host", 6380);
    QTest::newRow("password, port, db")
        << "redis://:pass@host:6380/2" << withAuth(tcp("host", 6380, 2), "", "pass");
    QTest::newRow("user and password")
        << "redis://user:pass@host/0" << withAuth(tcp("host"), "user", "pass");
    QTest::newRow("user only") << "redis://user@host" << withAuth(tcp("host"), "user", "");
    QTest::newRow("password with ':'") << "redis://:p:ss@host" << withAuth(tcp("host"), "", "p:ss");
    QTest::newRow("rediss") << "rediss://host" << withTls(tcp("host"));
    QTest::newRow("percent-encoded @")
        << "redis://:p%40ss@host" << withAuth(tcp("host"), "", "p@ss");
    QTest::newRow("percent-encoded user and password")
        << "redis://us%3Aer:p%2Fs%23s%3F%25@host" << withAuth(tcp("host"), "us:er", "p/s#s?%");
    QTest::newRow("unencoded space and unicode are tolerated")
        << "redis://:pä ss@host" << withAuth(tcp("host"), "", QStringLiteral("pä ss"));
    QTest::newRow("ipv6") << "redis://[::1]" << tcp("::1");
    QTest::newRow("ipv6 with port") << "redis://[::1]:6380" << tcp("::1", 6380);
    QTest::newRow("upper-case scheme and host")
        << "REDIS://Cache.Example.COM" << tcp("cache.example.com");
    QTest::newRow("db in the path, slash only") << "redis://host:6379/" << tcp("host");
    QTest::newRow("largest db") << "redis://host/2147483647" << tcp("host", 6379, 2147483647);
    QTest::newRow("db in the query") << "redis://host/?db=4" << tcp("host", 6379, 4);
    QTest::newRow("db in path and query agree") << "redis://host/2?db=2" << tcp("host", 6379, 2);
    QTest::newRow("unix socket with db")
        << "unix:///tmp/redis.sock?db=3" << socket("/tmp/redis.sock", 3);
    QTest::newRow("redis+unix") << "redis+unix:///var/run/redis.sock"
                                << socket("/var/run/redis.sock");
    QTest::newRow("unix socket with password")
        << "unix://:secret@/tmp/redis.sock" << withAuth(socket("/tmp/redis.sock"), "", "secret");
    QTest::newRow("unix socket, password as option (redis-py)")
        << "unix:///tmp/redis.sock?db=1&username=app&password=secret"
        << withAuth(socket("/tmp/redis.sock", 1), "app", "secret");
    QTest::newRow("bare host:port") << "localhost:6380" << tcp("localhost", 6380);
    QTest::newRow("bare host named redis") << "redis:6380" << tcp("redis", 6380);
    QTest::newRow("bare host") << "localhost" << tcp("localhost");
    QTest::newRow("bare ipv4") << "10.0.0.5" << tcp("10.0.0.5");
    QTest::newRow("bare ipv6 with port") << "[::1]:6380" << tcp("::1", 6380);
    QTest::newRow("bare with password") << ":pass@host:1" << withAuth(tcp("host", 1), "", "pass");
    QTest::newRow("surrounding whitespace") << "  redis://host \n" << tcp("host");
    QTest::newRow("ssl_cert_reqs=none")
        << "rediss://host?ssl_cert_reqs=none" << withTls(tcp("host"), false);
    QTest::newRow("ssl_cert_reqs=CERT_NONE (Celery)")
        << "rediss://:pw@host:6380/0?ssl_cert_reqs=CERT_NONE"
        << withTls(withAuth(tcp("host", 6380), "", "pw"), false);
    QTest::newRow("ssl_cert_reqs=required")
        << "rediss://host?ssl_cert_reqs=required" << withTls(tcp("host"), true);
    QTest::newRow("skip_verify=true")
        << "rediss://host?skip_verify=true" << withTls(tcp("host"), false);
    QTest::newRow("skip_verify=false")
        << "rediss://host?skip_verify=false" << withTls(tcp("host"), true);
    QTest::newRow("tls files and sni")
        << "rediss://host?tls_ca=/etc/ca.pem&tls_cert=/c.pem&tls_key=/k.pem&sni=redis.internal"
        << tlsFiles;
    QTest::newRow("encoded tls path")
        << "rediss://host?tls_ca=%2Fmy%20certs%2Fca%26b.pem" << tlsSpacedCa;
    QTest::newRow("fractional timeout") << "redis://host?timeout=2.5" << timeout25;
    QTest::newRow("whole timeout") << "redis://host?timeout=30" << timeout30;
    QTest::newRow("redis-py tuning options are accepted")
        << "redis://host?health_check_interval=10&socket_keepalive=true" << tcp("host");
}

void TestRedisUrl::parsesValidUrls()
{
    QFETCH(QString, url);
    QFETCH(ConnectionProfile, expected);

    const auto result = parseRedisUrl(url);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result.value(), expected);
    QVERIFY(result.error().isEmpty());
}

void TestRedisUrl::rejectsInvalidUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("error");
    // Pieces of the password that must not appear in the message.
    QTest::addColumn<QStringList>("secrets");
    const QStringList none;

    QTest::newRow("empty") << ""
                           << "the Redis URL is empty" << none;
    QTest::newRow("blank") << "   "
                           << "the Redis URL is empty" << none;
    QTest::newRow("noncharacter in the password")
        << "redis://:hunter%F1%BF%BF%BF2@host"
        << "the URL holds a Unicode noncharacter (U+FDD0-U+FDEF, U+xFFFE, U+xFFFF): not text a "
           "server takes"
        << QStringList{"hunter"};
    QTest::newRow("http") << "http://:hunter2@host"
                          << "unsupported scheme 'http' (expected redis://, rediss://, unix://, "
                             "redis+sentinel:// or sentinel://)"
                          << QStringList{"hunter2"};
    QTest::newRow("port too big") << "redis://:hunter2@host:99999"
                                  << "port '99999' is out of range (1-65535)"
                                  << QStringList{"hunter2"};
    QTest::newRow("port far too big") << "redis://host:123456789012"
                                      << "port '123456789012' is out of range (1-65535)" << none;
    QTest::newRow("port zero") << "redis://host:0"
                               << "port '0' is out of range (1-65535)" << none;
    QTest::newRow("port not a number") << "redis://host:abc"
                                       << "the port after 'host:' is not a number" << none;
    QTest::newRow("forgotten @host leaves the password as a port")
        << "redis://default:hunter2"
        << "the port after 'default:' is not a number" << QStringList{"hunter2"};
    QTest::newRow("negative db") << "redis://host/-1"
                                 << "database '-1' is not a number from 0 to 2^31" << none;
    QTest::newRow("db 2^31") << "redis://host/2147483648"
                             << "database '2147483648' is not a number from 0 to 2^31" << none;
    QTest::newRow("db word") << "redis://host/abc"
                             << "database 'abc' is not a number" << none;
    QTest::newRow("db path with two segments") << "redis://host/1/2"
                                               << "database '1/2' is not a number" << none;
    QTest::newRow("db option word") << "redis://host?db=x"
                                    << "database 'x' is not a number" << none;
    QTest::newRow("db given twice")
        << "redis://host/2?db=3"
        << "db given twice differently (/2 in the path, db=3 in the query)" << none;
    QTest::newRow("no host") << "redis://"
                             << "missing host" << none;
    QTest::newRow("no host, password") << "redis://:hunter2@"
                                       << "missing host" << QStringList{"hunter2"};
    QTest::newRow("no host, password and port") << "redis://:hunter2@:6379/0"
                                                << "missing host" << QStringList{"hunter2"};
    QTest::newRow("socket path with redis://")
        << "redis:///tmp/redis.sock"
        << "missing host (for a Unix socket use unix:///tmp/redis.sock)" << none;
    QTest::newRow("unencoded @ in password")
        << "redis://:hunter@2@host"
        << "contains an unencoded '@' (write it as %40)" << QStringList{"hunter", "2@host"};
    QTest::newRow("unencoded / in password")
        << "redis://:hunter/2@host:6379"
        << "contains an unencoded '/', '?' or '#'" << QStringList{"hunter", "2@host"};
    QTest::newRow("unencoded / in password, numeric start")
        << "redis://:1234/5678@host"
        << "contains an unencoded '/', '?' or '#'" << QStringList{"1234", "5678"};
    QTest::newRow("unencoded ? in password after a user")
        << "redis://user:1234?5678@host"
        << "contains an unencoded '/', '?' or '#'" << QStringList{"1234", "5678"};
    QTest::newRow("unencoded # in password")
        << "redis://:hunter#2@host"
        << "contains an unencoded '/', '?' or '#'" << QStringList{"hunter", "2@host"};
    QTest::newRow("fragment") << "redis://host/0#x"
                              << "unexpected '#' in the URL" << none;
    QTest::newRow("invalid host") << "redis://:hunter2@ho st:6379"
                                  << "host 'ho st' is not a valid host name or address"
                                  << QStringList{"hunter2"};
    QTest::newRow("unclosed ipv6") << "redis://[::1:6379"
                                   << "missing ']' after the IPv6 address" << none;
    QTest::newRow("ipv6 without brackets")
        << "redis://::1:6379"
        << "an IPv6 address must be in brackets, e.g. [::1]:6379" << none;
    QTest::newRow("unknown option") << "redis://host?foo=bar"
                                    << "unknown option 'foo' (known: db, timeout" << none;
    QTest::newRow("tls option without rediss")
        << "redis://host?ssl_cert_reqs=none"
        << "option 'ssl_cert_reqs' needs TLS: use a rediss://" << none;
    QTest::newRow("tls_ca without rediss") << "redis://host?tls_ca=/ca.pem"
                                           << "option 'tls_ca' needs TLS" << none;
    QTest::newRow("bad ssl_cert_reqs")
        << "rediss://host?ssl_cert_reqs=maybe"
        << "ssl_cert_reqs 'maybe' is not one of none, optional, required" << none;
    QTest::newRow("bad skip_verify") << "rediss://host?skip_verify=perhaps"
                                     << "skip_verify 'perhaps' is not true or false" << none;
    QTest::newRow("empty tls_ca") << "rediss://host?tls_ca="
                                  << "option 'tls_ca' is empty" << none;
    QTest::newRow("timeout zero") << "redis://host?timeout=0"
                                  << "timeout '0' is not a number of seconds from 0.001 to 3600"
                                  << none;
    QTest::newRow("timeout negative") << "redis://host?timeout=-1"
                                      << "timeout '-1' is not" << none;
    QTest::newRow("timeout word") << "redis://host?timeout=abc"
                                  << "timeout 'abc' is not" << none;
    QTest::newRow("timeout inf") << "redis://host?timeout=inf"
                                 << "timeout 'inf' is not" << none;
    QTest::newRow("timeout huge") << "redis://host?timeout=1e9"
                                  << "timeout '1e9' is not" << none;
    QTest::newRow("option twice") << "redis://host?db=1&db=2"
                                  << "option 'db' given twice with different values" << none;
    QTest::newRow("unix without path") << "unix://"
                                       << "missing socket path" << none;
    QTest::newRow("unix with a host") << "unix://host/tmp/redis.sock"
                                      << "a unix:// URL has no host" << none;
    QTest::newRow("unix, unencoded / in password")
        << "unix://:hunter/2@/tmp/redis.sock"
        << "a unix:// URL has no host" << QStringList{"hunter", "2@"};
    QTest::newRow("scheme without its colon")
        << "redis//127.0.0.1:6601"
        << "missing ':' after 'redis': did you mean redis://127.0.0.1:6601?" << none;
    QTest::newRow("rediss without its colon, with a password")
        << "rediss//:hunter2@cache:6380/3"
        << "missing ':' after 'rediss': did you mean rediss://\u2026@cache:6380/3?"
        << QStringList{"hunter2"};
    QTest::newRow("scheme with one slash")
        << "REDIS:/host:6379/2"
        << "missing '/' after 'redis:': did you mean redis://host:6379/2?" << none;
    QTest::newRow("unix without its colon")
        << "unix//run/redis.sock"
        << "missing ':' after 'unix': did you mean unix:///path/to/redis.sock?" << none;
    QTest::newRow("unix, password twice")
        << "unix://:hunter1@/tmp/redis.sock?password=hunter2"
        << "password given twice differently" << QStringList{"hunter1", "hunter2"};
}

void TestRedisUrl::rejectsInvalidUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, error);
    QFETCH(QStringList, secrets);

    const auto result = parseRedisUrl(url);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().contains(error), qPrintable(result.error()));
    for (const QString &secret : secrets)
        QVERIFY2(!result.error().contains(secret), qPrintable(result.error()));
    // QUrl's own error text quotes the whole URL; it must never be passed on.
    QVERIFY2(!result.error().contains(QStringLiteral("source was")), qPrintable(result.error()));
}

void TestRedisUrl::writesUrls_data()
{
    QTest::addColumn<ConnectionProfile>("profile");
    QTest::addColumn<Secret>("secret");
    QTest::addColumn<QString>("expected");

    ConnectionProfile insecure = withTls(tcp("host"), false);
    insecure.tls.caFile = QStringLiteral("/etc/ca.pem");
    ConnectionProfile sni = withTls(tcp("host"));
    sni.tls.serverName = QStringLiteral("redis.internal");
    ConnectionProfile timeout = tcp("host");
    timeout.connectTimeoutMs = 2500;
    ConnectionProfile tlsOff = tcp("host");
    tlsOff.tls.caFile = QStringLiteral("/etc/ca.pem"); // kept in the profile, off in the URL

    QTest::newRow("default profile")
        << ConnectionProfile() << Secret::Redacted << "redis://127.0.0.1:6379/0";
    QTest::newRow("redacted password") << withAuth(tcp("host", 6380, 2), "alice", "hunter2")
                                       << Secret::Redacted << "redis://alice:***@host:6380/2";
    QTest::newRow("included password is encoded")
        << withAuth(tcp("host"), "", "p@ss/w#rd") << Secret::Included
        << "redis://:p%40ss%2Fw%23rd@host:6379/0";
    QTest::newRow("user without password")
        << withAuth(tcp("host"), "alice", "") << Secret::Redacted << "redis://alice@host:6379/0";
    QTest::newRow("ipv6") << tcp("::1") << Secret::Redacted << "redis://[::1]:6379/0";
    QTest::newRow("tls, no verification, ca")
        << insecure << Secret::Redacted
        << "rediss://host:6379/0?ssl_cert_reqs=none&tls_ca=%2Fetc%2Fca.pem";
    QTest::newRow("sni") << sni << Secret::Redacted << "rediss://host:6379/0?sni=redis.internal";
    QTest::newRow("tls options only with tls")
        << tlsOff << Secret::Redacted << "redis://host:6379/0";
    QTest::newRow("timeout") << timeout << Secret::Redacted << "redis://host:6379/0?timeout=2.5";
    QTest::newRow("unix socket") << socket("/tmp/redis.sock", 3) << Secret::Redacted
                                 << "unix:///tmp/redis.sock?db=3";
    QTest::newRow("unix socket, redacted")
        << withAuth(socket("/tmp/redis.sock"), "", "hunter2") << Secret::Redacted
        << "unix://:***@/tmp/redis.sock?db=0";
}

void TestRedisUrl::writesUrls()
{
    QFETCH(ConnectionProfile, profile);
    QFETCH(Secret, secret);
    QFETCH(QString, expected);

    QCOMPARE(toRedisUrl(profile, secret), expected);
}

void TestRedisUrl::roundTripsProfiles_data()
{
    QTest::addColumn<ConnectionProfile>("profile");

    const QStringList passwords{
        "p@ss",  "a:b:c",          "sl/ash",   "per%cent",       "%40",
        "ha#sh", "que?ry",         "sp ace",   "a+b&c=d;e,f",    "[x]",
        "***",   "ünïcödé 密码 🔑", "@:/%#? é", "tab\tnewline\n", "back\\slash"};
    for (const QString &password : passwords) {
        QTest::addRow("password %s", qPrintable(password))
            << withAuth(tcp("redis.example.com", 6380, 3), "user", password);
        QTest::addRow("user name %s", qPrintable(password))
            << withAuth(tcp("host"), password, "pw");
        QTest::addRow("unix, password %s", qPrintable(password))
            << withAuth(socket("/run/redis/redis.sock", 1), "", password);
    }

    ConnectionProfile full = withTls(withAuth(tcp("::1", 6390, 15), "ops", "s3cr@t/#"), false);
    full.tls.caFile = QStringLiteral("/etc/ssl/my certs/ca&1=2+3#.pem");
    full.tls.certFile = QStringLiteral("/home/me/client.pem");
    full.tls.keyFile = QStringLiteral("/home/me/client key.pem");
    full.tls.serverName = QStringLiteral("redis.internal");
    full.connectTimeoutMs = 1234;
    QTest::newRow("every option") << full;
    QTest::newRow("ipv6 zone") << tcp("fe80::1%eth0");
    QTest::newRow("socket path with space") << socket("/tmp/my redis.sock", 2);
}

void TestRedisUrl::roundTripsProfiles()
{
    QFETCH(ConnectionProfile, profile);

    const QString url = toRedisUrl(profile, Secret::Included);
    const auto parsed = parseRedisUrl(url);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QCOMPARE(parsed.value(), profile);

    const QString redacted = toRedisUrl(profile, Secret::Redacted);
    if (!profile.password.isEmpty() && profile.password != u"***") {
        QVERIFY2(redacted != url, qPrintable(redacted));
        QVERIFY2(!redacted.contains(profile.password), qPrintable(redacted));
        const QUrl withSecret(url);
        QVERIFY2(!redacted.contains(withSecret.password(QUrl::FullyEncoded)), qPrintable(redacted));
    }
    const auto reparsed = parseRedisUrl(redacted);
    QVERIFY2(reparsed.ok(), qPrintable(reparsed.error()));
    QCOMPARE(reparsed->password, profile.password.isEmpty() ? QString() : QStringLiteral("***"));
    QCOMPARE(reparsed->username, profile.username);
}

// Found by fuzz_redisurl: "ck?db=1&username=&password=" gave an empty, not null, user name that
// was written as "redis://@ck:6379/1", which reads back to a profile written without the '@'.
void TestRedisUrl::writesNoBareAtForAnEmptyUserName()
{
    const auto parsed = parseRedisUrl(QStringLiteral("ck?db=1&username=&password="));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    const QString written = toRedisUrl(parsed.value(), Secret::Included);
    QCOMPARE(written, QStringLiteral("redis://ck:6379/1"));
    QCOMPARE(toRedisUrl(parseRedisUrl(written).value(), Secret::Included), written);
}

QTEST_GUILESS_MAIN(TestRedisUrl)
#include "tst_redisurl.moc"
