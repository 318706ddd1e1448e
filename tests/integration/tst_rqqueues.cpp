// RQ against the real framework: tests/queues/make_rq_states.py puts jobs in every state with
// RQ's API and real `rq worker` processes; our discovery and counts must match RQ's own numbers,
// read through a user that may only read, without a single write command.

#include "queuecounting.h"

#include "frameworks/rq/rqadapter.h"

#include <QtTest>

using namespace qs;
using namespace qs::test;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3"); // Debian's: where python3-rq lives

const QList<QByteArray> kQueues{"default", "rapports-é", "with space"};

} // namespace

class TestRqQueues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!probe(kPython, {QStringLiteral("-c"), QStringLiteral("import rq, redis")}))
            QSKIP("python3-rq / python3-redis are not installed for /usr/bin/python3 "
                  "(scripts/install-deps.sh installs them)");
    }

    void countsMatchRq()
    {
        FrameworkRun run;
        QString error;
        QVERIFY2(run.start(kPython, QStringLiteral("make_rq_states.py"), {}, kQueues, &error),
                 qPrintable(error));

        auto adapter = std::make_shared<queues::RqAdapter>();
        const QList<queues::QueueRef> found = discover(*run.monitor, {adapter}, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(namesOf(found), QSet<QByteArray>(kQueues.cbegin(), kQueues.cend()));

        const CountRound ours = countAll(*run.monitor, {adapter}, found);
        QVERIFY2(ours.error.isEmpty(), qPrintable(ours.error));
        // RQ's .count deletes expired registry entries first: ask only after we have counted.
        const std::optional<QJsonObject> reply = run.fixture->request("counts");
        QVERIFY2(reply, qPrintable(run.fixture->stderrTail()));
        const QJsonObject rq = reply->value(QStringLiteral("counts")).toObject();

        for (const queues::QueueCounts &counts : ours.queues) {
            const QString name = QString::fromUtf8(counts.queue.name);
            QVERIFY2(counts.note.isEmpty(), qPrintable(counts.note));
            const QJsonObject theirs = rq.value(name).toObject();
            QVERIFY2(!theirs.isEmpty(), qPrintable(name));
            for (const auto &[state, unified] : adapter->states()) {
                Q_UNUSED(unified);
                const qint64 expected = theirs.value(state).toInteger(-1);
                QVERIFY2(expected > 0, qPrintable(name + QLatin1Char(' ') + state)); // exercised
                QCOMPARE(counts.count(state).value_or(-1), expected);
            }
            QCOMPARE(counts.workers.value_or(-1),
                     theirs.value(QStringLiteral("workers")).toInteger());

            // Oldest waiting: the enqueued_at of the job RQ runs next, as RQ itself reads it;
            // no throughput (the registries expire), said instead of a false 0.
            QVERIFY(counts.details);
            const queues::QueueDetails &details = *counts.details;
            QVERIFY2(details.note.isEmpty(), qPrintable(details.note));
            const qint64 enqueued =
                qint64(reply->value(QStringLiteral("oldest")).toObject().value(name).toDouble(-1));
            QVERIFY2(enqueued > 0, qPrintable(name));
            QVERIFY2(qAbs(details.oldestWaitingSinceMs.value_or(0) - enqueued) <= 1,
                     qPrintable(QStringLiteral("%1: ours %2, RQ's %3 (%4)")
                                    .arg(name)
                                    .arg(details.oldestWaitingSinceMs.value_or(-1))
                                    .arg(enqueued)
                                    .arg(details.oldestWaitingWhy)));
            QVERIFY(!details.completed.lastMinute && !details.completed.total);
            QVERIFY(details.completed.unknownWhy.contains(QLatin1String("RQ")));
        }
        QVERIFY2(ours.server.note.isEmpty(), qPrintable(ours.server.note));
        QCOMPARE(ours.server.workers.value_or(-1), qint64(kQueues.size())); // one per queue
        QVERIFY(!ours.server.paused);
        run.fixture->finish();

        // With every RQ process gone, a counting round must not add a single write command.
        const CommandUse used = commandsOfCounting(run.server, *run.monitor, {adapter}, found);
        QVERIFY2(used.error.isEmpty(), qPrintable(used.error));
        QVERIFY2(used.writes.isEmpty(), qPrintable(used.writes.join(QLatin1Char(' '))));
        QVERIFY2(used.grown.contains(QLatin1String("zcount")),
                 qPrintable(used.grown.join(QLatin1Char(' '))));
        QVERIFY2(used.grown.contains(QLatin1String("lindex")) &&
                     used.grown.contains(QLatin1String("hget")),
                 qPrintable(used.grown.join(QLatin1Char(' '))));

        // `rq suspend` pauses every worker of every queue: a server-wide state.
        QVERIFY(probe(kPython, {QStringLiteral("-m"), QStringLiteral("rq.cli"),
                                QStringLiteral("suspend"), QStringLiteral("--url"), run.url()}));
        QVERIFY(countAll(*run.monitor, {adapter}, found).server.paused);
    }
};

QTEST_GUILESS_MAIN(TestRqQueues)
#include "tst_rqqueues.moc"
