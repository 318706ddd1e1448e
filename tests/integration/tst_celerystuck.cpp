// Celery's stuck jobs with real `celery worker`s (tests/queues/celery_event_worker.py): a worker
// holding ETA tasks in `unacked` is killed with kill -9; once its heartbeats stop, the session's
// scan lists those deliveries as stuck (by delivery tag, the id Restore takes), the CLI's Restore
// puts them back and a new worker runs them. While a worker lives, its young deliveries are not
// stuck; the one-shot `workers` command, which heard no heartbeat, says so in a note instead.
#include "celeryworker.h"
#include "cliprocess.h"
#include "redisserver.h"
#include "workerwatch.h"

#include "monitor/workereventsources.h"

#include <QJsonArray>
#include <QtTest>

using namespace qs;
using namespace qs::test;

namespace {

QString url(const RedisServer &server)
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(server.port());
}

QStringList args(std::initializer_list<const char *> words)
{
    QStringList list;
    for (const char *word : words)
        list << QString::fromUtf8(word);
    return list;
}

// A server watched as a session watches it, Celery's event stream included.
struct CeleryWatch
{
    explicit CeleryWatch(const RedisServer &server)
        : watch(server.profile())
        , sources(watch.connection, &watch.monitor, frameworks::installationsFor({}))
    {
        watch.scanner.addEventSource(
            [this](queues::WorkerScan &scan, qint64 now) { sources.addTo(scan, now); });
    }

    QList<queues::StuckJob> celeryStuck() const
    {
        QList<queues::StuckJob> stuck;
        for (const queues::StuckJob &job : watch.scanner.latest().stuck) {
            if (job.framework == queues::Framework::Celery)
                stuck << job;
        }
        return stuck;
    }

    int liveWorkers() const
    {
        int live = 0;
        for (const queues::WorkerInfo &worker : watch.scanner.latest().workers)
            live += worker.framework == queues::Framework::Celery &&
                    worker.state != queues::WorkerState::Offline;
        return live;
    }

    // Scans (every 300 ms) until `done` holds, at most timeoutMs.
    template <typename Done> bool scanUntil(Done done, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        QString error;
        while (!deadline.hasExpired()) {
            if (watch.scan(&error) && done())
                return true;
            QTest::qWait(300);
        }
        return false;
    }

    WorkerWatch watch;
    monitor::WorkerEventSources sources;
};

QList<QByteArray> lines(const QByteArray &text)
{
    QList<QByteArray> out = text.trimmed().split('\n');
    out.removeAll(QByteArray());
    return out;
}

} // namespace

class TestCeleryStuck : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!probe(kSystemPython, {QStringLiteral("-c"), QStringLiteral("import celery, kombu")}))
            QSKIP("python3-celery is not installed for /usr/bin/python3 (scripts/install-deps.sh "
                  "installs it)");
    }

    void deadWorkersEtaTasksAreStuckAndRestoredByTag()
    {
        RedisServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        CeleryWatch celery(server);
        QVERIFY(celery.watch.connected());
        auto doomed = std::make_unique<CeleryWorker>(
            server, args({"-n", "doomed@%h", "--heartbeat-interval", "1"}));
        QVERIFY2(doomed->waitUntilReady(), qPrintable(doomed->log()));
        // Two ETA tasks: the worker takes them at once and holds them, unacknowledged, until due.
        const QString first = doomed->send(args({"later", "25"}));
        const QString second = doomed->send(args({"later", "25"}));
        QVERIFY(!first.isEmpty() && !second.isEmpty());
        QVERIFY(QTest::qWaitFor(
            [&] {
                return server.cli(args({"HLEN", "unacked"})).trimmed() == "2";
            },
            20'000));
        QList<QByteArray> tags = lines(server.cli(args({"HKEYS", "unacked"})));
        std::sort(tags.begin(), tags.end());

        // Alive: its deliveries are its own, nothing is stuck.
        QVERIFY2(celery.scanUntil([&] { return celery.liveWorkers() == 1; }, 30'000),
                 qPrintable(celery.watch.describe()));
        QVERIFY2(celery.celeryStuck().isEmpty(), qPrintable(celery.watch.describe()));

        doomed->kill();
        QVERIFY2(celery.scanUntil([&] { return celery.celeryStuck().size() == 2; }, 20'000),
                 qPrintable(celery.watch.describe()));
        QList<QByteArray> stuckIds;
        QString outcomes;
        for (const queues::StuckJob &job : celery.celeryStuck()) {
            stuckIds << job.id.toUtf8();
            outcomes += job.outcome;
            QCOMPARE(job.queue, QByteArray("celery"));
            QCOMPARE(job.reason, QStringLiteral("unacked: no live worker"));
            QVERIFY(job.sinceMs.has_value());
            QVERIFY(qAbs(QDateTime::currentMSecsSinceEpoch() - *job.sinceMs) < 120'000);
        }
        std::sort(stuckIds.begin(), stuckIds.end());
        QCOMPARE(stuckIds, tags); // the delivery tags: what Restore takes
        QVERIFY(outcomes.contains(first) && outcomes.contains(second));

        // The one-shot command heard no heartbeat: a note, no guess.
        const CliRun listed = runQueuescope(args({"workers", "--json", "--url"}) << url(server));
        QCOMPARE(listed.exitCode, 0);
        QVERIFY(listed.json().value(QStringLiteral("stuck")).toArray().isEmpty());
        QVERIFY2(listed.out.contains("2 unacked deliveries") &&
                     listed.out.contains("no heartbeat heard"),
                 listed.out.constData());

        // Restore by id through the CLI, then a new worker runs both tasks.
        QStringList restore = args({"restore", "celery/celery", "--yes", "--url"}) << url(server);
        for (const QByteArray &tag : std::as_const(stuckIds))
            restore << QStringLiteral("--job") << QString::fromUtf8(tag);
        const CliRun restored = runQueuescope(restore);
        QVERIFY2(restored.exitCode == 0, restored.err.constData());
        QCOMPARE(server.cli(args({"HLEN", "unacked"})).trimmed(), QByteArray("0"));
        QCOMPARE(server.cli(args({"LLEN", "celery"})).trimmed(), QByteArray("2"));
        QVERIFY2(celery.scanUntil([&] { return celery.celeryStuck().isEmpty(); }, 10'000),
                 qPrintable(celery.watch.describe()));
        CeleryWorker fresh(server, args({"-n", "fresh@%h"}));
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         const QString log = fresh.log();
                         return log.contains(first + QStringLiteral("] succeeded")) &&
                                log.contains(second + QStringLiteral("] succeeded"));
                     },
                     90'000),
                 qPrintable(fresh.log()));
        QCOMPARE(server.cli(args({"HLEN", "unacked"})).trimmed(), QByteArray("0"));
        QCOMPARE(server.cli(args({"LLEN", "celery"})).trimmed(), QByteArray("0"));
    }
};

QTEST_GUILESS_MAIN(TestCeleryStuck)
#include "tst_celerystuck.moc"
