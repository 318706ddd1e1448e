// Black-box tests of `queuescope check`: the real binary against real redis-servers.
#include "cliprocess.h"
#include "redisserver.h"

#include "core/redisurl.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using qs::test::RedisServer;
using qs::test::RedisServerOptions;

namespace {

using Run = qs::test::CliRun;

Run queuescope(const QStringList &args, const QMap<QString, QString> &env = {})
{
    return qs::test::runQueuescope(args, env);
}

QString url(const RedisServer &server)
{
    return qs::core::toRedisUrl(server.profile(), qs::core::Secret::Included);
}

constexpr auto kSecret = "Sup3r-secret+pw";

} // namespace

class TestCheckCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(QFile::exists(qEnvironmentVariable("QS_QUEUESCOPE_BIN"))); }

    void healthyServerExitsZero()
    {
        RedisServer server;
        QVERIFY(server.start());
        const Run run = queuescope({QStringLiteral("check"), QStringLiteral("--url"), url(server),
                                    QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = run.json();
        QCOMPARE(json.value(QStringLiteral("status")).toString(), QStringLiteral("healthy"));
        QCOMPARE(json.value(QStringLiteral("connected")).toBool(), true);
        QVERIFY(json.value(QStringLiteral("version")).toString().startsWith(QLatin1Char('7')));
        const QJsonObject memory = json.value(QStringLiteral("memoryUsage")).toObject();
        QVERIFY(memory.value(QStringLiteral("used")).toDouble() > 0);
        QVERIFY(memory.contains(QStringLiteral("total")));
        QVERIFY(memory.contains(QStringLiteral("percentUsed")));
        QVERIFY(json.value(QStringLiteral("queueStats")).isObject());
        QVERIFY(json.value(QStringLiteral("latencyMs")).toDouble() > 0);

        const Run human =
            queuescope({QStringLiteral("check"), QStringLiteral("--url"), url(server)});
        QCOMPARE(human.exitCode, 0);
        QVERIFY2(human.out.contains("HEALTHY") && human.out.contains("Memory"), human.out);
    }

    void memoryAboveEightyPercentIsDegraded()
    {
        RedisServerOptions options;
        options.extraArgs << QStringLiteral("--maxmemory") << QStringLiteral("4mb");
        RedisServer server(options);
        QVERIFY(server.start());
        // Fill to well above 80% of maxmemory (noeviction: writes fail past 100%, none evicted).
        server.cli({QStringLiteral("DEBUG"), QStringLiteral("POPULATE"), QStringLiteral("22000"),
                    QStringLiteral("k"), QStringLiteral("100")});
        const Run run = queuescope({QStringLiteral("check"), QStringLiteral("--url"), url(server),
                                    QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 1);
        const QJsonObject json = run.json();
        QVERIFY(json.value(QStringLiteral("status")).toString() != QLatin1String("healthy"));
        const QString reasons = QString::fromUtf8(
            QJsonDocument(json.value(QStringLiteral("reasons")).toArray()).toJson());
        QVERIFY2(reasons.contains(QLatin1String("maxmemory")), qPrintable(reasons));
        QVERIFY(json.value(QStringLiteral("memoryUsage"))
                    .toObject()
                    .value(QStringLiteral("percentUsed"))
                    .toDouble() > 80);
    }

    void unreachableExitsThree()
    {
        const quint16 port = qs::test::freeLoopbackPort();
        const Run run = queuescope({QStringLiteral("check"), QStringLiteral("--url"),
                                    QStringLiteral("redis://127.0.0.1:%1").arg(port),
                                    QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 3);
        const QJsonObject json = run.json();
        QCOMPARE(json.value(QStringLiteral("connected")).toBool(), false);
        QCOMPARE(
            json.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
            QStringLiteral("connection-refused"));
    }

    void wrongPasswordExitsThreeWithoutLeakingIt()
    {
        RedisServerOptions options;
        options.password = QString::fromLatin1(kSecret);
        RedisServer server(options);
        QVERIFY(server.start());
        qs::core::ConnectionProfile wrong = server.profile();
        wrong.password = QStringLiteral("Wr0ng-guess-123");
        const QString wrongUrl = qs::core::toRedisUrl(wrong, qs::core::Secret::Included);
        for (const bool json : {false, true}) {
            QStringList args{QStringLiteral("check"), QStringLiteral("--url"), wrongUrl};
            if (json)
                args << QStringLiteral("--json");
            const Run run = queuescope(args);
            QCOMPARE(run.exitCode, 3);
            QVERIFY2((run.out + run.err).contains("authentication failed"), run.out + run.err);
            QVERIFY(!(run.out + run.err).contains("Wr0ng-guess-123"));
            QVERIFY(!(run.out + run.err).contains(kSecret));
        }
    }

    // A missing password is fixed where the target came from: the advice names that place and
    // never a profile the user did not use.
    void missingPasswordAdviceFitsTheTarget_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<QString>("advice");
        QTest::newRow("--url") << "url"
                               << "put it in the URL (redis://:PASSWORD@host:port)";
        QTest::newRow("REDIS_URL") << "env-url"
                                   << "put it in REDIS_URL";
        QTest::newRow("REDIS_HOST") << "env-host"
                                    << "set REDIS_PASSWORD";
        QTest::newRow("--profile") << "profile"
                                   << "profile 'Staging' has no password in the keychain";
    }
    void missingPasswordAdviceFitsTheTarget()
    {
        QFETCH(QString, how);
        QFETCH(QString, advice);
        RedisServerOptions options;
        options.password = QString::fromLatin1(kSecret);
        RedisServer server(options);
        QVERIFY(server.start());
        const QString bare = QStringLiteral("redis://127.0.0.1:%1").arg(server.port());
        QTemporaryDir home;
        QMap<QString, QString> env{
            {QStringLiteral("XDG_CONFIG_HOME"), home.path()},
            {QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent")}};
        QStringList args{QStringLiteral("check")};
        if (how == QLatin1String("url")) {
            args << QStringLiteral("--url") << bare;
        } else if (how == QLatin1String("env-url")) {
            env.insert(QStringLiteral("REDIS_URL"), bare);
        } else if (how == QLatin1String("env-host")) {
            env.insert(QStringLiteral("REDIS_HOST"), QStringLiteral("127.0.0.1"));
            env.insert(QStringLiteral("REDIS_PORT"), QString::number(server.port()));
        } else {
            QDir().mkpath(home.filePath(QStringLiteral("QueueScope/queuescope")));
            QFile file(home.filePath(QStringLiteral("QueueScope/queuescope/profiles.json")));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QStringLiteral(R"({"format": "queuescope-profiles", "version": 1,
                "profiles": [{"name": "Staging", "host": "127.0.0.1", "port": %1}]})")
                           .arg(server.port())
                           .toUtf8());
            file.close();
            args << QStringLiteral("--profile") << QStringLiteral("Staging");
        }
        const Run run = queuescope(args, env);
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains("the server requires a password (NOAUTH): " + advice.toUtf8()),
                 run.err);
        if (how != QLatin1String("profile"))
            QVERIFY2(!run.err.contains("profile"), run.err);
        const Run json = queuescope(args << QStringLiteral("--json"), env);
        QCOMPARE(json.json()
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("code"))
                     .toString(),
                 QStringLiteral("auth-required"));
    }

    void targetFromTheEnvironment()
    {
        RedisServerOptions options;
        options.password = QString::fromLatin1(kSecret);
        RedisServer server(options);
        QVERIFY(server.start());
        const Run fromUrl =
            queuescope({QStringLiteral("check")}, {{QStringLiteral("REDIS_URL"), url(server)}});
        QCOMPARE(fromUrl.exitCode, 0);
        const Run fromParts =
            queuescope({QStringLiteral("check"), QStringLiteral("--json")},
                       {{QStringLiteral("REDIS_HOST"), QStringLiteral("127.0.0.1")},
                        {QStringLiteral("REDIS_PORT"), QString::number(server.port())},
                        {QStringLiteral("REDIS_PASSWORD"), QString::fromLatin1(kSecret)}});
        QCOMPARE(fromParts.exitCode, 0);
        QVERIFY(!fromParts.out.contains(kSecret));
    }

    void tlsOptions()
    {
        RedisServerOptions options;
        options.tls = RedisServerOptions::Tls::Mutual;
        RedisServer server(options);
        QVERIFY(server.start());
        const QString base = QStringLiteral("rediss://127.0.0.1:%1").arg(server.port());
        const auto &certs = server.certificates();
        const Run ok =
            queuescope({QStringLiteral("check"), QStringLiteral("--url"), base,
                        QStringLiteral("--tls-ca"), certs.caCert, QStringLiteral("--tls-cert"),
                        certs.clientCert, QStringLiteral("--tls-key"), certs.clientKey});
        QCOMPARE(ok.exitCode, 0);
        const Run untrusted = queuescope({QStringLiteral("check"), QStringLiteral("--url"), base,
                                          QStringLiteral("--tls-cert"), certs.clientCert,
                                          QStringLiteral("--tls-key"), certs.clientKey});
        QCOMPARE(untrusted.exitCode, 3);
        QVERIFY2(untrusted.err.contains("not trusted"), untrusted.err);
        const Run insecure =
            queuescope({QStringLiteral("check"), QStringLiteral("--url"), base,
                        QStringLiteral("--tls-insecure"), QStringLiteral("--tls-cert"),
                        certs.clientCert, QStringLiteral("--tls-key"), certs.clientKey});
        QCOMPARE(insecure.exitCode, 0);
    }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("bad scheme") << QStringList{QStringLiteral("check"), QStringLiteral("--url"),
                                                   QStringLiteral("http://x")}
                                    << "unsupported scheme";
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("check"), QStringLiteral("--frobnicate")} << "frobnicate";
        QTest::newRow("cert without key")
            << QStringList{QStringLiteral("check"), QStringLiteral("--tls-cert"),
                           QStringLiteral("/tmp/c.pem")}
            << "--tls-key";
        QTest::newRow("bad timeout")
            << QStringList{QStringLiteral("check"), QStringLiteral("--timeout"),
                           QStringLiteral("soon")}
            << "--timeout";
    }
    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const Run run = queuescope(args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(mentions.toUtf8()), run.err);
    }
};

QTEST_GUILESS_MAIN(TestCheckCommand)
#include "tst_checkcommand.moc"
