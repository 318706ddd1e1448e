// Celery against the real framework: tests/queues/make_celery_states.py publishes with Celery's
// API (priorities, countdowns, a queue bound to a shared exchange) and runs a real worker that
// holds reserved messages; our discovery and counts must match kombu's and the worker's own
// numbers, read through a user that may only read, without a single write command.

#include "queuecounting.h"

#include "frameworks/celery/celeryadapter.h"

#include <QtTest>

using namespace qs;
using namespace qs::test;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3"); // Debian's: python3-celery

// The worker consumes the first queue; the second is bound to a shared exchange.
const QList<QByteArray> kQueues{"celery", "rapports-é", "with space"};

} // namespace

class TestCeleryQueues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!probe(kPython, {QStringLiteral("-c"), QStringLiteral("import celery, kombu, redis")}))
            QSKIP("python3-celery / python3-redis are not installed for /usr/bin/python3 "
                  "(scripts/install-deps.sh installs them)");
    }

    void countsMatchCelery_data()
    {
        QTest::addColumn<QByteArray>("prefix");
        QTest::newRow("no prefix") << QByteArray();
        // kombu's global_keyprefix. '?' is a glob character: our SCAN MATCH must not let it
        // match another app's prefix (a decoy below). ('[' would break Celery itself: kombu
        // PSUBSCRIBEs to its prefixed fanout channels without escaping the prefix.)
        QTest::newRow("global_keyprefix with a glob character") << QByteArray("app?:");
    }

    void countsMatchCelery()
    {
        QFETCH(QByteArray, prefix);
        QStringList options;
        if (!prefix.isEmpty())
            options << QStringLiteral("--key-prefix") << QString::fromUtf8(prefix);
        FrameworkRun run;
        QString error;
        QVERIFY2(
            run.start(kPython, QStringLiteral("make_celery_states.py"), options, kQueues, &error),
            qPrintable(error));
        const std::unique_ptr<redis::RedisConnection> admin = openConnection(run.server.profile());
        QVERIFY(admin);
        if (!prefix.isEmpty()) {
            QByteArray decoy = prefix;
            decoy.replace('?', 'X');
            QVERIFY(runCommand(*admin, {"SADD", decoy + "_kombu.binding.decoy",
                                        QByteArray("decoy\x06\x16\x06\x16"
                                                   "decoy",
                                                   14)}));
        }

        // Bindings of the worker's mailbox (celery.pidbox) and events (celeryev) exist now and
        // must not show up as queues.
        auto adapter = std::make_shared<queues::CeleryAdapter>(prefix);
        const QList<queues::QueueRef> found = discover(*run.monitor, {adapter}, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(namesOf(found), QSet<QByteArray>(kQueues.cbegin(), kQueues.cend()));
        for (const queues::QueueRef &ref : found)
            QCOMPARE(ref.prefix, prefix);

        const CountRound ours = countAll(*run.monitor, {adapter}, found);
        QVERIFY2(ours.error.isEmpty(), qPrintable(ours.error));
        const std::optional<QJsonObject> reply = run.fixture->request("counts");
        QVERIFY2(reply, qPrintable(run.fixture->stderrTail()));
        const QJsonObject celery = reply->value(QStringLiteral("counts")).toObject();

        qint64 inSubLists = 0;
        qsizetype withEta = 0;
        for (const queues::QueueCounts &counts : ours.queues) {
            const QString name = QString::fromUtf8(counts.queue.name);
            QVERIFY2(counts.note.isEmpty(), qPrintable(counts.note));
            const qint64 pending =
                celery.value(QStringLiteral("queues")).toObject().value(name).toInteger(-1);
            QVERIFY2(pending > 0, qPrintable(name));
            QCOMPARE(counts.count(QStringLiteral("pending")).value_or(-1), pending);
            const qint64 subLists = counts.count(QStringLiteral("priority sub-lists")).value_or(-1);
            QVERIFY(subLists >= 0 && subLists < pending);
            inSubLists += subLists;

            // Oldest waiting: the next message's ETA where it has one (Celery's own header),
            // else unknown with the reason, never a made-up age. No throughput is knowable.
            QVERIFY(counts.details);
            const queues::QueueDetails &details = *counts.details;
            QVERIFY2(details.note.isEmpty(), qPrintable(details.note));
            const QJsonValue eta = celery.value(QStringLiteral("eta")).toObject().value(name);
            if (eta.isNull()) {
                QVERIFY(!details.oldestWaitingSinceMs);
                QVERIFY(!details.oldestWaitingWhy.isEmpty());
            } else {
                ++withEta;
                // Microseconds: Qt rounds them to a millisecond, Python truncates.
                QVERIFY2(qAbs(details.oldestWaitingSinceMs.value_or(-1) - qint64(eta.toDouble())) <=
                             1,
                         qPrintable(name));
            }
            QVERIFY(!details.completed.lastMinute && !details.completed.total);
            QVERIFY(details.completed.unknownWhy.contains(QLatin1String("Celery")));
        }
        QVERIFY(inSubLists > 0);
        QCOMPARE(withEta, found.size() - 1); // every queue but the consumed one

        // unacked: kombu's own HLEN, and what the worker itself says it holds.
        QVERIFY2(ours.server.note.isEmpty(), qPrintable(ours.server.note));
        const qint64 reserved = ours.server.count(QStringLiteral("reserved")).value_or(-1);
        QCOMPARE(reserved, celery.value(QStringLiteral("unacked")).toInteger(-2));
        const QJsonObject inspect = celery.value(QStringLiteral("inspect")).toObject();
        QCOMPARE(reserved, inspect.value(QStringLiteral("reserved")).toInteger() +
                               inspect.value(QStringLiteral("scheduled")).toInteger());
        QVERIFY(inspect.value(QStringLiteral("reserved")).toInteger() > 0);
        QVERIFY(inspect.value(QStringLiteral("scheduled")).toInteger() > 0);
        QCOMPARE(ours.server.workers.value_or(-1),
                 celery.value(QStringLiteral("workers")).toInteger());
        QCOMPARE(ours.server.workers.value_or(-1), 1);
        run.fixture->finish();

        // With the worker gone, a counting round must not add a single write command.
        const CommandUse used = commandsOfCounting(run.server, *run.monitor, {adapter}, found);
        QVERIFY2(used.error.isEmpty(), qPrintable(used.error));
        QVERIFY2(used.writes.isEmpty(), qPrintable(used.writes.join(QLatin1Char(' '))));
        QVERIFY2(used.grown.contains(QLatin1String("llen")) &&
                     used.grown.contains(QLatin1String("hlen")),
                 qPrintable(used.grown.join(QLatin1Char(' '))));
    }
};

QTEST_GUILESS_MAIN(TestCeleryQueues)
#include "tst_celeryqueues.moc"
