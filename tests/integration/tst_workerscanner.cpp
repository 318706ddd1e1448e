// Workers of real BullMQ 6 and 5, Bull 4, Sidekiq and RQ processes (tests/queues/bull-workers.mjs,
// sidekiq_workers.rb, rq_workers.py, with locks and heartbeats cut to seconds) read by the
// WorkerScanner as a session runs it: listed with their queues (and BullMQ worker name), busy
// with the job they run, quiet / suspended when told, offline after kill -9 with the job they
// held listed as stalled / lost / abandoned; every scan within 3 round trips and read-only.

#include "frameworkfixture.h"
#include "queuecounting.h"
#include "redisserver.h"
#include "workerwatch.h"

#include <QtTest>

using namespace qs;
using namespace qs::test;
using queues::Framework;
using queues::WorkerState;

namespace {

const QString kRuby = QStringLiteral("ruby");
const QString kPython = QStringLiteral("/usr/bin/python3");
const QString kNode = QStringLiteral("node");

// Scans until `done` holds (each scan re-reads everything), at most timeoutMs.
template <typename Done> bool scanUntil(WorkerWatch &watch, Done done, int timeoutMs = 20'000)
{
    QDeadlineTimer deadline(timeoutMs);
    QString error;
    while (!deadline.hasExpired()) {
        if (watch.scan(&error) && done())
            return true;
        QTest::qWait(250);
    }
    return false;
}

} // namespace

class TestWorkerScanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bullFamilyWorker_data()
    {
        QTest::addColumn<QString>("module");
        QTest::addColumn<int>("framework");
        QTest::newRow("BullMQ 6") << QStringLiteral("bullmq") << int(Framework::BullMQ);
        QTest::newRow("BullMQ 5") << QStringLiteral("bullmq5") << int(Framework::BullMQ);
        QTest::newRow("Bull 4") << QStringLiteral("bull") << int(Framework::Bull);
    }

