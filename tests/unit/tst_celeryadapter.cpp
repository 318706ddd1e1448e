// CeleryAdapter without Redis: binding members, filtering of Celery's own plumbing, prefix
// escaping, and counts that degrade with a note on error replies.

#include "frameworks/celery/celeryadapter.h"

#include <QtTest>

using namespace qs::queues;
using qs::redis::RedisCommand;
using qs::redis::RedisReply;

namespace {

const QByteArray kSep("\x06\x16", 2);

QByteArray member(const QByteArray &routingKey, const QByteArray &queue)
{
    return routingKey + kSep + kSep + queue;
}

QList<RedisReply> numbers(std::initializer_list<qint64> values)
{
    QList<RedisReply> replies;
    for (qint64 v : values)
        replies.append(RedisReply::number(v));
    return replies;
}

} // namespace

class TestCeleryAdapter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scanPatternEscapesThePrefix()
    {
        QCOMPARE(CeleryAdapter().scanPatterns().first().match, QByteArray("_kombu.binding.*"));
        QCOMPARE(CeleryAdapter().scanPatterns().first().type, QByteArray("set"));
        QCOMPARE(CeleryAdapter("a*b?[c]\\:").scanPatterns().first().match,
                 QByteArray("a\\*b\\?\\[c\\]\\\\:_kombu.binding.*"));
    }

    void onlyTaskExchangesAreRead()
    {
        const CeleryAdapter adapter("app:");
        const QList<RedisCommand> reads = adapter.keyReadCommands(
            {"app:_kombu.binding.celery", "app:_kombu.binding.celery.pidbox",
             "app:_kombu.binding.celeryev", "app:_kombu.binding.reply.celery.pidbox",
             "other:_kombu.binding.celery", "app:_kombu.binding.rapports-é"});
        QCOMPARE(reads, (QList<RedisCommand>{{"SMEMBERS", "app:_kombu.binding.celery"},
                                             {"SMEMBERS", "app:_kombu.binding.rapports-é"}}));
        QVERIFY(adapter.queuesFromKeys({"app:_kombu.binding.celery"}).isEmpty());
    }

    void queueFromBinding_data()
    {
        QTest::addColumn<QByteArray>("member");
        QTest::addColumn<QByteArray>("queue"); // empty: no queue
        QTest::newRow("default") << member("celery", "celery") << QByteArray("celery");
        QTest::newRow("shared exchange") << member("rk", "reports") << QByteArray("reports");
        QTest::newRow("unicode and space") << member("x", "rapports é") << QByteArray("rapports é");
        QTest::newRow("separator inside the name")
            << member("rk", "a" + kSep + "b") << QByteArray("a" + kSep + "b");
        QTest::newRow("worker mailbox") << member("", "w1@host.celery.pidbox") << QByteArray();
        QTest::newRow("event receiver") << member("worker.#", "celeryev.1f2e") << QByteArray();
        QTest::newRow("no queue") << member("rk", "") << QByteArray();
        QTest::newRow("one separator") << QByteArray("rk" + kSep + "q") << QByteArray();
        QTest::newRow("garbage") << QByteArray("celery") << QByteArray();
    }

    void queueFromBinding()
    {
        QFETCH(QByteArray, member);
        QFETCH(QByteArray, queue);
        QCOMPARE(CeleryAdapter::queueFromBinding(member).value_or(QByteArray()), queue);
    }

    void queuesFromReadsAreUniqueAndPrefixed()
    {
        const CeleryAdapter adapter("app:");
        const QList<QueueRef> queues = adapter.queuesFromKeyReads(
            {"app:_kombu.binding.a", "app:_kombu.binding.b", "app:_kombu.binding.c"},
            {RedisReply::array(
                 {RedisReply::bulk(member("a", "a")), RedisReply::bulk(member("x", "shared"))}),
             RedisReply::error("NOPERM this user has no permissions"),
             RedisReply::array({RedisReply::bulk(member("y", "shared"))})});
        QCOMPARE(queues.size(), 2);
        QCOMPARE(queues.at(0), (QueueRef{Framework::Celery, "app:", "a"}));
        QCOMPARE(queues.at(1), (QueueRef{Framework::Celery, "app:", "shared"}));
    }

    void countCommandsCoverEveryPrioritySubList()
    {
        const QList<RedisCommand> commands =
            CeleryAdapter().countCommands({Framework::Celery, "app:", "q"}, 0);
        QCOMPARE(commands.size(), 1 + CeleryAdapter::kPrioritySubLists);
        QCOMPARE(commands.first(), (RedisCommand{"LLEN", "app:q"}));
        QCOMPARE(commands.at(9), (RedisCommand{"LLEN", "app:q" + kSep + "9"}));
    }

    void countsSumTheSubLists()
    {
        const QueueRef q{Framework::Celery, {}, "q"};
        const QueueCounts counts =
            CeleryAdapter().parseCounts(q, numbers({4, 0, 0, 2, 0, 0, 1, 0, 0, 3}));
        QCOMPARE(counts.queue, q);
        QCOMPARE(counts.count("pending"), 10);
        QCOMPARE(counts.count("priority sub-lists"), 6);
        QVERIFY(counts.note.isEmpty());
        QVERIFY(!counts.workers); // workers are server-wide for Celery
    }

    void errorRepliesLeaveNoMadeUpTotal()
    {
        const QueueRef q{Framework::Celery, {}, "q"};
        QList<RedisReply> replies = numbers({4, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        replies[0] = RedisReply::error("WRONGTYPE Operation against a key holding the wrong kind");
        QueueCounts counts = CeleryAdapter().parseCounts(q, replies);
        QVERIFY(!counts.count("pending"));
        QCOMPARE(counts.count("priority sub-lists"), 0);
        QCOMPARE(counts.note, QStringLiteral("WRONGTYPE on LLEN q"));

        replies = numbers({4});
        for (int i = 1; i < 10; ++i)
            replies.append(RedisReply::error("NOPERM no permissions"));
        counts = CeleryAdapter().parseCounts(q, replies);
        QVERIFY(counts.counts.isEmpty());
        QCOMPARE(counts.note, QStringLiteral("NOPERM on LLEN q\\x06\\x161 (+8 more)"));

        counts = CeleryAdapter().parseCounts(q, numbers({4, 1}));
        QVERIFY(counts.counts.isEmpty());
        QVERIFY2(counts.note.startsWith(QLatin1String("no reply on LLEN")),
                 qPrintable(counts.note));
    }

    void serverCountsAreReportedOnce()
    {
        const CeleryAdapter adapter("app:");
        QCOMPARE(adapter.serverCountCommands(0, {}),
                 (QList<RedisCommand>{{"HLEN", "app:unacked"},
                                      {"SCARD", "app:_kombu.binding.celery.pidbox"}}));
        ServerCounts counts = adapter.parseServerCounts(numbers({5, 2}));
        QCOMPARE(counts.framework, Framework::Celery);
        QCOMPARE(counts.prefix, QByteArray("app:"));
        QCOMPARE(counts.count("reserved"), 5);
        QCOMPARE(counts.workers, 2);

        counts = adapter.parseServerCounts(QList<RedisReply>{
            RedisReply::error("NOPERM this user has no permissions"), RedisReply::number(1)});
        QVERIFY(!counts.count("reserved"));
        QCOMPARE(counts.workers, 1);
        QCOMPARE(counts.note, QStringLiteral("NOPERM on HLEN app:unacked"));
    }
};

QTEST_GUILESS_MAIN(TestCeleryAdapter)
#include "tst_celeryadapter.moc"
