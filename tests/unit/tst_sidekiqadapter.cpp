// SidekiqAdapter without Redis: namespaced keys, latency from the oldest job (malformed JSON
// included), and server-wide counts whose `busy` comes from the previous tick's identities.

#include "frameworks/sidekiq/sidekiqadapter.h"

#include <QtTest>

using namespace qs::queues;
using qs::redis::RedisCommand;
using qs::redis::RedisReply;

namespace {

constexpr qint64 kNow = 1'700'000'100'000; // ms

SidekiqAdapter adapter(const QByteArray &ns = {})
{
    return SidekiqAdapter(ns, [] { return kNow; });
}

QueueCounts countsWithOldest(const RedisReply &oldest)
{
    return adapter().parseCounts(
        {Framework::Sidekiq, {}, "q"},
        QList<RedisReply>{RedisReply::number(3), RedisReply::array({oldest})});
}

QList<RedisReply> serverReplies(QList<RedisReply> identities, QList<RedisReply> busy)
{
    QList<RedisReply> replies;
    for (qint64 n : {100, 7, 2, 3, 1, 2})
        replies.append(RedisReply::number(n));
    replies.append(RedisReply::array(identities));
    return replies + busy;
}

} // namespace

class TestSidekiqAdapter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namespacedKeys()
    {
        QCOMPARE(adapter("app").registryCommands(),
                 (QList<RedisCommand>{{"SMEMBERS", "app:queues"}}));
        QCOMPARE(adapter().registryCommands(), (QList<RedisCommand>{{"SMEMBERS", "queues"}}));
        const QList<QueueRef> queues = adapter("app").queuesFromRegistry(
            {RedisReply::array({RedisReply::bulk("default"), RedisReply::bulk("with space")})});
        QCOMPARE(queues.value(1), (QueueRef{Framework::Sidekiq, "app", "with space"}));
        QCOMPARE(adapter().countCommands(queues.value(1), 0),
                 (QList<RedisCommand>{{"LLEN", "app:queue:with space"},
                                      {"LRANGE", "app:queue:with space", "-1", "-1"}}));
    }

    void latencyFromTheOldestJob_data()
    {
        QTest::addColumn<QByteArray>("job");
        QTest::addColumn<qint64>("ageMs"); // -1: unknown
        QTest::addColumn<QString>("note");
        QTest::newRow("float seconds (Sidekiq 6)")
            << QByteArray(R"({"class":"A","enqueued_at":1700000095.5})") << qint64(4500)
            << QString();
        QTest::newRow("milliseconds (Sidekiq 7)")
            << QByteArray(R"({"class":"A","enqueued_at":1700000090000})") << qint64(10000)
            << QString();
        QTest::newRow("clock skew")
            << QByteArray(R"({"enqueued_at":1700000200.0})") << qint64(0) << QString();
        QTest::newRow("malformed JSON")
            << QByteArray(R"({"class":"A","enqueued_at":17)") << qint64(-1)
            << QStringLiteral("oldest job in queue:q is not a JSON object");
        QTest::newRow("JSON array") << QByteArray("[1,2]") << qint64(-1)
                                    << QStringLiteral("oldest job in queue:q is not a JSON object");
        QTest::newRow("no enqueued_at")
            << QByteArray(R"({"class":"A"})") << qint64(-1)
            << QStringLiteral("oldest job in queue:q has no enqueued_at");
        QTest::newRow("enqueued_at is text")
            << QByteArray(R"({"enqueued_at":"yesterday"})") << qint64(-1)
            << QStringLiteral("oldest job in queue:q has no enqueued_at");
    }

    void latencyFromTheOldestJob()
    {
        QFETCH(QByteArray, job);
        QFETCH(qint64, ageMs);
        QFETCH(QString, note);
        const QueueCounts counts = countsWithOldest(RedisReply::bulk(job));
        QCOMPARE(counts.count("enqueued"), 3); // the size survives a bad job
        QCOMPARE(counts.oldestWaitingAgeMs.value_or(-1), ageMs);
        QCOMPARE(counts.note, note);
    }

    void emptyQueueAndErrors()
    {
        const QueueRef q{Framework::Sidekiq, {}, "q"};
        QueueCounts counts = adapter().parseCounts(
            q, QList<RedisReply>{RedisReply::number(0), RedisReply::array({})});
        QCOMPARE(counts.oldestWaitingAgeMs, 0); // as Sidekiq::Queue#latency
        counts =
            adapter().parseCounts(q, QList<RedisReply>{RedisReply::error("WRONGTYPE wrong kind"),
                                                       RedisReply::error("WRONGTYPE wrong kind")});
        QVERIFY(counts.counts.isEmpty());
        QVERIFY(!counts.oldestWaitingAgeMs);
        QCOMPARE(counts.note,
                 QStringLiteral("WRONGTYPE on LLEN queue:q; WRONGTYPE on LRANGE queue:q"));
    }

    void busyComesFromThePreviousTicksIdentities()
    {
        const SidekiqAdapter a = adapter("app");
        ServerCounts previous;
        QList<RedisCommand> commands = a.serverCountCommands(0, previous);
        QCOMPARE(commands.size(), 7);
        QCOMPARE(commands.at(0), (RedisCommand{"GET", "app:stat:processed"}));
        QCOMPARE(commands.at(6), (RedisCommand{"SMEMBERS", "app:processes"}));

        // First tick: processes exist but their hashes were not read yet: busy is unknown.
        const QList<RedisReply> ids{RedisReply::bulk("host:1:aa"), RedisReply::bulk("host:2:bb")};
        previous = a.parseServerCounts(serverReplies(ids, {}));
        QVERIFY(!previous.count("busy"));
        QCOMPARE(previous.carried, (QList<QByteArray>{"host:1:aa", "host:2:bb"}));
        QCOMPARE(previous.count("processed"), 100);
        QCOMPARE(previous.count("dead"), 1);
        QCOMPARE(previous.workers, 2);

        commands = a.serverCountCommands(0, previous);
        QCOMPARE(commands.size(), 9);
        QCOMPARE(commands.at(8), (RedisCommand{"HGET", "app:host:2:bb", "busy"}));
        // A process that stopped has no hash any more: nil counts as not busy.
        const ServerCounts counts =
            a.parseServerCounts(serverReplies(ids, {RedisReply::bulk("3"), RedisReply()}));
        QCOMPARE(counts.count("busy"), 3);
        QVERIFY(counts.note.isEmpty());
        QStringList order;
        for (const auto &entry : counts.counts)
            order.append(entry.first);
        QCOMPARE(order, (QStringList{"processed", "failed", "busy", "scheduled", "retries", "dead",
                                     "processes"}));
    }

    void busyWithoutProcessesIsZero()
    {
        const ServerCounts counts = adapter().parseServerCounts(serverReplies({}, {}));
        QCOMPARE(counts.count("busy"), 0);
    }

    void busyErrorsDegrade()
    {
        const QList<RedisReply> ids{RedisReply::bulk("host:1:aa")};
        const ServerCounts counts = adapter().parseServerCounts(
            serverReplies(ids, {RedisReply::error("NOPERM this user has no permissions")}));
        QVERIFY(!counts.count("busy"));
        QCOMPARE(counts.count("processed"), 100);
        QCOMPARE(counts.note, QStringLiteral("NOPERM on HGET <process>"));
    }

    void manyProcessesAreCapped()
    {
        ServerCounts previous;
        for (int i = 0; i < SidekiqAdapter::kMaxProcesses + 5; ++i)
            previous.carried.append("host:" + QByteArray::number(i));
        QCOMPARE(adapter().serverCountCommands(0, previous).size(),
                 7 + SidekiqAdapter::kMaxProcesses);
    }
};

QTEST_GUILESS_MAIN(TestSidekiqAdapter)
#include "tst_sidekiqadapter.moc"
