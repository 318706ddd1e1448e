// Black-box tests of `queuescope queues` and `queuescope watch` (and check's queueStats): the
// real binary against a real redis-server holding queues in the frameworks' key layouts.
#include "cliprocess.h"
#include "redisserver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTest>

using qs::test::RedisServer;

namespace {

QString url(const RedisServer &server)
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(server.port());
}

void makeQueues(const RedisServer &server)
{
    auto cli = [&](const QStringList &args) { server.cli(args); };
    cli({QStringLiteral("HSET"), QStringLiteral("bull:emails:meta"), QStringLiteral("version"),
         QStringLiteral("bullmq:6.7.0"), QStringLiteral("opts.maxLenEvents"),
         QStringLiteral("10000")});
    cli({QStringLiteral("LPUSH"), QStringLiteral("bull:emails:wait"), QStringLiteral("1"),
         QStringLiteral("2")});
    cli({QStringLiteral("ZADD"), QStringLiteral("bull:emails:failed"), QStringLiteral("1"),
         QStringLiteral("3")});
    // Job 1, at the tail of wait, is the oldest waiting job: created 30 s ago.
    cli({QStringLiteral("HSET"), QStringLiteral("bull:emails:1"), QStringLiteral("timestamp"),
         QString::number(QDateTime::currentMSecsSinceEpoch() - 30'000)});
    cli({QStringLiteral("SADD"), QStringLiteral("rq:queues"),
         QStringLiteral("rq:queue:rapports-é")});
    cli({QStringLiteral("RPUSH"), QStringLiteral("rq:queue:rapports-é"), QStringLiteral("a"),
         QStringLiteral("b"), QStringLiteral("c")});
    cli({QStringLiteral("SADD"), QStringLiteral("queues"), QStringLiteral("mailers")});
    const QString job = QStringLiteral(R"({"class":"Mailer","jid":"j1","enqueued_at":%1})")
                            .arg(QDateTime::currentSecsSinceEpoch());
    cli({QStringLiteral("LPUSH"), QStringLiteral("queue:mailers"), job});
}

QJsonObject findQueue(const QJsonArray &queues, const QString &framework, const QString &name)
{
    for (const QJsonValue &value : queues) {
        const QJsonObject queue = value.toObject();
        if (queue.value(QStringLiteral("framework")).toString() == framework &&
            queue.value(QStringLiteral("name")).toString() == name)
            return queue;
    }
    return {};
}

} // namespace

class TestQueuesCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void queuesJsonListsEveryFramework()
    {
        RedisServer server;
        QVERIFY(server.start());
        makeQueues(server);
        const auto run = qs::test::runQueuescope({QStringLiteral("queues"), QStringLiteral("--url"),
                                                  url(server), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QJsonArray queues = run.json().value(QStringLiteral("queues")).toArray();
        QCOMPARE(queues.size(), 3);
        const QJsonObject emails =
            findQueue(queues, QStringLiteral("bullmq"), QStringLiteral("emails"));
        QCOMPARE(emails.value(QStringLiteral("prefix")).toString(), QStringLiteral("bull"));
        QCOMPARE(emails.value(QStringLiteral("paused")).toBool(), false);
        const QJsonObject counts = emails.value(QStringLiteral("counts")).toObject();
        QCOMPARE(counts.value(QStringLiteral("waiting")).toInt(), 2);
        QCOMPARE(counts.value(QStringLiteral("failed")).toInt(), 1);
        const QJsonObject rq =
            findQueue(queues, QStringLiteral("rq"), QStringLiteral("rapports-é"));
        QCOMPARE(
            rq.value(QStringLiteral("counts")).toObject().value(QStringLiteral("queued")).toInt(),
            3);
        const QJsonObject sidekiq =
            findQueue(queues, QStringLiteral("sidekiq"), QStringLiteral("mailers"));
        QCOMPARE(sidekiq.value(QStringLiteral("counts"))
                     .toObject()
                     .value(QStringLiteral("enqueued"))
                     .toInt(),
                 1);
        const double oldestMs = emails.value(QStringLiteral("oldestWaitingAgeMs")).toDouble(-1);
        QVERIFY2(oldestMs >= 30'000 && oldestMs < 90'000, qPrintable(QString::number(oldestMs)));
        // The counts are one round trip; the oldest waiting jobs' hashes, named by ids read in
        // it, a second one (a queue's first poll, then every 10 s).
        QCOMPARE(run.json()
                     .value(QStringLiteral("cost"))
                     .toObject()
                     .value(QStringLiteral("roundTrips"))
                     .toInt(),
                 2);

        const auto human = qs::test::runQueuescope(
            {QStringLiteral("queues"), QStringLiteral("--url"), url(server)});
        QCOMPARE(human.exitCode, 0);
        QVERIFY2(human.out.contains("rapports-\xc3\xa9") && human.out.contains("waiting 2"),
                 human.out);
    }

    void watchPrintsOneLinePerPoll()
    {
        RedisServer server;
        QVERIFY(server.start());
        makeQueues(server);
        const auto run =
            qs::test::runQueuescope({QStringLiteral("watch"), QStringLiteral("--url"), url(server),
                                     QStringLiteral("--interval"), QStringLiteral("0.2"),
                                     QStringLiteral("--count"), QStringLiteral("3")});
        QCOMPARE(run.exitCode, 0);
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        for (const QByteArray &line : lines) {
            const QJsonObject poll = QJsonDocument::fromJson(line).object();
            QCOMPARE(poll.value(QStringLiteral("ok")).toBool(), true);
            QCOMPARE(poll.value(QStringLiteral("queues")).toArray().size(), 3);
            const QJsonObject cost = poll.value(QStringLiteral("cost")).toObject();
            // One round trip; two on the polls that read the queues' details (the first with
            // queues, then every 10 s).
            const int trips = cost.value(QStringLiteral("roundTrips")).toInt();
            QVERIFY2(trips == 1 || (trips == 2 && &line == &lines.first()), line.constData());
            QVERIFY(cost.value(QStringLiteral("commands")).toInt() > 10);
            QVERIFY(poll.value(QStringLiteral("metrics"))
                        .toObject()
                        .contains(QStringLiteral("usedMemory")));
        }
        // Rates need two polls: the third line has an ops/sec value.
        QVERIFY(QJsonDocument::fromJson(lines.last())
                    .object()
                    .value(QStringLiteral("metrics"))
                    .toObject()
                    .value(QStringLiteral("opsPerSec"))
                    .isDouble());
    }

    void checkTotalsQueueStats()
    {
        RedisServer server;
        QVERIFY(server.start());
        makeQueues(server);
        const auto run = qs::test::runQueuescope({QStringLiteral("check"), QStringLiteral("--url"),
                                                  url(server), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject stats = run.json().value(QStringLiteral("queueStats")).toObject();
        QCOMPARE(stats.value(QStringLiteral("queues")).toInt(), 3);
        QCOMPARE(stats.value(QStringLiteral("waiting")).toInt(), 2 + 3 + 1);
        QCOMPARE(stats.value(QStringLiteral("failed")).toInt(), 1);
    }

    void usageErrors()
    {
        QCOMPARE(qs::test::runQueuescope({QStringLiteral("watch"), QStringLiteral("--interval"),
                                          QStringLiteral("0.01")})
                     .exitCode,
                 2);
        QCOMPARE(qs::test::runQueuescope(
                     {QStringLiteral("watch"), QStringLiteral("--count"), QStringLiteral("0")})
                     .exitCode,
                 2);
        QCOMPARE(
            qs::test::runQueuescope({QStringLiteral("queues"), QStringLiteral("extra")}).exitCode,
            2);
    }
};

QTEST_GUILESS_MAIN(TestQueuesCommand)
#include "tst_queuescommand.moc"
