// RqAdapter without Redis: the registry, read-only live counts of expiry-scored registries,
// and error replies that degrade with a note.

#include "frameworks/rq/rqadapter.h"

#include <QtTest>

using namespace qs::queues;
using qs::redis::RedisCommand;
using qs::redis::RedisReply;

class TestRqAdapter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void registryNamesTheQueues()
    {
        const RqAdapter adapter;
        QCOMPARE(adapter.registryCommands(), (QList<RedisCommand>{{"SMEMBERS", "rq:queues"}}));
        QVERIFY(adapter.scanPatterns().isEmpty());
        const QList<QueueRef> queues = adapter.queuesFromRegistry({RedisReply::array(
            {RedisReply::bulk("rq:queue:default"), RedisReply::bulk("rq:queue:rapports-é"),
             RedisReply::bulk("rq:queue:with space"), RedisReply::bulk("not-a-queue-key")})});
        QCOMPARE(queues.size(), 3);
        QCOMPARE(queues.at(0), (QueueRef{Framework::RQ, "rq", "default"}));
        QCOMPARE(queues.at(1).name, QByteArray("rapports-é"));
        QCOMPARE(queues.at(2).name, QByteArray("with space"));
        QVERIFY(adapter.queuesFromRegistry({RedisReply::error("NOPERM no")}).isEmpty());
        QVERIFY(adapter.queuesFromRegistry({}).isEmpty());
    }

    void countCommandsNeverWrite()
    {
        // RQ's own .count runs ZREMRANGEBYSCORE 0 now first; we count scores above now instead.
        const QList<RedisCommand> commands =
            RqAdapter().countCommands(RqAdapter::queue("q"), 1'700'000'000'999);
        const QList<RedisCommand> expected{
            {"LLEN", "rq:queue:q"},
            {"ZCOUNT", "rq:wip:q", "(1700000000", "+inf"},
            {"ZCARD", "rq:deferred:q"},
            {"ZCARD", "rq:scheduled:q"},
            {"ZCOUNT", "rq:finished:q", "(1700000000", "+inf"},
            {"ZCOUNT", "rq:failed:q", "(1700000000", "+inf"},
            {"ZCARD", "rq:canceled:q"},
            {"SCARD", "rq:workers:q"},
        };
        QCOMPARE(commands, expected);
    }

    void countsInRqOrder()
    {
        QList<RedisReply> replies;
        for (qint64 n : {5, 1, 2, 3, 40, 6, 7, 2})
            replies.append(RedisReply::number(n));
        const RqAdapter adapter;
        const QueueCounts counts = adapter.parseCounts(RqAdapter::queue("q"), replies);
        QVERIFY(counts.note.isEmpty());
        QStringList names;
        for (const auto &entry : counts.counts)
            names.append(entry.first);
        QStringList stateNames;
        for (const auto &state : adapter.states())
            stateNames.append(state.first);
        QCOMPARE(names, stateNames);
        QCOMPARE(names, (QStringList{"queued", "started", "deferred", "scheduled", "finished",
                                     "failed", "canceled"}));
        QCOMPARE(counts.count("queued"), 5);
        QCOMPARE(counts.count("finished"), 40);
        QCOMPARE(counts.count("canceled"), 7);
        QCOMPARE(counts.workers, 2);
    }

    void errorRepliesDegradeWithANote()
    {
        QList<RedisReply> replies;
        for (qint64 n : {5, 1, 2, 3, 40, 6, 7, 2})
            replies.append(RedisReply::number(n));
        replies[4] = RedisReply::error("WRONGTYPE Operation against a key holding the wrong kind");
        replies[7] = RedisReply::error("NOPERM this user has no permissions to run 'scard'");
        const QueueCounts counts = RqAdapter().parseCounts(RqAdapter::queue("q"), replies);
        QVERIFY(!counts.count("finished"));
        QCOMPARE(counts.count("failed"), 6);
        QVERIFY(!counts.workers);
        QCOMPARE(counts.note,
                 QStringLiteral("WRONGTYPE on ZCOUNT rq:finished:q; NOPERM on SCARD rq:workers:q"));
    }

    void suspensionIsServerWide()
    {
        const RqAdapter adapter;
        QCOMPARE(adapter.serverCountCommands(0, {}),
                 (QList<RedisCommand>{{"EXISTS", "rq:suspended"}, {"SCARD", "rq:workers"}}));
        ServerCounts counts = adapter.parseServerCounts(
            QList<RedisReply>{RedisReply::number(1), RedisReply::number(3)});
        QVERIFY(counts.paused);
        QCOMPARE(counts.workers, 3);
        QCOMPARE(counts.framework, Framework::RQ);
        counts = adapter.parseServerCounts(
            QList<RedisReply>{RedisReply::number(0), RedisReply::error("ERR x")});
        QVERIFY(!counts.paused);
        QVERIFY(!counts.workers);
        QCOMPARE(counts.note, QStringLiteral("ERR on SCARD rq:workers"));
    }
};

QTEST_GUILESS_MAIN(TestRqAdapter)
#include "tst_rqadapter.moc"
