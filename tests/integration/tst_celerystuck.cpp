// Celery's stuck jobs and "ping workers" with real `celery worker`s
// (tests/queues/celery_event_worker.py). Stuck: a worker holding ETA tasks in `unacked` is
// killed with kill -9; once its heartbeats stop, the session's scan lists those deliveries as
// stuck (by delivery tag, the id Restore takes), the CLI's Restore puts them back and a new
// worker runs them. While a worker lives, its young deliveries are not stuck; the one-shot
// `workers` command, which heard no heartbeat, says so in a note instead. Ping: two live workers
// both answer (CLI and the session's asynchronous call), the reply queue is gone afterwards, the
// audit log has it; a read-only profile and a missing --yes publish nothing (exit 4).
#include "celeryworker.h"
#include "cliprocess.h"
#include "redisserver.h"
#include "workerwatch.h"

#include "jobs/auditlog.h"
#include "monitor/workereventsources.h"
#include "redis/redisconnection.h"
#include "session/serversession.h"

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

// How many times the server ran `command` (INFO commandstats).
qint64 calls(const RedisServer &server, const QByteArray &command)
{
    const QByteArray stats = server.cli(args({"INFO", "commandstats"}));
    const QByteArray key = "cmdstat_" + command + ":calls=";
    const qsizetype at = stats.indexOf(key);
    return at < 0 ? 0 : stats.mid(at + key.size()).split(',').value(0).toLongLong();
}

// Two live workers on one server, ready to be pinged.
struct TwoWorkers
{
    RedisServer server;
    std::unique_ptr<CeleryWorker> one;
    std::unique_ptr<CeleryWorker> two;

    bool start(QString *error)
    {
        if (!server.start(error))
            return false;
        one = std::make_unique<CeleryWorker>(server, args({"-n", "one@%h"}));
        two = std::make_unique<CeleryWorker>(server, args({"-n", "two@%h"}));
        if (one->waitUntilReady() && two->waitUntilReady())
            return true;
        *error = one->log() + two->log();
        return false;
    }
};

} // namespace

