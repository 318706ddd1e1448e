#include "core/environmentimport.h"
#include "core/profilestore.h"
#include "core/redisurl.h"
#include "core/sentinelurl.h"
#include "profileprinter.h"

#include <QTest>

using qs::core::ConnectionProfile;
using qs::core::parseRedisUrl;
using qs::core::Secret;
using qs::core::toRedisUrl;

namespace {

ConnectionProfile sentinels(const QStringList &addresses, const QString &master, int db = 0)
{
    ConnectionProfile p;
    p.sentinel.addresses = addresses;
    p.sentinel.masterName = master;
    p.db = db;
    return p;
}

} // namespace

class TestSentinelUrl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parses_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<ConnectionProfile>("expected");

        QTest::newRow("two sentinels, master, db")
            << "redis+sentinel://h1:26379,h2:26380/mymaster/3"
            << sentinels({"h1:26379", "h2:26380"}, "mymaster", 3);
        QTest::newRow("default port 26379")
            << "redis+sentinel://h1,10.0.0.2/mymaster"
            << sentinels({"h1:26379", "10.0.0.2:26379"}, "mymaster");
        QTest::newRow("IPv6 in brackets")
            << "redis+sentinel://[::1]:26379,h2/m" << sentinels({"[::1]:26379", "h2:26379"}, "m");
        ConnectionProfile auth = sentinels({"h1:26379"}, "mymaster", 1);
        auth.username = "app";
        auth.password = "p@ss";
        QTest::newRow("data user and password")
            << "redis+sentinel://app:p%40ss@h1:26379/mymaster/1" << auth;
        ConnectionProfile own = sentinels({"h1:26379"}, "mymaster");
        own.password = "data";
        own.sentinel.username = "watcher";
        own.sentinel.password = "s3cret";
        QTest::newRow("the sentinels' own user and password")
            << "redis+sentinel://:data@h1:26379/mymaster?sentinel_username=watcher&"
               "sentinel_password=s3cret"
            << own;
        ConnectionProfile tls = sentinels({"h1:26379"}, "mymaster");
        tls.tls.enabled = true;
        tls.tls.verifyPeer = false;
        tls.tls.caFile = "/ca.pem";
        tls.sentinel.tls = tls.tls;
        QTest::newRow("rediss+sentinel: TLS to both")
            << "rediss+sentinel://h1:26379/mymaster?ssl_cert_reqs=none&tls_ca=/ca.pem" << tls;
        ConnectionProfile plainSentinels = tls;
        plainSentinels.sentinel.tls.enabled = false;
        QTest::newRow("TLS to the data nodes only")
            << "rediss+sentinel://h1:26379/mymaster?ssl_cert_reqs=none&tls_ca=/ca.pem&"
               "sentinel_tls=false"
            << plainSentinels;
        ConnectionProfile celery = sentinels({"h1:26379", "h2:26379"}, "");
        celery.password = "pw";
        celery.db = 2;
        QTest::newRow("Celery, no master name")
            << "sentinel://:pw@h1:26379;sentinel://:pw@h2:26379/2" << celery;
        ConnectionProfile named = sentinels({"h1:26379", "h2:26379"}, "mymaster");
        QTest::newRow("Celery with master_name")
            << "sentinel://h1:26379;sentinel://h2?master_name=mymaster" << named;
    }
    void parses()
    {
        QFETCH(QString, url);
        QFETCH(ConnectionProfile, expected);
        const auto parsed = parseRedisUrl(url);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
        QCOMPARE(parsed.value(), expected);
    }

    void refuses_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("error");
        QTest::newRow("no sentinel") << "redis+sentinel:///mymaster"
                                     << "no sentinel address";
        QTest::newRow("bad port") << "redis+sentinel://h1:99999/m"
                                  << "out of range";
        QTest::newRow("unbracketed IPv6") << "redis+sentinel://::1:26379/m"
                                          << "not host:port";
        QTest::newRow("bad db") << "redis+sentinel://h1/m/x"
                                << "database 'x'";
        QTest::newRow("two master names") << "redis+sentinel://h1/a?master_name=b"
                                          << "master name given twice";
        QTest::newRow("Celery parts disagree") << "sentinel://:a@h1;sentinel://:b@h2"
                                               << "given differently in two parts";
        QTest::newRow("mixed Celery parts") << "sentinel://h1;redis://h2"
                                            << "starts with sentinel://";
        QTest::newRow("unknown option") << "redis+sentinel://h1/m?colour=red"
                                        << "unknown option";
        QTest::newRow("unencoded @") << "redis+sentinel://u:p@ss@h1/m"
                                     << "unencoded '@'";
    }
    void refuses()
    {
        QFETCH(QString, url);
        QFETCH(QString, error);
        const auto parsed = parseRedisUrl(url);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().contains(error), qPrintable(parsed.error()));
        QVERIFY2(!parsed.error().contains("ss@h1"), "a password fragment was quoted");
    }

    void writesAndReadsBack()
    {
        ConnectionProfile p = sentinels({"h1:26379", "[::1]:26380"}, "my master", 4);
        p.username = "app";
        p.password = "d&ta";
        p.sentinel.password = "s=1";
        p.tls.enabled = true;
        p.tls.caFile = "/etc/ca.pem";
        p.sentinel.tls = p.tls;
        p.connectTimeoutMs = 2500;
        const QString url = toRedisUrl(p, Secret::Included);
        QVERIFY2(url.startsWith("rediss+sentinel://app:d&ta@h1:26379,[::1]:26380/my%20master/4"),
                 qPrintable(url));
        QCOMPARE(parseRedisUrl(url).value(), p);
    }

    void displayUrlShowsNoPassword()
    {
        ConnectionProfile p = sentinels({"h1:26379", "h2:26379"}, "mymaster", 1);
        p.username = "app";
        p.password = "datapass";
        p.sentinel.password = "sentinelpass";
        const QString shown = p.displayUrl();
        QCOMPARE(shown, QStringLiteral("redis+sentinel://app:***@h1:26379,h2:26379/mymaster/1"));
        QVERIFY(!toRedisUrl(p, Secret::Redacted).contains("sentinelpass"));
        QVERIFY(!toRedisUrl(p, Secret::Redacted).contains("datapass"));
    }

    void missingMasterNameIsSaid()
    {
        const auto celery = parseRedisUrl("sentinel://h1:26379;sentinel://h2:26379");
        QVERIFY(celery.ok());
        const QString problem = qs::core::sentinelProblem(celery.value());
        QVERIFY2(problem.contains("no master name") && problem.contains("--sentinel-master"),
                 qPrintable(problem));
        QVERIFY(
            qs::core::sentinelProblem(parseRedisUrl("redis+sentinel://h1/m").value()).isEmpty());
    }

    void environmentImport()
    {
        const auto profile = qs::core::profileFromEnvironment(QMap<QString, QString>{
            {"REDIS_URL", "redis+sentinel://:pw@s1:26379,s2:26379/queues/2"}});
        QVERIFY2(profile.ok(), qPrintable(profile.error()));
        QCOMPARE(profile->sentinel.addresses, QStringList({"s1:26379", "s2:26379"}));
        QCOMPARE(profile->sentinel.masterName, QStringLiteral("queues"));
        QCOMPARE(profile->db, 2);
        QCOMPARE(profile->password, QStringLiteral("pw"));
    }

    void profileFileKeepsSentinelFieldsButNoPassword()
    {
        ConnectionProfile p = sentinels({"h1:26379", "h2:26379"}, "mymaster", 1);
        p.name = "prod";
        p.password = "datapass";
        p.sentinel.username = "watcher";
        p.sentinel.password = "sentinelpass";
        p.sentinel.tls.enabled = true;
        qs::core::ProfileStore store(QStringLiteral("/nonexistent/profiles.json"));
        store.upsert(p);
        const QByteArray json = qs::core::ProfileStore::serialize(store.profiles());
        QVERIFY(!json.contains("sentinelpass"));
        QVERIFY(!json.contains("datapass"));
        const auto read = qs::core::ProfileStore::parse(json, "test");
        QVERIFY2(read.ok(), qPrintable(read.error()));
        ConnectionProfile expected = p;
        expected.password.clear();
        expected.sentinel.password.clear();
        QCOMPARE(read->first(), expected);
        QCOMPARE(qs::core::ProfileStore::serialize(read.value()), json);
    }

    void profileWithoutSentinelIsWrittenAsBefore()
    {
        ConnectionProfile p;
        p.name = "plain";
        const QByteArray json = qs::core::ProfileStore::serialize({p});
        QVERIFY(!json.contains("sentinel"));
    }

    void aBadSentinelFieldIsRefused()
    {
        const auto read = qs::core::ProfileStore::parse(
            R"({"profiles":[{"name":"x","sentinel":{"addresses":"h1:26379"}}]})", "f");
        QVERIFY(!read.ok());
        QVERIFY2(read.error().contains("'addresses' must be a list of strings"),
                 qPrintable(read.error()));
    }
};

QTEST_GUILESS_MAIN(TestSentinelUrl)
#include "tst_sentinelurl.moc"