    void bullFamilyWorker()
    {
        QFETCH(QString, module);
        QFETCH(int, framework);
        if (!QFile::exists(sourcePath(QStringLiteral("tests/queues/node_modules/bullmq"))))
            QSKIP("tests/queues/node_modules is not installed (scripts/install-deps.sh)");
        RedisServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString queue = QStringLiteral("mails-") + module;
        const QString name = QStringLiteral("mailer-") + module;
        const bool bullmq = Framework(framework) == Framework::BullMQ;
        FrameworkFixture fixture(
            kNode,
            {sourcePath(QStringLiteral("tests/queues/bull-workers.mjs")), QStringLiteral("--redis"),
             QStringLiteral("redis://127.0.0.1:%1").arg(server.port()), QStringLiteral("--module"),
             module, QStringLiteral("--queue"), queue, QStringLiteral("--name"), name});
        QVERIFY2(fixture.start(&error, 60'000), qPrintable(error));
        WorkerWatch watch(server.profile());
        QVERIFY(watch.connected());

        const auto worker = [&]() -> const queues::WorkerInfo * {
            for (const queues::WorkerInfo &found : watch.scanner.latest().workers) {
                if (found.framework == Framework(framework))
                    return &found;
            }
            return nullptr;
        };
        QVERIFY2(watch.scan(&error), qPrintable(error));
        QVERIFY2(worker(), qPrintable(watch.describe()));
        QCOMPARE(worker()->queues, QList<QByteArray>{queue.toUtf8()});
        QCOMPARE(worker()->state, WorkerState::Idle);
        QCOMPARE(worker()->name, bullmq ? name : worker()->id); // Bull workers have no name
        QVERIFY(worker()->host.startsWith(QLatin1String("127.0.0.1")));
        QVERIFY(watch.scanner.latest().roundTrips <= monitor::WorkerScanner::kMaxRoundTrips);
        const QString id = worker()->id;

        const std::optional<QJsonObject> slow = fixture.request("slow");
        QVERIFY2(slow, qPrintable(fixture.stderrTail()));
        const QString job = slow->value(QStringLiteral("job")).toString();
        QVERIFY2(watch.scan(&error), qPrintable(error));
        QCOMPARE(worker()->state, WorkerState::Busy);
        QCOMPARE(worker()->busy, std::optional<int>(1));
        QCOMPARE(worker()->currentJobs, (QList<queues::WorkerJob>{{queue.toUtf8(), job}}));
        QCOMPARE(watch.scanner.liveWorkers({Framework(framework), "bull", queue.toUtf8()}),
                 std::optional<int>(1));

        // kill -9: its connection is gone at once (offline), its job's lock expires in 2 s
        // (30 s by default): stalled, and nobody left to run the stalled check.
        QVERIFY(fixture.request("kill"));
        QVERIFY2(scanUntil(watch,
                           [&] {
                               const auto *gone = watch.worker(Framework(framework), id);
                               return gone && gone->state == WorkerState::Offline &&
                                      watch.stuck(Framework(framework), job);
                           }),
                 qPrintable(watch.describe()));
        const queues::StuckJob *stalled = watch.stuck(Framework(framework), job);
        QCOMPARE(stalled->queue, queue.toUtf8());
        QVERIFY(stalled->reason.startsWith(QLatin1String("stalled")));
        QVERIFY(stalled->outcome.contains(QLatin1String("until a worker")));
        QCOMPARE(watch.scanner.liveWorkers({Framework(framework), "bull", queue.toUtf8()}),
                 std::optional<int>(0));
    }

    void rqWorker()
    {
        if (!probe(kPython, {QStringLiteral("-c"), QStringLiteral("import rq")}))
            QSKIP("python3-rq is not installed (scripts/install-deps.sh installs it)");
        RedisServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString url = QStringLiteral("redis://127.0.0.1:%1/0").arg(server.port());
        FrameworkFixture fixture(kPython, {sourcePath(QStringLiteral("tests/queues/rq_workers.py")),
                                           QStringLiteral("--url"), url, QStringLiteral("--queue"),
                                           QStringLiteral("rapports-é"), QStringLiteral("--name"),
                                           QStringLiteral("w-1")});
        QVERIFY2(fixture.start(&error, 60'000), qPrintable(error));
        WorkerWatch watch(server.profile());
        QVERIFY(watch.connected());

        // Listed, idle, with its queue, pid and host.
        QVERIFY2(watch.scan(&error), qPrintable(error));
        const queues::WorkerInfo *worker = watch.worker(Framework::RQ, QStringLiteral("w-1"));
        QVERIFY2(worker, qPrintable(watch.describe()));
        QCOMPARE(worker->state, WorkerState::Idle);
        QCOMPARE(worker->queues, QList<QByteArray>{QByteArray("rapports-é")});
        QVERIFY(worker->pid.has_value() && *worker->pid > 0);
        QVERIFY(!worker->host.isEmpty());
        QVERIFY(watch.scanner.latest().roundTrips <= monitor::WorkerScanner::kMaxRoundTrips);

        // `rq suspend`: suspended; `rq resume`: idle again.
        QVERIFY(fixture.request("suspend"));
        QVERIFY2(watch.scan(&error), qPrintable(error));
        QCOMPARE(watch.worker(Framework::RQ, QStringLiteral("w-1"))->state, WorkerState::Suspended);
        QVERIFY(fixture.request("resume"));
        QVERIFY2(watch.scan(&error), qPrintable(error));
        QCOMPARE(watch.worker(Framework::RQ, QStringLiteral("w-1"))->state, WorkerState::Idle);

        // A slow job: the worker is busy with it.
        const std::optional<QJsonObject> slow = fixture.request("slow");
        QVERIFY2(slow, qPrintable(fixture.stderrTail()));
        const QString job = slow->value(QStringLiteral("job")).toString();
        QVERIFY2(watch.scan(&error), qPrintable(error));
        worker = watch.worker(Framework::RQ, QStringLiteral("w-1"));
        QCOMPARE(worker->state, WorkerState::Busy);
        QCOMPARE(worker->currentJobs, (QList<queues::WorkerJob>{{QByteArray("rapports-é"), job}}));
        QVERIFY(!watch.stuck(Framework::RQ, job)); // its worker keeps its registry entry fresh

        // kill -9: offline when its hash expires, the job abandoned once its entry expired.
        QVERIFY(fixture.request("kill"));
        QVERIFY2(scanUntil(watch,
                           [&] {
                               const auto *w = watch.worker(Framework::RQ, QStringLiteral("w-1"));
                               return w && w->state == WorkerState::Offline &&
                                      watch.stuck(Framework::RQ, job);
                           }),
                 qPrintable(watch.describe()));
        const queues::StuckJob *stuck = watch.stuck(Framework::RQ, job);
        QCOMPARE(stuck->queue, QByteArray("rapports-é"));
        QVERIFY(stuck->reason.startsWith(QLatin1String("abandoned")));
        QVERIFY(stuck->sinceMs.has_value());
        QVERIFY(qAbs(*stuck->sinceMs - QDateTime::currentMSecsSinceEpoch()) < 60'000);

        // With every RQ process gone, a scan (and the discovery before it) writes nothing.
        bool scanned = false;
        const CommandUse use =
            commandsUsedBy(watch.connection, [&] { scanned = watch.scan(&error); });
        QVERIFY2(scanned && use.error.isEmpty(), qPrintable(error + use.error));
        QVERIFY2(use.writes.isEmpty(), qPrintable(use.writes.join(QLatin1Char(' '))));
        QVERIFY2(use.grown.contains(QLatin1String("zrangebyscore")) &&
                     use.grown.contains(QLatin1String("hgetall")),
                 qPrintable(use.grown.join(QLatin1Char(' '))));
    }

    void sidekiqProcess()
    {
        if (!probe(kRuby, {QStringLiteral("-e"), QStringLiteral("require 'sidekiq/api'")}))
            QSKIP("ruby-sidekiq is not installed (scripts/install-deps.sh installs it)");
        RedisServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString url = QStringLiteral("redis://127.0.0.1:%1/0").arg(server.port());
        FrameworkFixture fixture(kRuby,
                                 {sourcePath(QStringLiteral("tests/queues/sidekiq_workers.rb")),
                                  QStringLiteral("--url"), url, QStringLiteral("--queue"),
                                  QStringLiteral("mailers")});
        QVERIFY2(fixture.start(&error, 60'000), qPrintable(error));
        WorkerWatch watch(server.profile());
        QVERIFY(watch.connected());

        const auto process = [&watch]() -> const queues::WorkerInfo * {
            for (const queues::WorkerInfo &worker : watch.scanner.latest().workers) {
                if (worker.framework == Framework::Sidekiq)
                    return &worker;
            }
            return nullptr;
        };
        QVERIFY2(watch.scan(&error), qPrintable(error));
        QVERIFY2(process(), qPrintable(watch.describe()));
        QCOMPARE(process()->state, WorkerState::Idle);
        QCOMPARE(process()->queues, QList<QByteArray>{QByteArray("mailers")});
        QCOMPARE(process()->concurrency, std::optional<int>(2));
        QVERIFY(process()->pid.has_value());
        const QString identity = process()->id;

        const std::optional<QJsonObject> slow = fixture.request("slow");
        QVERIFY2(slow, qPrintable(fixture.stderrTail()));
        const QString jid = slow->value(QStringLiteral("jid")).toString();
        QVERIFY2(watch.scan(&error), qPrintable(error));
        QCOMPARE(process()->state, WorkerState::Busy);
        QCOMPARE(process()->busy, std::optional<int>(1));
        QCOMPARE(process()->currentJobs, (QList<queues::WorkerJob>{{QByteArray("mailers"), jid}}));

        // TSTP: quiet at its next heartbeat (1 s here).
        QVERIFY(fixture.request("quiet"));
        QVERIFY2(scanUntil(watch, [&] { return process()->state == WorkerState::Quiet; }),
                 qPrintable(watch.describe()));

        // kill -9: its hash expires (3 s here, 60 s by default): offline, and the job it ran,
        // known only from the previous scan, lost.
        QVERIFY(fixture.request("kill"));
        QSignalSpy offline(&watch.scanner, &monitor::WorkerScanner::workerWentOffline);
        QVERIFY2(scanUntil(watch,
                           [&] {
                               const auto *w = watch.worker(Framework::Sidekiq, identity);
                               return w && w->state == WorkerState::Offline;
                           }),
                 qPrintable(watch.describe()));
        QCOMPARE(offline.count(), 1);
        const queues::StuckJob *lost = watch.stuck(Framework::Sidekiq, jid);
        QVERIFY2(lost, qPrintable(watch.describe()));
        QCOMPARE(lost->queue, QByteArray("mailers"));
        QVERIFY(lost->reason.startsWith(QLatin1String("lost")));
        QVERIFY(lost->outcome.contains(QLatin1String("super_fetch")));
        // It stays lost on the next scans (the offline process is remembered).
        QVERIFY2(watch.scan(&error), qPrintable(error));
        QVERIFY(watch.stuck(Framework::Sidekiq, jid));
    }
};

QTEST_GUILESS_MAIN(TestWorkerScanner)
#include "tst_workerscanner.moc"
