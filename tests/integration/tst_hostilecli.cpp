// The real `queuescope` binary against the hostile Redis double and against big stored data:
// exit codes, messages, deadlines, and the child's peak RSS (ru_maxrss through GNU time).
// Goals (issue 12): no command above 300 MB whatever the server sends or stores; a 50 MB payload
// costs at most 3x its size; a --timeout 2 command ends in about 2 s however the bytes trickle.
#include "connectionwait.h"
#include "hostileserver.h"
#include "redisserver.h"

#include "core/redisurl.h"
#include "redis/redisconnection.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <zlib.h>

using qs::test::HostileServer;
using qs::test::MeasuredRun;
using qs::test::RedisServer;
using qs::test::runQueuescopeMeasured;

namespace {

constexpr qint64 kHostilePeakLimitKb = 200 * 1024; // the goal is 300 MB; today ~40 MB

QStringList commandLine(const QString &command, const QString &url)
{
    const QStringList target = {QStringLiteral("--url"), url, QStringLiteral("--timeout"),
                                QStringLiteral("2")};
    if (command == QLatin1String("check"))
        return QStringList{command} + target;
    if (command == QLatin1String("watch")) // it would reconnect for ever to a server this broken
        return QStringList{command} + target +
               QStringList{QStringLiteral("--count"), QStringLiteral("3"),
                           QStringLiteral("--interval"), QStringLiteral("1"),
                           QStringLiteral("--exit-on-error")};
    if (command == QLatin1String("jobs"))
        return QStringList{command} + target +
               QStringList{QStringLiteral("bullmq/big"), QStringLiteral("failed")};
    return QStringList{QStringLiteral("job")} + target +
           QStringList{QStringLiteral("bullmq/big"), QStringLiteral("1"), QStringLiteral("--json")};
}

QString describe(const MeasuredRun &run)
{
    return QStringLiteral("exit %1, %2 ms, peak %3 KB, stderr: %4 stdout: %5")
        .arg(run.exitCode)
        .arg(run.elapsedMs)
        .arg(run.peakRssKb)
        .arg(QString::fromUtf8(run.err.left(400)), QString::fromUtf8(run.out.left(400)));
}

// A zlib stream of `megabytes` MB of zeros: ~1 KB per MB (2 GB -> ~2 MB), made in 1 MB steps.
QByteArray zlibBomb(int megabytes)
{
    z_stream stream{};
    deflateInit(&stream, 9);
    const QByteArray zeros(1 << 20, '\0');
    QByteArray out;
    QByteArray buffer(1 << 16, Qt::Uninitialized);
    for (int i = 0; i <= megabytes; ++i) {
        const bool last = i == megabytes;
        stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(zeros.constData()));
        stream.avail_in = last ? 0 : uInt(zeros.size());
        do {
            stream.next_out = reinterpret_cast<Bytef *>(buffer.data());
            stream.avail_out = uInt(buffer.size());
            deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH);
            out.append(buffer.constData(), buffer.size() - qsizetype(stream.avail_out));
        } while (stream.avail_out == 0);
    }
    deflateEnd(&stream);
    return out;
}

bool store(const RedisServer &server, const QList<qs::redis::RedisCommand> &commands)
{
    qs::redis::RedisConnection connection(server.profile());
    connection.open();
    const auto result = qs::test::runPipeline(connection, commands, 60'000);
    return result && result->ok();
}

QString url(const RedisServer &server)
{
    return qs::core::toRedisUrl(server.profile(), qs::core::Secret::Included);
}

} // namespace

class TestHostileCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(qEnvironmentVariable("QS_QUEUESCOPE_BIN")));
        QVERIFY2(QFile::exists(QStringLiteral("/usr/bin/time")),
                 "GNU time measures the peak RSS (scripts/install-deps.sh installs it)");
    }

    void commandsAgainstHostileServers_data()
    {
        QTest::addColumn<QString>("behaviour");
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("message"); // in stderr or stdout; empty: any
        QTest::addColumn<qint64>("maxMs");
        const struct
        {
            const char *behaviour;
            const char *message;
        } behaviours[] = {
            {"trickle", "did not complete its reply within 2 s"},
            {"trickle-all", "within 2 s"},
            {"huge-bulk", "announced a 2.0 GB string"},
            {"endless-array", "2,147,483,647 elements"},
            {"huge-info", "the limit for server information is 32.0 MB"},
            {"lie-long", "does not end there"},
            {"lie-short", "within 2 s"},
            {"close-mid", "lost"},
            {"garbage", "QUEUESCOPE-HOSTILE"},
        };
        for (const auto &b : behaviours) {
            for (const char *command : {"check", "watch", "jobs", "job"}) {
                // INFO is only in check's and watch's polls: jobs and job never meet huge-info.
                const bool applies = QByteArrayView(b.behaviour) != "huge-info" ||
                                     QByteArrayView(command) == "check" ||
                                     QByteArrayView(command) == "watch";
                const qint64 maxMs = QByteArrayView(command) == "watch" ? 12'000 : 7'000;
                QTest::addRow("%s %s", b.behaviour, command)
                    << QString::fromLatin1(b.behaviour) << QString::fromLatin1(command)
                    << (applies ? QString::fromLatin1(b.message) : QString()) << maxMs;
            }
        }
    }

    void commandsAgainstHostileServers()
    {
        QFETCH(QString, behaviour);
        QFETCH(QString, command);
        QFETCH(QString, message);
        QFETCH(qint64, maxMs);
        // One byte a second: even a 4-byte reply outlasts the 2 s timeout.
        HostileServer server(behaviour, 1.0);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const MeasuredRun run = runQueuescopeMeasured(commandLine(command, server.url()));
        QVERIFY2(run.exitCode >= 0, "did not finish within 60 s");
        QVERIFY2(run.elapsedMs < maxMs, qPrintable(describe(run)));
        QVERIFY2(run.peakRssKb > 0 && run.peakRssKb < kHostilePeakLimitKb,
                 qPrintable(describe(run)));
        if (message.isEmpty())
            return;
        QVERIFY2(run.exitCode != 0, qPrintable(describe(run)));
        if (command == QLatin1String("check"))
            QCOMPARE(run.exitCode, 3);
        QVERIFY2((run.err + run.out).contains(message.toUtf8()), qPrintable(describe(run)));
    }

    void hugeInfoFieldIsShownInPart()
    {
        HostileServer server(QStringLiteral("big-info-field")); // a 1.9 MB redis_version
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const MeasuredRun run =
            runQueuescopeMeasured(commandLine(QStringLiteral("check"), server.url()));
        QVERIFY2(run.exitCode == 0 || run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.out.size() < 16 * 1024, qPrintable(describe(run)));
        QVERIFY2(run.out.contains("truncated, 1900000 bytes"), qPrintable(describe(run)));
    }

    void fiftyMegabytePayloadCostsAtMostThreeTimesItsSize()
    {
        RedisServer server;
        QVERIFY(server.start());
        const QByteArray payload =
            "{\"blob\":\"" + QByteArray(50 * 1000 * 1000, 'p') + "\",\"marker\":\"M-7f3a\"}";
        QVERIFY(store(server, {{"HSET", "bull:big:meta", "version", "bullmq:5.0.0"},
                               {"HSET", "bull:big:1", "name", "big", "data", payload, "opts", "{}",
                                "timestamp", "1700000000000"},
                               {"HSET", "bull:big:2", "name", "small", "data", "{\"a\":1}",
                                "timestamp", "1700000000000"},
                               {"ZADD", "bull:big:failed", "1", "1", "2", "2"}}));
        const QStringList target = {QStringLiteral("--url"), url(server)};
        const MeasuredRun small =
            runQueuescopeMeasured(QStringList{QStringLiteral("job")} + target +
                                  QStringList{QStringLiteral("bullmq/big"), QStringLiteral("2"),
                                              QStringLiteral("--json")});
        QCOMPARE(small.exitCode, 0);
        const MeasuredRun big =
            runQueuescopeMeasured(QStringList{QStringLiteral("job")} + target +
                                  QStringList{QStringLiteral("bullmq/big"), QStringLiteral("1"),
                                              QStringLiteral("--json")});
        QCOMPARE(big.exitCode, 0);
        qInfo("job --json: 50 MB payload peak %lld KB, small job %lld KB", big.peakRssKb,
              small.peakRssKb);
        QVERIFY2(big.peakRssKb - small.peakRssKb <= 3 * payload.size() / 1024,
                 qPrintable(describe(big)));
        // Written once: in its section, which the field points to.
        QCOMPARE(big.out.count("M-7f3a"), 1);
        const QJsonObject json = QJsonDocument::fromJson(big.out).object();
        QCOMPARE(json.value(QStringLiteral("fields")).toObject().value(QStringLiteral("data")),
                 QJsonValue(QJsonObject{{QStringLiteral("section"), QStringLiteral("Data")}}));
        const QJsonObject data =
            json.value(QStringLiteral("sections")).toArray().first().toObject();
        QCOMPARE(data.value(QStringLiteral("title")).toString(), QStringLiteral("Data"));
        QCOMPARE(data.value(QStringLiteral("content"))
                     .toObject()
                     .value(QStringLiteral("blob"))
                     .toString()
                     .size(),
                 50 * 1000 * 1000);

        const MeasuredRun page = runQueuescopeMeasured(
            QStringList{QStringLiteral("jobs")} + target +
            QStringList{QStringLiteral("bullmq/big"), QStringLiteral("failed")});
        QCOMPARE(page.exitCode, 0);
        QVERIFY2(page.peakRssKb < kHostilePeakLimitKb, qPrintable(describe(page)));
    }

    void zlibBombInflatesOnlyToTheCap()
    {
        RedisServer server;
        QVERIFY(server.start());
        const QByteArray bomb = zlibBomb(2048); // ~2 MB that would inflate to 2 GB
        QVERIFY(bomb.size() < 4 * 1024 * 1024);
        QVERIFY(store(server, {{"HSET", "rq:job:bomb", "status", "failed", "origin", "default",
                                "description", "bomb()", "exc_info", bomb},
                               {"SADD", "rq:queues", "rq:queue:default"}}));
        for (const bool json : {false, true}) {
            QStringList args = {QStringLiteral("job"), QStringLiteral("--url"), url(server),
                                QStringLiteral("rq/default"), QStringLiteral("bomb")};
            if (json)
                args << QStringLiteral("--json");
            const MeasuredRun run = runQueuescopeMeasured(args);
            QCOMPARE(run.exitCode, 0);
            QVERIFY2(run.peakRssKb < kHostilePeakLimitKb, qPrintable(describe(run)));
            QVERIFY2(run.out.contains("inflates to more than 16.0 MB: the start is shown"),
                     qPrintable(describe(run)));
        }
    }

    void missingPasswordWithADatabaseSaysSo()
    {
        qs::test::RedisServerOptions options;
        options.password = QStringLiteral("pw");
        RedisServer server(options);
        QVERIFY(server.start());
        const MeasuredRun run =
            runQueuescopeMeasured({QStringLiteral("check"), QStringLiteral("--url"),
                                   QStringLiteral("redis://127.0.0.1:%1/3").arg(server.port())});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains("requires a password"), qPrintable(describe(run)));
        QVERIFY2(!run.err.contains("select database"), qPrintable(describe(run)));
    }

    void tlsUrlOnAPlainPortSaysSoWithinASecond()
    {
        RedisServer server;
        QVERIFY(server.start());
        const MeasuredRun run =
            runQueuescopeMeasured({QStringLiteral("check"), QStringLiteral("--url"),
                                   QStringLiteral("rediss://127.0.0.1:%1").arg(server.port())});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains("speaks plain Redis, not TLS: use redis://"),
                 qPrintable(describe(run)));
        QVERIFY2(run.elapsedMs < 3'000, qPrintable(describe(run))); // not the 10 s timeout
    }
};

QTEST_GUILESS_MAIN(TestHostileCli)
#include "tst_hostilecli.moc"
