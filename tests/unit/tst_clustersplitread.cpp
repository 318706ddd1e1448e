// Reads over several cluster slots split per slot and joined back (redis/clustersplitread.h):
// what a cluster-mode MGET of Sidekiq's daily counters or Celery's result keys returns.
#include "redis/clusterslot.h"
#include "redis/clustersplitread.h"

#include <QTest>

using namespace qs::redis;

namespace {

RedisReply answerOf(const RedisCommand &part, const QHash<QByteArray, QByteArray> &store)
{
    if (part.first() == "EXISTS") {
        qint64 count = 0;
        for (qsizetype i = 1; i < part.size(); ++i)
            count += store.contains(part.at(i)) ? 1 : 0;
        return RedisReply::number(count);
    }
    QList<RedisReply> values;
    for (qsizetype i = 1; i < part.size(); ++i)
        values.append(store.contains(part.at(i)) ? RedisReply::bulk(store.value(part.at(i)))
                                                 : RedisReply{});
    return RedisReply::array(values);
}

} // namespace

class TestClusterSplitRead : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void eachPartHoldsTheKeysOfOneSlot()
    {
        const RedisCommand mget{"mget", "a", "b", "{a}x", "c", "b"};
        const auto split = splitCrossSlotRead(mget);
        QVERIFY(split);
        QCOMPARE(split->keyCount, 5);
        qsizetype keys = 0;
        for (qsizetype p = 0; p < split->parts.size(); ++p) {
            const RedisCommand &part = split->parts.at(p);
            QCOMPARE(part.first(), QByteArray("mget"));
            QCOMPARE(commandSlot(part) >= 0, true); // one slot: a node can run it
            QCOMPARE(split->positions.at(p).size(), part.size() - 1);
            keys += part.size() - 1;
        }
        QCOMPARE(keys, 5);
        QCOMPARE(split->parts.size(), 3); // a and {a}x share a slot, so do both b
    }

    void onlyReadsOverSeveralSlotsAreSplit()
    {
        QVERIFY(!splitCrossSlotRead({"MGET", "{t}a", "{t}b"}));
        QVERIFY(!splitCrossSlotRead({"MGET", "a"}));
        QVERIFY(!splitCrossSlotRead({"DEL", "a", "b"}));
        QVERIFY(!splitCrossSlotRead({"MSET", "a", "1", "b", "2"}));
        QVERIFY(splitCrossSlotRead({"EXISTS", "a", "b"}));
        const QList<NodeCommand> pinned{{QStringLiteral("10.0.0.1:6379"), {"MGET", "a", "b"}}};
        QVERIFY(!splitCrossSlotReads(pinned)); // a pinned command asks its node, as it is
        QVERIFY(!splitCrossSlotReads({{QString(), {"GET", "a"}}, {QString(), {"INFO"}}}));
    }

    void joinedRepliesAreWhatOneCommandWouldHaveAnswered()
    {
        const QHash<QByteArray, QByteArray> store{{"a", "1"}, {"c", "3"}, {"{a}x", "x"}};
        const QList<NodeCommand> pipeline{{QString(), {"GET", "c"}},
                                          {QString(), {"MGET", "a", "b", "{a}x", "c", "b"}},
                                          {QString(), {"EXISTS", "a", "b", "c", "a"}},
                                          {QString(), {"INFO"}}};
        const auto split = splitCrossSlotReads(pipeline);
        QVERIFY(split);
        QVERIFY(split->commands.size() > pipeline.size());
        QList<RedisReply> replies;
        for (const NodeCommand &command : split->commands)
            replies.append(command.command.first() == "GET"    ? RedisReply::bulk("3")
                           : command.command.first() == "INFO" ? RedisReply::bulk("# Server")
                                                               : answerOf(command.command, store));
        const QList<RedisReply> joined = joinSplitReplies(*split, replies);
        QCOMPARE(joined.size(), 4);
        QCOMPARE(joined.at(0).string, QByteArray("3"));
        QCOMPARE(joined.at(1),
                 RedisReply::array({RedisReply::bulk("1"), RedisReply{}, RedisReply::bulk("x"),
                                    RedisReply::bulk("3"), RedisReply{}}));
        QCOMPARE(joined.at(2).integer, qint64(3)); // a counted twice, as Redis does
        QCOMPARE(joined.at(3).string, QByteArray("# Server"));
    }

    void aFailedPartFailsTheWholeRead()
    {
        const auto split = splitCrossSlotRead({"MGET", "a", "b", "c"});
        QVERIFY(split);
        QList<RedisReply> replies;
        for (const RedisCommand &part : split->parts)
            replies.append(answerOf(part, {}));
        replies[1] = RedisReply::error("CLUSTERDOWN The cluster is down");
        QCOMPARE(joinSplitRead(*split, replies).string,
                 QByteArray("CLUSTERDOWN The cluster is down"));
        replies[1] = RedisReply::number(7); // not an array: said, not read out of bounds
        QVERIFY(joinSplitRead(*split, replies).isError());
        QVERIFY(joinSplitRead(*split, {}).isError());
    }
};

QTEST_GUILESS_MAIN(TestClusterSplitRead)
#include "tst_clustersplitread.moc"
