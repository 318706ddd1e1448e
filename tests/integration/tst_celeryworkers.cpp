// Celery's workers from their event stream, against real `celery worker` processes
// (tests/queues/celery_event_worker.py) and a real redis-server: heartbeats list a worker idle,
// a slow task with -E shows it busy with that task, kill -9 makes it offline within two missed
// heartbeats, --without-heartbeat gives the note instead of "0 workers", and kombu's
// global_keyprefix moves the channels.
#include "celeryworker.h"
#include "connectionwait.h"
#include "frameworkfixture.h"
#include "redisserver.h"

#include "monitor/celeryeventwatcher.h"
#include "monitor/queuemonitor.h"
#include "monitor/workereventsources.h"
#include "redis/redisconnection.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace qs;
using qs::monitor::CeleryEventWatcher;
using qs::test::CeleryWorker;
using qs::test::RedisServer;

namespace {

queues::WorkerScan scanOf(const CeleryEventWatcher &watcher)
{
    queues::WorkerScan scan;
    watcher.addTo(scan, QDateTime::currentMSecsSinceEpoch());
    return scan;
}

std::optional<queues::WorkerInfo> workerNamed(const CeleryEventWatcher &watcher,
                                              const QString &prefix)
{
    for (const queues::WorkerInfo &worker : scanOf(watcher).workers) {
        if (worker.id.startsWith(prefix))
            return worker;
    }
    return std::nullopt;
}

// A throwaway redis-server and a watcher subscribed to its Celery events.
struct Watching
{
    RedisServer server;
    std::unique_ptr<redis::RedisConnection> connection;
    std::unique_ptr<CeleryEventWatcher> watcher;

