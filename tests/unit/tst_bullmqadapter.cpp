// BullMQ and Bull adapters without Redis: key parsing, confirming reads, reply parsing with
// errors. The real frameworks' layouts are checked by tests/integration/tst_bullqueues.cpp.
#include "frameworks/bull/bulladapter.h"
#include "frameworks/bullmq/bullmqadapter.h"

#include <QTest>

using namespace qs::queues;
using qs::redis::RedisReply;

namespace {

QList<QByteArray> names(const QList<QueueRef> &queues)
{
    QList<QByteArray> out;
    for (const QueueRef &queue : queues)
        out.append(queue.name);
    return out;
}

QList<RedisReply> numbers(std::initializer_list<qint64> values)
{
    QList<RedisReply> out;
    for (qint64 v : values)
        out.append(RedisReply::number(v));
    return out;
}

RedisReply meta(const char *paused, const char *version)
{
    auto field = [](const char *v) { return v ? RedisReply::bulk(v) : RedisReply{}; };
    return RedisReply::array({field(paused), field(version)});
}

} // namespace

class TestBullMqAdapter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The poller keeps a queue's detail commands and sets only the clock again on later ticks:
    // they must then be what the adapter builds for that tick (the last minute moves with it).
    void keptDetailCommandsFollowTheClock()
    {
        const BullMqAdapter bullmq("bull");
        const BullAdapter bull("bull");
        for (const QueueAdapter *adapter : {static_cast<const QueueAdapter *>(&bullmq),
                                            static_cast<const QueueAdapter *>(&bull)}) {
            const QueueRef queue{adapter->framework(), "bull", "emails"};
            const qint64 first = 1'796'000'000'000, later = first + 10'000;
            const QList<qs::redis::RedisCommand> built = adapter->detailCommands(queue, first);
            const qsizetype clocked = adapter->clockedDetailCommands();
            QList<qs::redis::RedisCommand> kept = built.mid(built.size() - clocked);
            adapter->setDetailsClock(kept, later);
            QCOMPARE(built.first(built.size() - clocked) + kept,
                     adapter->detailCommands(queue, later));
            QVERIFY(built != adapter->detailCommands(queue, later)); // the clock is in them
        }
    }

    void scanPatternsEscapeTheGlob()
    {
        const auto patterns = BullMqAdapter().scanPatterns();
        QCOMPARE(patterns.size(), 1);
        QCOMPARE(patterns.first().match, QByteArray("bull:*:meta"));
        QCOMPARE(patterns.first().type, QByteArray("hash"));
        QCOMPARE(BullMqAdapter("{bull}").scanPatterns().first().match, QByteArray("{bull}:*:meta"));
        QCOMPARE(BullMqAdapter("a*b?[c]\\").scanPatterns().first().match,
                 QByteArray("a\\*b\\?\\[c\\]\\\\:*:meta"));
        QCOMPARE(BullAdapter().scanPatterns().first().match, QByteArray("bull:*:id"));
        QCOMPARE(BullAdapter().scanPatterns().first().type, QByteArray("string"));
    }

    void queueNamesFromMetaKeys()
    {
        const QList<QueueRef> queues = BullMqAdapter().queuesFromKeys({
            "bull:emails:meta",
            "bull:emails:meta", // SCAN may return a key twice
            "bull:émails-📧:meta",
            "bull:with space:meta",
            "bull:dash-and.dot:meta",
            "bull:a:b:meta",           // ':' is not allowed in BullMQ names: other prefix / job id
            "bull:emails:repeat:meta", // a job-scheduler hash named "meta"
            "bull::meta",              // empty name
            "bull:meta",               // no name at all
            "bullx:emails:meta",       // another prefix
            "{bull}:emails:meta",      // another prefix
            "bull:emails:metadata",    // another suffix
            "bull:emails:meta:x",
        });
        QCOMPARE(names(queues),
                 (QList<QByteArray>{"emails", "émails-📧", "with space", "dash-and.dot"}));
        for (const QueueRef &queue : queues) {
            QCOMPARE(queue.framework, Framework::BullMQ);
            QCOMPARE(queue.prefix, QByteArray("bull"));
        }
    }

    void prefixesWithColonsAndHashTags()
    {
        const BullMqAdapter nested("my:app");
        QCOMPARE(names(nested.queuesFromKeys(
                     {"my:app:emails:meta", "my:app:a:b:meta", "my:emails:meta", "my:app:meta"})),
                 QList<QByteArray>{"emails"});
        const BullMqAdapter tagged("{bull}");
        QCOMPARE(names(tagged.queuesFromKeys({"{bull}:emails:meta", "bull:emails:meta"})),
                 QList<QByteArray>{"emails"});
        QCOMPARE(tagged.countCommands({Framework::BullMQ, "{bull}", "emails"}, 0).first(),
                 (qs::redis::RedisCommand{"LLEN", "{bull}:emails:wait"}));
    }

    void bullNamesMayContainColons()
    {
        const QList<QueueRef> queues = BullAdapter().queuesFromKeys(
            {"bull:emails:id", "bull:mail:out:id", "bull:id", "x:q:id"});
        QCOMPARE(names(queues), (QList<QByteArray>{"emails", "mail:out"}));
        QCOMPARE(queues.first().framework, Framework::Bull);
    }

    void bullMqConfirmRejectsBullAndForeignHashes()
    {
        const BullMqAdapter adapter;
        const QueueRef q{Framework::BullMQ, "bull", "emails"};
        const auto reads = adapter.confirmCommands(q);
        QCOMPARE(reads.size(), 2);
        QCOMPARE(reads.at(0), (qs::redis::RedisCommand{"HMGET", "bull:emails:meta", "version",
                                                       "opts.maxLenEvents"}));
        // BullMQ: version and opts.maxLenEvents (any one is enough), or an events stream.
        QVERIFY(
            adapter.confirmQueue(q, {meta("bullmq:6.7.0", "10000"), RedisReply::status("stream")}));
        QVERIFY(adapter.confirmQueue(q, {meta(nullptr, "10000"), RedisReply::status("none")}));
        QVERIFY(adapter.confirmQueue(q, {meta(nullptr, nullptr), RedisReply::status("stream")}));
        // A paused Bull queue: meta holds only "paused", no events stream.
        QVERIFY(!adapter.confirmQueue(q, {meta(nullptr, nullptr), RedisReply::status("none")}));
        // Without SCAN TYPE (Redis 5) the key may be no hash at all.
        QVERIFY(!adapter.confirmQueue(
            q,
            {RedisReply::error("WRONGTYPE Operation against a key holding the wrong kind of value"),
             RedisReply::status("none")}));
        // Refused reads: shown rather than hidden.
        QVERIFY(adapter.confirmQueue(q, {RedisReply::error("NOPERM no permissions"),
                                         RedisReply::error("NOPERM no permissions")}));
    }

    void bullConfirmLeavesBullMqQueuesAlone()
    {
        const BullAdapter adapter;
        const QueueRef q{Framework::Bull, "bull", "emails"};
        QCOMPARE(adapter.confirmCommands(q).size(), 4);
        const RedisReply string = RedisReply::status("string");
        const RedisReply none = RedisReply::status("none");
        QVERIFY(
            adapter.confirmQueue(q, {string, meta(nullptr, nullptr), none, RedisReply::number(3)}));
        // Idle Bull queue: only :id is left; still a queue.
        QVERIFY(
            adapter.confirmQueue(q, {string, meta(nullptr, nullptr), none, RedisReply::number(0)}));
        QVERIFY(!adapter.confirmQueue(
            q, {string, meta(nullptr, "10000"), none, RedisReply::number(3)}));
        QVERIFY(!adapter.confirmQueue(q, {string, meta(nullptr, nullptr),
                                          RedisReply::status("stream"), RedisReply::number(3)}));
        QVERIFY(!adapter.confirmQueue(
            q, {RedisReply::status("hash"), meta(nullptr, nullptr), none, RedisReply::number(3)}));
        // "bull:emails:de:user:id" (a BullMQ dedup key) names "emails:de:user": no state keys.
        const QueueRef nested{Framework::Bull, "bull", "emails:de:user"};
        QVERIFY(!adapter.confirmQueue(
            nested, {string, meta(nullptr, nullptr), none, RedisReply::number(0)}));
        QVERIFY(adapter.confirmQueue(
            nested, {string, meta(nullptr, nullptr), none, RedisReply::number(1)}));
        QVERIFY(!adapter.confirmQueue(q, {string})); // wrong reply count
    }

    void countsOfAPausedLegacyQueue()
    {
        const BullMqAdapter adapter;
        const QueueRef q{Framework::BullMQ, "bull", "emails"};
        const auto commands = adapter.countCommands(q, 0);
        QCOMPARE(commands.size(), 9);
        QCOMPARE(commands.at(1), (qs::redis::RedisCommand{"LLEN", "bull:emails:paused"}));
        QCOMPARE(commands.last(),
                 (qs::redis::RedisCommand{"HMGET", "bull:emails:meta", "paused", "version"}));
        QList<RedisReply> replies = numbers({2, 5, 1, 3, 4, 6, 7, 8});
        replies.append(meta("1", "bullmq:5.47.3"));
        const QueueCounts counts = adapter.parseCounts(q, replies);
        QCOMPARE(counts.queue, q);
        const QList<QPair<QString, qint64>> expected{
            {"waiting", 7},   {"active", 1}, {"delayed", 4},          {"prioritized", 3},
            {"completed", 6}, {"failed", 7}, {"waiting-children", 8},
        };
        QCOMPARE(counts.counts, expected);
        QVERIFY(counts.paused);
        QCOMPARE(counts.version, QStringLiteral("bullmq:5.47.3"));
        QVERIFY2(counts.note.isEmpty(), qPrintable(counts.note));
        QCOMPARE(adapter.states().size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i)
            QCOMPARE(adapter.states().at(i).first, expected.at(i).first);
    }

    void errorRepliesDegradeWithANote()
    {
        const BullMqAdapter adapter;
        const QueueRef q{Framework::BullMQ, "bull", "émails"};
        const RedisReply noperm =
            RedisReply::error("NOPERM User reader has no permissions to run the 'zcard' command");
        QList<RedisReply> replies = numbers({2, 0, 1});
        replies << noperm << RedisReply::number(4) << noperm << noperm << RedisReply::number(0)
                << RedisReply::error("WRONGTYPE Operation against a key holding the wrong kind");
        const QueueCounts counts = adapter.parseCounts(q, replies);
        QCOMPARE(counts.count("waiting"), 2);
        QCOMPARE(counts.count("active"), 1);
        QCOMPARE(counts.count("delayed"), 4);
        QCOMPARE(counts.count("waiting-children"), 0);
        QVERIFY(!counts.count("prioritized")); // left out, not a made-up zero
        QVERIFY(!counts.count("completed"));
        QVERIFY(!counts.count("failed"));
        QVERIFY(!counts.paused);
        QVERIFY(counts.version.isEmpty());
        QCOMPARE(counts.note, QStringLiteral("NOPERM on ZCARD bull:émails:prioritized (+2 more); "
                                             "WRONGTYPE on HMGET bull:émails:meta"));

        // Half of the waiting sum is no number either.
        replies[1] = noperm;
        QVERIFY(!adapter.parseCounts(q, replies).count("waiting"));
        // A reply of the wrong type (a proxy answering a string) is noted, not read as 0.
        replies[2] = RedisReply::bulk("1");
        const QueueCounts odd = adapter.parseCounts(q, replies);
        QVERIFY(!odd.count("active"));
        QVERIFY(odd.note.contains(QStringLiteral("unexpected reply on LLEN bull:émails:active")));
    }

    void wrongReplyCountsGiveNoNumbers()
    {
        const QueueRef q{Framework::BullMQ, "bull", "emails"};
        for (int n : {0, 8, 10}) {
            QList<RedisReply> replies;
            for (int i = 0; i < n; ++i)
                replies.append(RedisReply::number(1));
            const QueueCounts counts = BullMqAdapter().parseCounts(q, replies);
            QVERIFY(counts.counts.isEmpty());
            QVERIFY2(counts.note.contains(QStringLiteral("expected 9 replies")),
                     qPrintable(counts.note));
        }
        const QueueCounts bull = BullAdapter().parseCounts({Framework::Bull, "bull", "emails"}, {});
        QVERIFY(bull.counts.isEmpty());
        QVERIFY(bull.note.contains(QStringLiteral("expected 7 replies")));
    }

    void bullCountsFoldPausedIntoWaiting()
    {
        const BullAdapter adapter;
        const QueueRef q{Framework::Bull, "{bull}", "legacy"};
        const auto commands = adapter.countCommands(q, 0);
        QCOMPARE(commands.size(), 7);
        QCOMPARE(commands.last(), (qs::redis::RedisCommand{"EXISTS", "{bull}:legacy:meta-paused"}));
        const QueueCounts counts = adapter.parseCounts(q, numbers({0, 6, 1, 2, 3, 4, 1}));
        const QList<QPair<QString, qint64>> expected{
            {"waiting", 6}, {"active", 1}, {"delayed", 2}, {"completed", 3}, {"failed", 4},
        };
        QCOMPARE(counts.counts, expected);
        QVERIFY(counts.paused);
        QVERIFY(counts.note.isEmpty());

        QList<RedisReply> refused = numbers({1, 0, 1, 2, 3, 4});
        refused.append(RedisReply::error("NOPERM no permissions to run the 'exists' command"));
        const QueueCounts degraded = adapter.parseCounts(q, refused);
        QCOMPARE(degraded.count("waiting"), 1);
        QVERIFY(!degraded.paused);
        QCOMPARE(degraded.note, QStringLiteral("NOPERM on EXISTS {bull}:legacy:meta-paused"));
    }
};

QTEST_GUILESS_MAIN(TestBullMqAdapter)
#include "tst_bullmqadapter.moc"