class TestCeleryStuck : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // the session's audit log: not the user's
        QVERIFY(m_home.isValid());
        m_env = {{QStringLiteral("HOME"), m_home.path()},
                 {QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data"))},
                 {QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config"))}};
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
        const CliRun listed =
            runQueuescope(args({"workers", "--json", "--url"}) << url(server), m_env);
        QCOMPARE(listed.exitCode, 0);
        QVERIFY(listed.json().value(QStringLiteral("stuck")).toArray().isEmpty());
        QVERIFY2(listed.out.contains("2 unacked deliveries") &&
                     listed.out.contains("no heartbeat heard"),
                 listed.out.constData());

        // Restore by id through the CLI, then a new worker runs both tasks.
        QStringList restore = args({"restore", "celery/celery", "--yes", "--url"}) << url(server);
        for (const QByteArray &tag : std::as_const(stuckIds))
            restore << QStringLiteral("--job") << QString::fromUtf8(tag);
        const CliRun restored = runQueuescope(restore, m_env);
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

    void pingTwoLiveWorkersBothAnswer()
    {
        TwoWorkers workers;
        QString error;
        QVERIFY2(workers.start(&error), qPrintable(error));
        const CliRun run = runQueuescope(
            args({"workers", "--ping", "--yes", "--json", "--url"}) << url(workers.server), m_env);
        QVERIFY2(run.exitCode == 0, run.out + run.err);
        const QJsonArray pings = run.json().value(QStringLiteral("ping")).toArray();
        QCOMPARE(pings.size(), 1);
        const QJsonObject result =
            pings.first().toObject().value(QStringLiteral("result")).toObject();
        QCOMPARE(result.value(QStringLiteral("outcome")).toString(), QStringLiteral("completed"));
        QCOMPARE(result.value(QStringLiteral("reached")).toInt(), 2);
        QVERIFY(result.value(QStringLiteral("cleanedUp")).toBool());
        QStringList answered;
        for (const QJsonValue &answer : result.value(QStringLiteral("answers")).toArray()) {
            const QJsonObject entry = answer.toObject();
            QCOMPARE(entry.value(QStringLiteral("answer")).toString(), QStringLiteral("pong"));
            answered << entry.value(QStringLiteral("worker")).toString().section('@', 0, 0);
            qInfo("pong from %s in %d ms",
                  qPrintable(entry.value(QStringLiteral("worker")).toString()),
                  entry.value(QStringLiteral("roundTripMs")).toInt());
        }
        answered.sort();
        QCOMPARE(answered, QStringList({QStringLiteral("one"), QStringLiteral("two")}));
        QVERIFY(run.json().value(QStringLiteral("silent")).toArray().isEmpty());
        // Both answered: no wait for the deadline. Nothing of the reply queue is left.
        QVERIFY(result.value(QStringLiteral("elapsedMs")).toInt() < 1'000);
        QCOMPARE(
            workers.server.cli(args({"SCARD", "_kombu.binding.reply.celery.pidbox"})).trimmed(),
            QByteArray("0"));
        QVERIFY(workers.server.cli(args({"KEYS", "*reply.celery.pidbox*"})).trimmed().isEmpty());

        const CliRun text = runQueuescope(
            args({"workers", "--ping", "--yes", "--url"}) << url(workers.server), m_env);
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("pong") && text.out.contains("2 of 2 reached answered"),
                 text.out.constData());

        // The session's call, as the window makes it: asynchronous, audit-logged.
        session::ServerSession session(workers.server.profile(),
                                       session::SessionOptions::commandLine());
        QSignalSpy discovered(session.queues(), &monitor::QueueMonitor::discoveryFinished);
        session.open();
        session.queues()->discover();
        QVERIFY(discovered.wait(15'000));
        QSignalSpy pinged(&session, &session::ServerSession::celeryWorkersPinged);
        session.pingCeleryWorkers();
        QVERIFY(pinged.isEmpty()); // never answered on the caller's stack
        QVERIFY(pinged.wait(10'000));
        const auto results = pinged.first().first().value<QList<monitor::CeleryPingResult>>();
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().answers.size(), 2);
        const QJsonObject logged = jobs::AuditLog().readLast(1).value(0);
        QCOMPARE(logged.value(QStringLiteral("action")).toString(), QStringLiteral("ping"));
        QCOMPARE(logged.value(QStringLiteral("origin")).toString(), QStringLiteral("gui"));
        QCOMPARE(logged.value(QStringLiteral("result"))
                     .toObject()
                     .value(QStringLiteral("answers"))
                     .toArray()
                     .size(),
                 2);
    }

    void pingPublishesNothingUnlessConfirmedOnAWritableProfile()
    {
        TwoWorkers workers;
        QString error;
        QVERIFY2(workers.start(&error), qPrintable(error));
        // What the workers would receive: every message on the pidbox's broadcast channel.
        redis::RedisConnection listener(workers.server.profile());
        int broadcasts = 0;
        bool confirmed = false;
        listener.psubscribe(
            {"/0.celery.pidbox"}, &listener, [&](const redis::PushMessage &) { ++broadcasts; },
            [&](const redis::RedisError &error) { confirmed = error.isNone(); });
        listener.open();
        QVERIFY(QTest::qWaitFor([&] { return confirmed; }, 10'000));
        const qint64 bound = calls(workers.server, "sadd");

        const CliRun unconfirmed =
            runQueuescope(args({"workers", "--ping", "--url"}) << url(workers.server), m_env);
        QCOMPARE(unconfirmed.exitCode, 4);
        QVERIFY2(unconfirmed.err.contains("would ping") && unconfirmed.err.contains("--yes"),
                 unconfirmed.err.constData());

        const CliRun readOnly = runQueuescope(
            args({"workers", "--ping", "--yes", "--read-only", "--url"}) << url(workers.server),
            m_env);
        QCOMPARE(readOnly.exitCode, 4);
        QVERIFY2(readOnly.err.contains("read-only"), readOnly.err.constData());
        QVERIFY(auditText().contains("\"refused\""));

        // The session refuses too on a read-only profile, before anything is sent.
        core::ConnectionProfile profile = workers.server.profile();
        profile.readOnly = true;
        redis::RedisConnection readOnlyConnection(profile);
        monitor::CeleryPing refused(readOnlyConnection, {});
        QSignalSpy refusedDone(&refused, &monitor::CeleryPing::finished);
        refused.start();
        QCOMPARE(refusedDone.size(), 1);
        QCOMPARE(refused.result().errorKind, redis::RedisError::Kind::ReadOnlyRefused);
        QVERIFY(!refused.result().published());

        // A confirmed ping on a writable profile is heard: the listener would have seen them.
        QTest::qWait(200);
        QCOMPARE(broadcasts, 0);
        QCOMPARE(calls(workers.server, "sadd"), bound); // no reply queue bound either
        redis::RedisConnection writable(workers.server.profile());
        monitor::CeleryPing ping(writable, {});
        QSignalSpy done(&ping, &monitor::CeleryPing::finished);
        ping.start();
        QVERIFY(done.wait(10'000));
        QCOMPARE(ping.result().answers.size(), 2);
        QVERIFY(QTest::qWaitFor([&] { return broadcasts == 1; }, 5'000));
    }

private:
    // Every audit entry the command line wrote under m_home.
    QByteArray auditText() const
    {
        QByteArray text;
        QDirIterator files(m_home.path(), {QStringLiteral("audit.jsonl")}, QDir::Files,
                           QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            if (file.open(QIODevice::ReadOnly))
                text += file.readAll();
        }
        return text;
    }

    QTemporaryDir m_home;
    QMap<QString, QString> m_env;
};

QTEST_GUILESS_MAIN(TestCeleryStuck)
#include "tst_celerystuck.moc"
