// BullMQ 6, BullMQ 5 and Bull 4 queues made by the frameworks' own clients (node fixtures in
// tests/queues), then discovered and counted through our adapters on a throwaway redis-server
// and compared with each framework's own getJobCounts().
#include "bullfixture.h"
#include "queuecounting.h"

#include "frameworks/bull/bulladapter.h"
#include "frameworks/bullmq/bullmqadapter.h"

#include <QTest>

using namespace qs::queues;
using namespace qs::test;

namespace {

QByteArray infoField(const QByteArray &info, const QByteArray &name)
{
    for (const QByteArray &line : info.split('\n')) {
        if (line.startsWith(name + ':'))
            return line.mid(name.size() + 1).trimmed();
    }
    return {};
}

Adapters bullFamily(const QByteArray &prefix)
{
    return {std::make_shared<BullMqAdapter>(prefix), std::make_shared<BullAdapter>(prefix)};
}

// "framework/name" of one discovery pass, sorted.
QStringList discoverNames(qs::redis::RedisConnection &connection, const Adapters &adapters,
                          QList<QueueRef> *found, QString *error)
{
    *found = discover(connection, adapters, error);
    return qualifiedNames(*found);
}

// Our counts of one round, keyed by the queue's name.
QHash<QString, QueueCounts> countByName(qs::redis::RedisConnection &connection,
                                        const Adapters &adapters, const QList<QueueRef> &queues)
{
    QHash<QString, QueueCounts> counts;
    for (const QueueCounts &queue : countAll(connection, adapters, queues).queues)
        counts.insert(QString::fromUtf8(queue.queue.name), queue);
    return counts;
}

} // namespace

class TestBullQueues : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        const QString missing = BullFixture::missingTools();
        if (!missing.isEmpty())
            QSKIP(qPrintable(missing));
    }

    void bullMq6EveryState()
    {
        run("bull", {{"bullmq", {"emails", "reports"}, {"emails"}, {"reports"}}});
        if (QTest::currentTestFailed())
            return;
        // The workers' connections are named <prefix>:<base64(queue)>: decoded, they name them.
        QCOMPARE(m_workerQueues, (QStringList{"emails", "reports"}));
    }

    void bullMq5PausedCountsLegacyList()
    {
        run("bull", {{"bullmq5", {"legacy5"}, {"legacy5"}}}, [](const RedisServer &server) {
            // BullMQ 5's pause() RENAMEd wait to the legacy list, and later adds went there too.
            QCOMPARE(server.cli({"EXISTS", "bull:legacy5:wait"}).trimmed(), QByteArray("0"));
            QVERIFY(server.cli({"LLEN", "bull:legacy5:paused"}).trimmed().toInt() > 3);
        });
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(m_counts.value("legacy5").version, QStringLiteral("bullmq:5.47.3"));
    }

    void bull4EveryState()
    {
        run("bull", {{"bull", {"legacy", "plain"}, {"legacy"}, {"plain"}}},
            [](const RedisServer &server) {
                // Prioritized Bull jobs sit inside wait/paused; <q>:priority only indexes them.
                QVERIFY(server.cli({"ZCARD", "bull:plain:priority"}).trimmed().toInt() > 0);
                QCOMPARE(server.cli({"TYPE", "bull:legacy:meta"}).trimmed(), QByteArray("hash"));
            });
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(m_workerQueues, (QStringList{"legacy", "plain"}));
    }

    void hashTagPrefix()
    {
        run("{bull}", {{"bullmq", {"tagged"}, {}}, {"bull", {"tagged-bull"}, {"tagged-bull"}}},
            [](const RedisServer &server) {
                QCOMPARE(server.cli({"TYPE", "{bull}:tagged:meta"}).trimmed(), QByteArray("hash"));
            });
        if (QTest::currentTestFailed())
            return;
        // The default prefix sees none of them.
        QString error;
        QList<QueueRef> found;
        QVERIFY(discoverNames(*m_connection, bullFamily("bull"), &found, &error).isEmpty());
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void unicodeAndOddNames()
    {
        run("bull", {{"bullmq", {"émails-📧", "with space", "dash-and.dot"}, {"with space"}},
                     {"bull", {"bull ünï-📦", "mail:out"}, {}}});
    }

    void bullAndBullMqSideBySide()
    {
        // The traps: BullMQ's queue has a :id counter like Bull's, and the paused Bull queue
        // has a :meta hash like BullMQ's. Each queue must be reported once, by its adapter.
        run("bull",
            {{"bull", {"legacy", "classic"}, {"legacy"}},
             {"bullmq", {"modern", "fresh"}, {"modern"}}},
            [](const RedisServer &server) {
                QCOMPARE(server.cli({"TYPE", "bull:modern:id"}).trimmed(), QByteArray("string"));
                QCOMPARE(server.cli({"TYPE", "bull:legacy:meta"}).trimmed(), QByteArray("hash"));
            });
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(m_names,
                 (QStringList{"bull/classic", "bull/legacy", "bullmq/fresh", "bullmq/modern"}));
    }

    void countingSendsNoWrite();

private:
    struct Spec
    {
        QString framework; // "bullmq", "bullmq5" or "bull"
        QStringList queues;
        QStringList paused;
        QStringList metrics = {}; // queues whose worker (BullMQ) or queue (Bull) keeps metrics
    };
    using Check = std::function<void(const RedisServer &)>;
    // Starts a server and the fixtures, runs `check` on the data, discovers with both adapters,
    // counts (before asking the frameworks) and compares every state.
    void run(const QByteArray &prefix, const QList<Spec> &specs, const Check &check = {});

    std::unique_ptr<RedisServer> m_server;
    std::unique_ptr<qs::redis::RedisConnection> m_connection;
    QStringList m_names;
    QHash<QString, QueueCounts> m_counts;
    QStringList m_workerQueues; // decoded from the workers' connection names
};