    bool start(QString *error, const QByteArray &prefix = {})
    {
        if (!server.start(error))
            return false;
        connection = std::make_unique<redis::RedisConnection>(server.profile());
        watcher = std::make_unique<CeleryEventWatcher>(*connection, prefix);
        QSignalSpy subscribed(watcher.get(), &CeleryEventWatcher::subscribed);
        watcher->start();
        *error = QStringLiteral("not subscribed within 10 s");
        return subscribed.wait(10'000);
    }
};

#define START_WATCHING(watching, ...)                                                              \
    do {                                                                                           \
        QString startError;                                                                        \
        QVERIFY2((watching).start(&startError __VA_OPT__(, ) __VA_ARGS__),                         \
                 qPrintable(startError));                                                          \
    } while (false)

#define START_SERVER(server)                                                                       \
    do {                                                                                           \
        QString startError;                                                                        \
        QVERIFY2((server).start(&startError), qPrintable(startError));                             \
    } while (false)

} // namespace

class TestCeleryWorkers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!test::probe(test::kSystemPython,
                         {QStringLiteral("-c"), QStringLiteral("import celery, kombu")}))
            QSKIP("python3-celery is not installed for /usr/bin/python3 (scripts/install-deps.sh "
                  "installs it)");
    }

    void heartbeatsListTheWorkerIdle_data()
    {
        QTest::addColumn<QByteArray>("prefix");
        QTest::newRow("no prefix") << QByteArray();
        QTest::newRow("global_keyprefix") << QByteArray("app:");
    }

    void heartbeatsListTheWorkerIdle()
    {
        QFETCH(QByteArray, prefix);
        Watching watching;
        START_WATCHING(watching, prefix);
        const CeleryEventWatcher &watcher = *watching.watcher;
        const RedisServer &server = watching.server;
        QCOMPARE(watcher.pattern(), prefix + "/0.celeryev/*");

        CeleryWorker worker(server, {QStringLiteral("-n"), QStringLiteral("alpha@%h")}, prefix);
        QVERIFY2(
            QTest::qWaitFor(
                [&] { return workerNamed(watcher, QStringLiteral("alpha@")).has_value(); }, 60'000),
            qPrintable(worker.log()));
        const queues::WorkerInfo info = *workerNamed(watcher, QStringLiteral("alpha@"));
        QCOMPARE(info.framework, queues::Framework::Celery);
        QCOMPARE(info.state, queues::WorkerState::Idle);
        QCOMPARE(info.pid, std::optional<qint64>(worker.pid()));
        QCOMPARE(info.prefix, prefix);
        QVERIFY(!info.version.isEmpty());
        QVERIFY(!info.host.isEmpty());
        // Still listed (and idle) after several heartbeats: alive, not a one-off.
        QTest::qWait(4'500);
        QCOMPARE(workerNamed(watcher, QStringLiteral("alpha@"))->state, queues::WorkerState::Idle);
        QVERIFY(scanOf(watcher).notes.isEmpty());
    }

    void aSlowTaskShowsTheWorkerBusyWithIt()
    {
        Watching watching;
        START_WATCHING(watching);
        const CeleryEventWatcher &watcher = *watching.watcher;
        const RedisServer &server = watching.server;
        CeleryWorker worker(server,
                            {QStringLiteral("-E"), QStringLiteral("-n"), QStringLiteral("busy@%h"),
                             QStringLiteral("-Q"), QStringLiteral("reports")});
        QVERIFY2(worker.waitUntilReady(), qPrintable(worker.log()));
        const QString id =
            worker.send({QStringLiteral("slow"), QStringLiteral("6"), QStringLiteral("reports")});
        QVERIFY(!id.isEmpty());
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         const auto info = workerNamed(watcher, QStringLiteral("busy@"));
                         return info && info->state == queues::WorkerState::Busy &&
                                !info->currentJobs.isEmpty() && info->currentJobs.first().id == id;
                     },
                     30'000),
                 qPrintable(worker.log()));
        QCOMPARE(workerNamed(watcher, QStringLiteral("busy@"))->busy, std::optional<int>(1));
        // ... and idle again once it finished.
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto info = workerNamed(watcher, QStringLiteral("busy@"));
                return info && info->state == queues::WorkerState::Idle &&
                       info->currentJobs.isEmpty();
            },
            30'000));
    }

    void killMinus9IsOfflineWithinTwoHeartbeats()
    {
        Watching watching;
        START_WATCHING(watching);
        const CeleryEventWatcher &watcher = *watching.watcher;
        const RedisServer &server = watching.server;
        // Celery's own option: a heartbeat every second, offline after 2 s of silence.
        CeleryWorker worker(server, {QStringLiteral("-n"), QStringLiteral("doomed@%h"),
                                     QStringLiteral("--heartbeat-interval"), QStringLiteral("1")});
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         const auto info = workerNamed(watcher, QStringLiteral("doomed@"));
                         return info && info->state == queues::WorkerState::Idle;
                     },
                     60'000),
                 qPrintable(worker.log()));
        // Right after a heartbeat, so that the measured time is the whole window.
        QSignalSpy read(&watcher, &CeleryEventWatcher::eventsRead);
        QVERIFY(read.wait(5'000));
        QElapsedTimer sinceKill;
        worker.kill(); // SIGKILL to the worker and its pool: no worker-offline event
        sinceKill.start();
        QVERIFY(QTest::qWaitFor(
            [&] {
                return workerNamed(watcher, QStringLiteral("doomed@"))->state ==
                       queues::WorkerState::Offline;
            },
            10'000));
        const qint64 latency = sinceKill.elapsed();
        qInfo("offline %lld ms after kill -9 (heartbeat every 1 s, window 2 s)", latency);
        QVERIFY2(latency <= 3'000, qPrintable(QString::number(latency)));
        QVERIFY(latency >= 500); // not on the kill itself: there is no goodbye to hear
    }

    void withoutHeartbeatIsANoteNotZeroWorkers()
    {
        Watching watching;
        START_WATCHING(watching);
        const CeleryEventWatcher &watcher = *watching.watcher;
        const RedisServer &server = watching.server;
        CeleryWorker worker(server, {QStringLiteral("-n"), QStringLiteral("mute@%h"),
                                     QStringLiteral("--without-heartbeat")});
        QVERIFY2(worker.waitUntilReady(), qPrintable(worker.log()));
        const QString note = QStringLiteral("no Celery heartbeat heard");
        QVERIFY(QTest::qWaitFor(
            [&] { return scanOf(watcher).notes.join(QLatin1Char('\n')).contains(note); }, 10'000));
        const queues::WorkerScan scan = scanOf(watcher);
        QVERIFY(scan.workers.isEmpty());
        QVERIFY(scan.unknown.isEmpty());
    }

    void eventSourcesSubscribeOnlyWhereCeleryQueuesAre()
    {
        RedisServer server;
        START_SERVER(server);
        redis::RedisConnection connection(server.profile());
        connection.open();
        monitor::QueueMonitor queues(&connection, monitor::QueueMonitor::defaultAdapters());
        const QList<queues::QueueRef> installations{{queues::Framework::BullMQ, "bull", {}},
                                                    {queues::Framework::Celery, {}, {}}};
        monitor::WorkerEventSources sources(connection, &queues, installations);
        auto discover = [&] {
            QSignalSpy finished(&queues, &monitor::QueueMonitor::discoveryFinished);
            queues.discover();
            return finished.wait(10'000);
        };
        // No Celery queue: no subscription, nothing added (no note about heartbeats).
        QVERIFY(discover());
        QVERIFY(sources.start().isEmpty());
        queues::WorkerScan empty;
        sources.addTo(empty, QDateTime::currentMSecsSinceEpoch());
        QVERIFY(empty.workers.isEmpty() && empty.notes.isEmpty() && empty.unknown.isEmpty());

        // A worker declares its queue: the next start subscribes and hears it.
        CeleryWorker worker(server, {QStringLiteral("-n"), QStringLiteral("found@%h")});
        QVERIFY2(worker.waitUntilReady(), qPrintable(worker.log()));
        QVERIFY(discover());
        const QList<CeleryEventWatcher *> running = sources.start();
        QCOMPARE(running.size(), 1);
        QVERIFY(QTest::qWaitFor(
            [&] {
                queues::WorkerScan scan;
                sources.addTo(scan, QDateTime::currentMSecsSinceEpoch());
                return scan.workers.size() == 1 &&
                       scan.workers.first().id.startsWith(QLatin1String("found@"));
            },
            15'000));
    }

    void anAclUserWithoutTheChannelsIsUnknownNotZero()
    {
        test::RedisServerOptions options;
        options.aclUsers << QStringLiteral("nochan on >n-pass ~* resetchannels +@read +ping "
                                           "+psubscribe");
        RedisServer server(options);
        START_SERVER(server);
        core::ConnectionProfile profile = server.profile();
        profile.username = QStringLiteral("nochan");
        profile.password = QStringLiteral("n-pass");
        profile.readOnly = true;
        redis::RedisConnection connection(profile);
        CeleryEventWatcher watcher(connection);
        QSignalSpy refused(&watcher, &CeleryEventWatcher::refused);
        watcher.start();
        QVERIFY(refused.wait(10'000));
        const queues::WorkerScan scan = scanOf(watcher);
        QCOMPARE(scan.unknown.size(), 1);
        QVERIFY2(scan.unknown.first().second.startsWith(QLatin1String("workers unknown")),
                 qPrintable(scan.unknown.first().second));
        QVERIFY(!scan.unknown.first().second.contains(QLatin1String("n-pass")));
    }
};

QTEST_GUILESS_MAIN(TestCeleryWorkers)
#include "tst_celeryworkers.moc"
