// `queuescope watch` across real server restarts: a real redis-server is stopped (gracefully or
// with SIGKILL) and started again on the same port while one watch process runs. Each outage
// must print exactly one gap line when it starts and one when polls resume, nothing in between,
// and the watch must discover the queues again when it reconnects.
//
// QS_WATCH_RESTARTS=10 runs ten restarts instead of four and prints, per restart, how long the
// server was away, how long after it was back the first poll answered, and how many polls were
// missed (the numbers in the issue notes come from this).
#include "cliprocess.h"
#include "redisserver.h"
#include "watchprocess.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using qs::test::RedisServer;
using qs::test::WatchProcess;

namespace {

QString url(const RedisServer &server)
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(server.port());
}

// A Sidekiq queue: one registry member and one list.
void makeQueue(const RedisServer &server, const QString &name)
{
    server.cli({QStringLiteral("SADD"), QStringLiteral("queues"), name});
    server.cli({QStringLiteral("LPUSH"), QStringLiteral("queue:") + name,
                QStringLiteral(R"({"class":"Mailer","jid":"j1","enqueued_at":1700000000})")});
}

bool hasQueue(const QJsonObject &line, const QString &name)
{
    for (const QJsonValue &queue : line.value(QStringLiteral("queues")).toArray()) {
        if (queue.toObject().value(QStringLiteral("name")).toString() == name)
            return true;
    }
    return false;
}

// How long each restart keeps the server away, in turn.
constexpr int kAwayMs[] = {0, 1'000, 0, 3'000, 6'000, 0, 10'000, 500, 2'000, 0};

bool isGap(const QJsonObject &line, const char *which)
{
    return line.value(QStringLiteral("gap")).toString() == QLatin1String(which);
}

} // namespace

class TestWatchCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(QFile::exists(qEnvironmentVariable("QS_QUEUESCOPE_BIN"))); }

    void reconnectsAfterEveryRestart()
    {
        const int restarts = qEnvironmentVariableIsSet("QS_WATCH_RESTARTS")
                                 ? qEnvironmentVariableIntValue("QS_WATCH_RESTARTS")
                                 : 4; // away 0, 1, 0 and 3 s
        const int intervalMs = 500;
        // An append-only file, written before each reply: the server comes back with its data.
        qs::test::RedisServerOptions options;
        options.extraArgs = {QStringLiteral("--appendonly"), QStringLiteral("yes"),
                             QStringLiteral("--appendfsync"), QStringLiteral("always")};
        RedisServer server(options);
        QVERIFY(server.start());
        makeQueue(server, QStringLiteral("before"));
        WatchProcess watch({QStringLiteral("--url"), url(server), QStringLiteral("--interval"),
                            QString::number(intervalMs / 1000.0)});
        const auto first = watch.next(15'000);
        QVERIFY2(first && first->value(QStringLiteral("ok")).toBool(), watch.errors());
        QVERIFY(hasQueue(*first, QStringLiteral("before")));

        QList<qint64> resumeMs, downMs, missed;
        for (int i = 0; i < restarts; ++i) {
            // A queue the watch has not seen yet (the next periodic discovery is 30 s away): it
            // must be found when the watch reconnects.
            const QString fresh = QStringLiteral("after-%1").arg(i);
            makeQueue(server, fresh);
            // Alternate a clean shutdown and SIGKILL (no goodbye on the socket).
            if (i % 2 == 0)
                server.stop();
            else
                server.kill();
            const auto started =
                watch.until([](const QJsonObject &l) { return isGap(l, "started"); }, 15'000);
            QVERIFY2(started, "no gap line after the server went away");
            QCOMPARE(started->value(QStringLiteral("ok")).toBool(), false);
            QVERIFY(!started->value(QStringLiteral("error")).toString().isEmpty());

            // Away for a while (0 to 10 s, into the 5 s backoff ceiling): not a line meanwhile.
            const int awayMs = kAwayMs[i % std::size(kAwayMs)];
            QVERIFY2(!watch.next(awayMs), "a line while the server was away");
            QString error;
            QVERIFY2(server.restart(&error), qPrintable(error));
            QElapsedTimer back;
            back.start();

            // Nothing but the end of the gap comes next: no error line per tick meanwhile.
            const auto ended = watch.next(15'000);
            QVERIFY2(ended, "no line after the server came back");
            QVERIFY2(isGap(*ended, "ended"), ended ? QJsonDocument(*ended).toJson() : "");
            QCOMPARE(ended->value(QStringLiteral("ok")).toBool(), true);
            resumeMs.append(back.elapsed());
            downMs.append(ended->value(QStringLiteral("downMs")).toInteger());
            missed.append(ended->value(QStringLiteral("missedPolls")).toInteger());
            QVERIFY(ended->value(QStringLiteral("reconnectAttempts")).toInteger() >= 1);

            // Polls resume, and the queue made before the restart is found.
            const auto found = watch.until(
                [&](const QJsonObject &l) {
                    return !l.value(QStringLiteral("ok")).toBool() || hasQueue(l, fresh);
                },
                15'000);
            QVERIFY2(found && found->value(QStringLiteral("ok")).toBool(),
                     "the restarted server's queue was not found");
            qInfo("restart %d: away %d ms, down %lld ms, first poll %lld ms after the server was "
                  "back, %lld poll(s) missed",
                  i + 1, awayMs, downMs.last(), resumeMs.last(), missed.last());
            // Within the backoff (the longest pause between attempts is 5 s) plus one poll.
            QVERIFY2(resumeMs.last() <= 5'000 + intervalMs,
                     qPrintable(QString::number(resumeMs.last())));
        }
        const auto failed =
            std::count_if(watch.lines().cbegin(), watch.lines().cend(),
                          [](const QByteArray &line) { return line.contains("\"ok\":false"); });
        QCOMPARE(failed, qsizetype(restarts)); // one line per outage, no flood
        std::sort(resumeMs.begin(), resumeMs.end());
        qInfo("%d restarts: resumed after a median %lld ms (max %lld ms); %lld polls missed in "
              "all (interval %d ms)",
              restarts, resumeMs.at(resumeMs.size() / 2), resumeMs.last(),
              std::accumulate(missed.cbegin(), missed.cend(), 0LL), intervalMs);
    }

    void exitOnErrorStopsAtTheFirstFailedPoll()
    {
        RedisServer server;
        QVERIFY(server.start());
        WatchProcess watch({QStringLiteral("--url"), url(server), QStringLiteral("--interval"),
                            QStringLiteral("0.2"), QStringLiteral("--exit-on-error")});
        QVERIFY(watch.next(15'000));
        server.kill();
        const auto failed = watch.until(
            [](const QJsonObject &l) { return !l.value(QStringLiteral("ok")).toBool(); }, 15'000);
        QVERIFY(failed);
        QCOMPARE(failed->value(QStringLiteral("code")).toString(),
                 QStringLiteral("connection-lost"));
        QVERIFY(qs::test::finishes(watch.process(), 10'000));
        QCOMPARE(watch.process().exitCode(), 3);
        QVERIFY(!watch.next(0)); // nothing after the failed poll
    }

    // Each queue's "workers" is what the worker scans see alive, not what a registry still lists:
    // an RQ worker that died without cleaning up stays in rq:workers:<queue>.
    void queuesCountLiveWorkersNotRegisteredOnes()
    {
        RedisServer server;
        QVERIFY(server.start());
        for (const QStringList &command :
             {QStringList{"SADD", "rq:queues", "rq:queue:mail"},
              QStringList{"RPUSH", "rq:queue:mail", "job-1"},
              QStringList{"SADD", "rq:workers", "rq:worker:ghost"},
              QStringList{"SADD", "rq:workers:mail", "rq:worker:ghost"}})
            server.cli(command);
        WatchProcess watch({QStringLiteral("--url"), url(server), QStringLiteral("--interval"),
                            QStringLiteral("0.2")});
        auto workersOfMail = [](const QJsonObject &line) {
            for (const QJsonValue &queue : line.value(QStringLiteral("queues")).toArray()) {
                if (queue.toObject().value(QStringLiteral("name")).toString() == "mail")
                    return queue.toObject().value(QStringLiteral("workers"));
            }
            return QJsonValue(QJsonValue::Undefined);
        };
        const auto scanned = watch.until(
            [&](const QJsonObject &line) { return workersOfMail(line).isDouble(); }, 20'000);
        QVERIFY2(scanned, watch.errors().constData());
        QCOMPARE(workersOfMail(*scanned).toInt(), 0);
        for (const QByteArray &line : watch.lines()) // before the first scan: null, never 1
            QVERIFY2(!workersOfMail(QJsonDocument::fromJson(line).object()).isDouble() ||
                         workersOfMail(QJsonDocument::fromJson(line).object()).toInt() == 0,
                     line.constData());
    }

    void countEndsAWatchThatHadAGap()
    {
        RedisServer server;
        QVERIFY(server.start());
        WatchProcess watch({QStringLiteral("--url"), url(server), QStringLiteral("--interval"),
                            QStringLiteral("0.2"), QStringLiteral("--count"), QStringLiteral("4")});
        QVERIFY(watch.next(15'000));
        server.kill();
        QVERIFY(watch.until([](const QJsonObject &l) { return isGap(l, "started"); }, 15'000));
        QVERIFY(server.restart());
        QVERIFY(watch.until([](const QJsonObject &l) { return isGap(l, "ended"); }, 15'000));
        QVERIFY(qs::test::finishes(watch.process(), 15'000));
        while (watch.next(0)) {
        }
        QCOMPARE(watch.lines().size(), 4);
        QCOMPARE(watch.process().exitCode(), 1); // a poll failed along the way
    }

    // A failover between two polls (the replica promoted, the watched master made its replica)
    // is a line of its own; the watch goes on.
    void printsAFailover()
    {
        RedisServer master;
        QVERIFY(master.start());
        qs::test::RedisServerOptions options;
        options.extraArgs = {QStringLiteral("--replicaof"), master.host(),
                             QString::number(master.port())};
        RedisServer replica(options);
        QVERIFY(replica.start());
        WatchProcess watch({QStringLiteral("--url"), url(master), QStringLiteral("--interval"),
                            QStringLiteral("0.2")});
        QVERIFY2(watch.next(15'000), watch.errors());
        replica.cli({QStringLiteral("REPLICAOF"), QStringLiteral("NO"), QStringLiteral("ONE")});
        master.cli({QStringLiteral("REPLICAOF"), replica.host(), QString::number(replica.port())});
        const auto change = watch.until(
            [](const QJsonObject &l) { return l.contains(QStringLiteral("topologyChange")); },
            15'000);
        QVERIFY2(change, watch.lines().join('\n'));
        QCOMPARE(change->value(QStringLiteral("failover")).toBool(), true);
        QCOMPARE(change->value(QStringLiteral("topologyChange")).toString(),
                 QStringLiteral("failover: 127.0.0.1:%1 is a replica now of 127.0.0.1:%2")
                     .arg(master.port())
                     .arg(replica.port()));
        const auto next = watch.next(5'000);
        QVERIFY(next && next->value(QStringLiteral("ok")).toBool());
    }
};

QTEST_GUILESS_MAIN(TestWatchCommand)
#include "tst_watchcommand.moc"