void TestBullQueues::run(const QByteArray &prefix, const QList<Spec> &specs, const Check &check)
{
    m_connection.reset();
    m_server = std::make_unique<RedisServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    std::vector<std::unique_ptr<BullFixture>> fixtures;
    QStringList expected;
    for (const Spec &spec : specs) {
        fixtures.push_back(std::make_unique<BullFixture>(spec.framework, *m_server,
                                                         QString::fromUtf8(prefix), spec.queues,
                                                         spec.paused, spec.metrics));
        QVERIFY2(fixtures.back()->start(&error), qPrintable(error));
        for (const QString &queue : spec.queues)
            expected.append((spec.framework == "bull" ? "bull/" : "bullmq/") + queue);
    }
    expected.sort();
    if (check) {
        check(*m_server);
        if (QTest::currentTestFailed())
            return;
    }
    m_connection = openConnection(m_server->profile());
    QVERIFY(m_connection);
    const Adapters adapters = bullFamily(prefix);
    QList<QueueRef> found;
    m_names = discoverNames(*m_connection, adapters, &found, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(m_names, expected);

    m_workerQueues = workerQueues(*m_connection); // while the fixtures' workers run
    m_counts = countByName(*m_connection, adapters, found);
    QCOMPARE(m_counts.size(), found.size());
    for (const auto &fixture : fixtures) {
        const std::optional<QJsonObject> theirs = fixture->counts(&error);
        QVERIFY2(theirs, qPrintable(error));
        for (auto it = theirs->begin(); it != theirs->end(); ++it) {
            const QueueCounts ours = m_counts.value(it.key());
            const QString problems = compareCounts(it.key(), ours, it.value().toObject());
            QVERIFY2(problems.isEmpty(), qPrintable(problems));
            const QString detailProblems = compareDetails(
                it.key(), ours, it.value().toObject().value(QStringLiteral("details")).toObject());
            QVERIFY2(detailProblems.isEmpty(), qPrintable(detailProblems));
            if (ours.queue.framework == Framework::BullMQ && fixture->framework() == "bullmq")
                QCOMPARE(ours.version, QStringLiteral("bullmq:6.7.0"));
        }
    }
}

void TestBullQueues::countingSendsNoWrite()
{
    m_server = std::make_unique<RedisServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    {
        BullFixture bullmq("bullmq", *m_server, "bull", {"modern"}, {"modern"});
        BullFixture bull("bull", *m_server, "bull", {"legacy"}, {"legacy"});
        QVERIFY2(bullmq.start(&error), qPrintable(error));
        QVERIFY2(bull.start(&error), qPrintable(error));
    } // the frameworks' clients (workers write: locks, stalled checks) are gone from here on
    m_connection = openConnection(m_server->profile());
    QVERIFY(m_connection);
    auto info = [this](const QByteArray &section) {
        const auto outcome = qs::test::runCommand(*m_connection, {"INFO", section});
        return outcome ? outcome->reply.string : QByteArray();
    };
    QVERIFY(QTest::qWaitFor([&] { return info("clients").contains("connected_clients:1\r\n"); }));

    const QByteArray dirtyBefore = infoField(info("persistence"), "rdb_changes_since_last_save");
    QVERIFY(!dirtyBefore.isEmpty()); // Redis' count of writes ("dirty"); expiries do not count
    const Adapters adapters = bullFamily("bull");
    QList<QueueRef> found;
    QStringList names;
    qsizetype counted = 0;
    const CommandUse used = commandsUsedBy(*m_connection, [&] {
        names = discoverNames(*m_connection, adapters, &found, &error);
        counted = countByName(*m_connection, adapters, found).size();
    });
    QCOMPARE(names, (QStringList{"bull/legacy", "bullmq/modern"}));
    QCOMPARE(counted, 2);

    QCOMPARE(infoField(info("persistence"), "rdb_changes_since_last_save"), dirtyBefore);
    // Everything discovery and counting sent, plus the INFO calls of this test.
    QCOMPARE(used.grown, (QStringList{"exists", "hmget", "info", "lindex", "llen", "scan", "type",
                                      "zcard", "zcount"}));
    QVERIFY2(used.writes.isEmpty(), qPrintable(used.writes.join(QLatin1Char(' '))));
}

QTEST_GUILESS_MAIN(TestBullQueues)
#include "tst_bullqueues.moc"
