// The worker readers on replies recorded from real workers (Sidekiq 6.4.1, RQ 1.13, BullMQ 6 and
// Bull 4 connections, Celery 5.2 unacked deliveries; see the worker fixtures in tests/queues), and
// what the scanner makes of
// consecutive scans: offline transitions, per-queue live workers, "no consumer".

#include "frameworks/bullfamily/bullworkers.h"
#include "frameworks/celery/celeryunacked.h"
#include "frameworks/rq/rqworkers.h"
#include "frameworks/sidekiq/sidekiqworkers.h"
#include "monitor/workerscanmerge.h"

#include <QtTest>

using namespace qs;
using queues::Framework;
using queues::WorkerInfo;
using queues::WorkerScan;
using queues::WorkerState;
using redis::RedisReply;

namespace {

constexpr qint64 kNow = 1'796'524'223'000;

RedisReply strings(const QList<QByteArray> &items)
{
    QList<RedisReply> elements;
    for (const QByteArray &item : items)
        elements.append(item.isNull() ? RedisReply() : RedisReply::bulk(item));
    return RedisReply::array(elements);
}

// Runs a reader over scripted replies (one list per step after the first).
WorkerScan runReader(queues::WorkerReader &reader, const QList<QList<RedisReply>> &steps,
                     QList<QList<redis::RedisCommand>> *sent = nullptr)
{
    QList<RedisReply> replies;
    for (int step = 0;; ++step) {
        const QList<redis::RedisCommand> commands = reader.nextStep(replies);
        if (commands.isEmpty())
            break;
        if (sent)
            sent->append(commands);
        replies = steps.value(step);
        while (replies.size() < commands.size())
            replies.append(RedisReply());
    }
    WorkerScan scan;
    scan.scannedAtMs = kNow;
    reader.finish(scan);
    return scan;
}

WorkerInfo worker(Framework framework, const QString &id, WorkerState state,
                  const QList<QByteArray> &queues, std::optional<qint64> lastSeen = kNow)
{
    WorkerInfo info;
    info.framework = framework;
    info.prefix = framework == Framework::RQ ? "rq" : "";
    info.id = id;
    info.name = id;
    info.state = state;
    info.queues = queues;
    info.lastSeenAtMs = lastSeen;
    return info;
}

// As Sidekiq 6.4.1 stores them (moc reads no raw strings: plain literals).
const QByteArray kInfo = "{\"hostname\":\"vm\",\"started_at\":1796524220.5,\"pid\":32522,"
                         "\"tag\":\"\",\"concurrency\":2,\"queues\":[\"default\"],"
                         "\"labels\":[],\"identity\":\"vm:32522:583fee306867\"}";
const QByteArray kWork = "{\"queue\":\"default\",\"payload\":\"{\\\"retry\\\":false,\\\"queue\\\":"
                         "\\\"default\\\",\\\"class\\\":\\\"QsHeldJob\\\",\\\"jid\\\":"
                         "\\\"ced57b0f609fb08dc61c9abf\\\"}\",\"run_at\":1796524223}";

// Celery 5.2's `unacked` values ([message, exchange, routing_key], the message cut to what the
// reader reads) and their delivery tags.
const QByteArray kOldTag = "3c8f5d2e-5b0e-4a5e-9f0e-2d1c0b7e6a11";
const QByteArray kYoungTag = "8d7e1f20-1111-4c44-8a2b-7f6e5d4c3b22";
const QString kOldTask = QStringLiteral("5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b");
const QString kYoungTask = QStringLiteral("6b2c3d4e-1111-4f50-9bac-1d2e3f4a5b6c");
const QByteArray kOldDelivery =
    "[{\"body\": \"W1tdLCB7fSwge31d\", \"content-encoding\": \"utf-8\", \"content-type\": "
    "\"application/json\", \"headers\": {\"lang\": \"py\", \"task\": \"events.noop\", "
    "\"id\": \"5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b\", \"eta\": \"2026-12-06T05:00:00\"}, "
    "\"properties\": {\"delivery_tag\": \"3c8f5d2e-5b0e-4a5e-9f0e-2d1c0b7e6a11\"}}, \"\", "
    "\"celery\"]";
const QByteArray kYoungDelivery =
    "[{\"body\": \"W1tdLCB7fSwge31d\", \"headers\": {\"task\": \"events.noop\", \"id\": "
    "\"6b2c3d4e-1111-4f50-9bac-1d2e3f4a5b6c\"}, \"properties\": {}}, \"reports\", \"reports\"]";

// CLIENT LIST lines as redis-server 7.0 writes them, with a BullMQ 6 worker named "mailer-1" on
// queue "emails", its QueueEvents, a Bull 4 worker on "legacy" and QueueScope itself.
const QByteArray kClients =
    "id=5 addr=127.0.0.1:40598 laddr=127.0.0.1:6591 fd=9 name=bull:ZW1haWxz:w:mailer-1 age=6 "
    "idle=1 flags=b db=0 sub=0 psub=0 multi=-1 cmd=bzpopmin user=default resp=2\n"
    "id=10 addr=127.0.0.1:40638 laddr=127.0.0.1:6591 fd=15 name=bull:ZW1haWxz:qe age=6 idle=6 "
    "flags=b db=0 cmd=xread user=default resp=2\n"
    "id=15 addr=127.0.0.1:40686 laddr=127.0.0.1:6591 fd=19 name=bull:bGVnYWN5 age=9 idle=1 "
    "flags=b db=0 cmd=brpoplpush user=default resp=2\n"
    "id=16 addr=127.0.0.1:43546 laddr=127.0.0.1:6591 fd=20 name=queuescope-cli age=0 idle=0 "
    "flags=N db=0 cmd=client|list user=default resp=2\n";

} // namespace

class TestWorkerScan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sidekiqProcesses()
    {
        queues::WorkerReader::Context context;
        context.nowMs = kNow;
        queues::SidekiqWorkerReader reader(context);
        QList<QList<redis::RedisCommand>> sent;
        const WorkerScan scan =
            runReader(reader,
                      {{strings({"vm:32522:583fee306867", "vm:1:dead00000000"})},
                       {strings({QByteArray(), QByteArray(), QByteArray(), QByteArray(),
                                 QByteArray(), QByteArray()}),
                        RedisReply::array({}), RedisReply::array({}),
                        strings({kInfo, "1", "1796524223.538561", "false", "29952", "269"}),
                        strings({"o52", kWork}), RedisReply::array({})}},
                      &sent);
        QCOMPARE(sent.size(), 2); // SMEMBERS, then three reads per process in one step
        QCOMPARE(sent.at(1).size(), 6);
        QCOMPARE(scan.workers.size(), 2);
        const WorkerInfo &dead = scan.workers.at(0); // sorted: "vm:1:..." first
        QCOMPARE(dead.state, WorkerState::Offline);
        QCOMPARE(dead.host, QStringLiteral("vm"));
        QCOMPARE(dead.pid, std::optional<qint64>(1));
        const WorkerInfo &busy = scan.workers.at(1);
        QCOMPARE(busy.state, WorkerState::Busy);
        QCOMPARE(busy.busy, std::optional<int>(1));
        QCOMPARE(busy.concurrency, std::optional<int>(2));
        QCOMPARE(busy.queues, QList<QByteArray>{"default"});
        QCOMPARE(busy.currentJobs,
                 (QList<queues::WorkerJob>{{"default", "ced57b0f609fb08dc61c9abf"}}));
        QCOMPARE(busy.lastSeenAtMs, std::optional<qint64>(1796524223538));
        QCOMPARE(busy.startedAtMs, std::optional<qint64>(1796524220500));
        QVERIFY(scan.stuck.isEmpty());
    }

    void sidekiqLostWorkNeedsThePreviousScan()
    {
        WorkerScan previous;
        WorkerInfo before =
            worker(Framework::Sidekiq, "vm:7:abc", WorkerState::Quiet, {"default"}, kNow - 4000);
        before.currentJobs = {{"default", "jid-1"}};
        previous.workers = {before};
        queues::WorkerReader::Context context;
        context.nowMs = kNow;
        context.previous = &previous;
        queues::SidekiqWorkerReader reader(context);
        // Still a member of `processes`, its hash expired.
        const WorkerScan scan = runReader(reader, {{strings({"vm:7:abc"})}, {}});
        QCOMPARE(scan.workers.size(), 1);
        QCOMPARE(scan.workers.first().state, WorkerState::Offline);
        QCOMPARE(scan.stuck.size(), 1);
        QCOMPARE(scan.stuck.first().id, QStringLiteral("jid-1"));
        QCOMPARE(scan.stuck.first().sinceMs, std::optional<qint64>(kNow - 4000));
        QVERIFY(scan.stuck.first().reason.startsWith(QLatin1String("lost")));
    }

    void sidekiqRefused()
    {
        queues::SidekiqWorkerReader reader({});
        const WorkerScan scan =
            runReader(reader, {{RedisReply::error("NOPERM this user has no permissions")}});
        QVERIFY(scan.workers.isEmpty());
        QCOMPARE(scan.unknown.size(), 1);
        QVERIFY(scan.unknown.first().second.contains(QLatin1String("NOPERM")));
    }

    void rqWorkers()
    {
        queues::WorkerReader::Context context;
        context.prefix = "rq";
        context.nowMs = kNow;
        context.queues = {{Framework::RQ, "rq", "default"}};
        queues::RqWorkerReader reader(context);
        QList<QList<redis::RedisCommand>> sent;
        const WorkerScan scan = runReader(
            reader,
            {{strings({"rq:worker:w1", "rq:worker:w2", "rq:worker:gone"}), RedisReply::number(1),
              strings({"job-dead", "1796524200", "job-alive", "1796524201"})},
             {RedisReply::array({}),
              strings({"birth", "2026-12-06T02:29:37.329355Z", "last_heartbeat",
                       "2026-12-06T02:29:37.484665Z", "queues", "default", "pid", "32228",
                       "hostname", "vm", "state", "busy", "current_job", "job-alive"}),
              strings({"queues", "default,other", "state", "idle", "pid", "9"}),
              strings({"gone", "started", "2"}), strings({"w1", "started", ""})}},
            &sent);
        QCOMPARE(sent.size(), 2);
        QCOMPARE(sent.at(0).at(2).first(), QByteArray("ZRANGEBYSCORE"));
        QCOMPARE(scan.workers.size(), 3);
        QCOMPARE(scan.workers.at(0).id, QStringLiteral("gone")); // sorted by key
        QCOMPARE(scan.workers.at(0).state, WorkerState::Offline);
        QCOMPARE(scan.workers.at(1).state, WorkerState::Busy); // w1: busy despite rq:suspended
        QCOMPARE(scan.workers.at(1).currentJobs,
                 (QList<queues::WorkerJob>{{"default", "job-alive"}}));
        QCOMPARE(scan.workers.at(2).state, WorkerState::Suspended); // w2: idle, suspended
        QCOMPARE(scan.workers.at(2).queues, (QList<QByteArray>{"default", "other"}));
        // Only the job whose worker is gone is abandoned; since its registry entry expired.
        QCOMPARE(scan.stuck.size(), 1);
        QCOMPARE(scan.stuck.first().id, QStringLiteral("job-dead"));
        QCOMPARE(scan.stuck.first().sinceMs, std::optional<qint64>(1796524200000));
        // The operator's action, and what RQ's cleanup would do with its retries left.
        QVERIFY2(scan.stuck.first().outcome.startsWith(
                     QLatin1String("\"Move to failed\" makes it requeued (2 retries left)")),
                 qPrintable(scan.stuck.first().outcome));
        QVERIFY(!scan.notes.isEmpty()); // "workers are suspended"
    }

    void bullmqWorkersFromClientList()
    {
        queues::WorkerReader::Context context;
        context.prefix = "bull";
        context.nowMs = kNow;
        context.queues = {{Framework::BullMQ, "bull", "emails"}};
        queues::BullWorkerReader reader(Framework::BullMQ, context);
        QList<QList<redis::RedisCommand>> sent;
        // Job 1 locked (taken by mailer-1), job 2 still active without its lock: stalled.
        const WorkerScan scan = runReader(
            reader,
            {{RedisReply::bulk(kClients), strings({"1", "2"})},
             {RedisReply::number(1), RedisReply::number(0), RedisReply::bulk("mailer-1"),
              RedisReply::number(0), RedisReply::number(1), RedisReply::bulk("mailer-1")}},
            &sent);
        QCOMPARE(sent.at(0).first(), (redis::RedisCommand{"CLIENT", "LIST", "TYPE", "normal"}));
        QCOMPARE(scan.workers.size(), 1); // not the QueueEvents, not Bull's, not ours
        const WorkerInfo &mailer = scan.workers.first();
        QCOMPARE(mailer.name, QStringLiteral("mailer-1"));
        QCOMPARE(mailer.host, QStringLiteral("127.0.0.1"));
        QCOMPARE(mailer.queues, QList<QByteArray>{"emails"});
        QCOMPARE(mailer.state, WorkerState::Busy);
        QCOMPARE(mailer.currentJobs, (QList<queues::WorkerJob>{{"emails", "1"}}));
        QCOMPARE(mailer.startedAtMs, std::optional<qint64>(kNow - 6000));
        QCOMPARE(mailer.idleMs, std::optional<qint64>(1000));
        QCOMPARE(scan.stuck.size(), 1);
        QCOMPARE(scan.stuck.first().id, QStringLiteral("2"));
        QVERIFY(scan.stuck.first().reason.startsWith(QLatin1String("stalled")));

        // Bull's reader, on the same reply (sent once by the scanner): the "legacy" worker only.
        queues::WorkerReader::Context bullContext;
        bullContext.prefix = "bull";
        bullContext.nowMs = kNow;
        queues::BullWorkerReader bull(Framework::Bull, bullContext);
        const WorkerScan legacy = runReader(bull, {{RedisReply::bulk(kClients)}});
        QCOMPARE(legacy.workers.size(), 1);
        QCOMPARE(legacy.workers.first().queues, QList<QByteArray>{"legacy"});
        QCOMPARE(legacy.workers.first().state, WorkerState::Idle); // nothing of it runs
    }

    void clientListRefused()
    {
        queues::WorkerReader::Context context;
        context.prefix = "bull";
        context.nowMs = kNow;
        context.queues = {{Framework::BullMQ, "bull", "emails"}};
        queues::BullWorkerReader reader(Framework::BullMQ, context);
        const WorkerScan scan = runReader(
            reader,
            {{RedisReply::error("NOPERM this user has no permissions to run the 'client|list' "
                                "command"),
              strings({"2"})},
             {RedisReply::number(0), RedisReply::number(0), RedisReply()}});
        QVERIFY(scan.workers.isEmpty());
        QCOMPARE(scan.unknown.size(), 1);
        QVERIFY(scan.unknown.first().second.startsWith(
            QLatin1String("workers unknown: CLIENT LIST not permitted")));
        QCOMPARE(monitor::liveWorkers(scan, context.queues.first()), std::nullopt); // never 0
        QCOMPARE(scan.stuck.size(), 1); // stalled jobs are still found
    }

    void offlineTransitions()
    {
        WorkerScan previous;
        previous.scannedAtMs = kNow - 5000;
        previous.workers = {worker(Framework::RQ, "a", WorkerState::Idle, {"q"}),
                            worker(Framework::RQ, "b", WorkerState::Busy, {"q"}),
                            worker(Framework::RQ, "old", WorkerState::Offline, {"q"},
                                   kNow - monitor::kOfflineKeptMs - 1)};
        WorkerScan scan;
        scan.scannedAtMs = kNow;
        // a: reported offline by its reader; b: vanished; old: offline for too long.
        scan.workers = {worker(Framework::RQ, "a", WorkerState::Offline, {}, std::nullopt)};
        const QList<WorkerInfo> wentOffline = monitor::mergeWithPrevious(scan, &previous);
        QCOMPARE(wentOffline.size(), 2);
        QCOMPARE(scan.workers.size(), 2);
        QCOMPARE(scan.workers.at(0).queues, QList<QByteArray>{"q"}); // kept what was known
        QCOMPARE(scan.workers.at(0).state, WorkerState::Offline);
        QCOMPARE(scan.workers.at(1).id, QStringLiteral("b"));
        QCOMPARE(scan.workers.at(1).state, WorkerState::Offline);
        // Not read this time (refused): as it was, not offline.
        WorkerScan refused;
        refused.scannedAtMs = kNow;
        refused.unknown = {{Framework::RQ, QStringLiteral("workers unknown")}};
        QVERIFY(monitor::mergeWithPrevious(refused, &previous).isEmpty());
        QCOMPARE(refused.workers.first().state, WorkerState::Idle);
        QCOMPARE(monitor::liveWorkers(refused, {Framework::RQ, "rq", "q"}), std::nullopt);
    }

    // Live workers per queue, as a poll asks for every queue at once (monitor::LiveWorkers, which
    // liveWorkers() uses too): workers named twice, offline ones, another prefix, a framework
    // refused, workers that name no queue.
    void liveWorkersOfManyQueues()
    {
        WorkerScan scan;
        WorkerInfo otherPrefix = worker(Framework::RQ, "p", WorkerState::Busy, {"busyq"});
        otherPrefix.prefix = "other";
        scan.workers = {worker(Framework::RQ, "a", WorkerState::Idle, {"busyq", "busyq", "b"}),
                        worker(Framework::RQ, "b", WorkerState::Busy, {"busyq"}),
                        worker(Framework::RQ, "c", WorkerState::Offline, {"gone"}),
                        otherPrefix,
                        worker(Framework::Sidekiq, "s", WorkerState::Idle, {}),
                        worker(Framework::BullMQ, "m", WorkerState::Idle, {"emails"})};
        scan.unknown = {{Framework::Celery, QStringLiteral("workers unknown")}};
        const std::optional<int> unknown;
        const QList<std::pair<queues::QueueRef, std::optional<int>>> expected{
            {{Framework::RQ, "rq", "busyq"}, 2}, // named twice by one worker: one consumer
            {{Framework::RQ, "rq", "b"}, 1},
            {{Framework::RQ, "rq", "gone"}, 0}, // its only worker is offline
            {{Framework::RQ, "rq", "none"}, 0},
            {{Framework::RQ, "other", "busyq"}, 1},
            {{Framework::RQ, "third", "busyq"}, 0},
            {{Framework::Sidekiq, "", "default"}, unknown}, // its workers name no queue
            {{Framework::BullMQ, "", "emails"}, 1},
            {{Framework::BullMQ, "", "idle"}, 0},
            {{Framework::Celery, "", "celery"}, unknown}, // refused
            {{Framework::Bull, "bull", "q"}, 0}};
        const monitor::LiveWorkers index(scan);
        for (const auto &[queue, live] : expected) {
            QCOMPARE(index.of(queue), live);
            QCOMPARE(monitor::liveWorkers(scan, queue), live);
        }
    }

    void noConsumer()
    {
        WorkerScan scan;
        scan.workers = {worker(Framework::RQ, "a", WorkerState::Idle, {"busyq"})};
        const queues::QueueRef served{Framework::RQ, "rq", "busyq"};
        const queues::QueueRef orphan{Framework::RQ, "rq", "orphan"};
        QCOMPARE(monitor::liveWorkers(scan, served), std::optional<int>(1));
        QCOMPARE(monitor::liveWorkers(scan, orphan), std::optional<int>(0));

        monitor::ConsumerTracker tracker;
        // First seen: dated by its oldest waiting job (a one-shot command judges from that).
        QList<queues::QueueRef> lost =
            tracker.update({{served, 5, false, 90'000}, {orphan, 5, false, 90'000}}, scan, kNow);
        QCOMPARE(lost, QList<queues::QueueRef>{orphan});
        QVERIFY(tracker.find(orphan)->noConsumer);
        QVERIFY(!tracker.find(served)->noConsumer);
        // Still so: no second notice. Drained: cleared.
        QVERIFY(tracker.update({{orphan, 5, false, 95'000}}, scan, kNow + 5000).isEmpty());
        tracker.update({{orphan, 0, false, std::nullopt}}, scan, kNow + 10'000);
        QVERIFY(!tracker.find(orphan)->noConsumer);
        // Waiting again: the threshold counts from now.
        tracker.update({{orphan, 3, false, 500'000}}, scan, kNow + 20'000);
        QVERIFY(!tracker.find(orphan)->noConsumer);
        QVERIFY(!tracker.update({{orphan, 3, false, 500'000}}, scan, kNow + 81'000).isEmpty());
        // A paused queue is nobody's to consume.
        monitor::ConsumerTracker paused;
        QVERIFY(paused.update({{orphan, 5, true, 900'000}}, scan, kNow).isEmpty());
    }

    // Celery's unacked deliveries: stuck only as the event stream's liveness allows.
    void celeryUnacked_data()
    {
        QTest::addColumn<std::optional<int>>("live");
        QTest::addColumn<QList<QByteArray>>("read"); // the tags HMGET reads
        QTest::addColumn<QString>("reason");
        QTest::newRow("no live worker")
            << std::optional<int>(0) << QList<QByteArray>{kOldTag, kYoungTag}
            << QStringLiteral("unacked: no live worker");
        QTest::newRow("a live worker") << std::optional<int>(1) << QList<QByteArray>{kOldTag}
                                       << QStringLiteral("unacked beyond visibility_timeout");
        QTest::newRow("liveness unknown")
            << std::optional<int>() << QList<QByteArray>{} << QString();
    }

    void celeryUnacked()
    {
        QFETCH(std::optional<int>, live);
        QFETCH(QList<QByteArray>, read);
        QFETCH(QString, reason);
        queues::WorkerReader::Context context;
        context.prefix = "app:";
        context.queues = {{Framework::Celery, "app:", "celery"}};
        context.nowMs = kNow;
        context.liveFromEvents = live;
        queues::CeleryUnackedReader reader(context);
        const RedisReply index = strings({kOldTag, "1796516000.25", kYoungTag, "1796524100.5"});
        QList<RedisReply> values;
        for (const QByteArray &tag : read)
            values << RedisReply::bulk(tag == kOldTag ? kOldDelivery : kYoungDelivery);
        QList<QList<redis::RedisCommand>> sent;
        const WorkerScan scan =
            runReader(reader, {{RedisReply::number(2), index}, {RedisReply::array(values)}}, &sent);
        QCOMPARE(sent.value(0), (QList<redis::RedisCommand>{
                                    {"ZCARD", "app:unacked_index"},
                                    {"ZRANGE", "app:unacked_index", "0", "199", "WITHSCORES"}}));
        QCOMPARE(sent.size(), read.isEmpty() ? 1 : 2); // one HMGET for all, never one per tag
        if (!read.isEmpty())
            QCOMPARE(sent.value(1).value(0), (redis::RedisCommand{"HMGET", "app:unacked"} + read));
        QCOMPARE(scan.stuck.size(), read.size());
        for (const queues::StuckJob &job : scan.stuck) {
            QCOMPARE(job.framework, Framework::Celery);
            QCOMPARE(job.prefix, QByteArray("app:"));
            QCOMPARE(job.queue, QByteArray(job.id == kOldTag ? "celery" : "reports"));
            QCOMPARE(job.reason, reason);
            QVERIFY(job.outcome.contains(job.id == kOldTag ? kOldTask : kYoungTask));
            QCOMPARE(job.sinceMs, job.id == kOldTag ? 1'796'516'000'250 : 1'796'524'100'500);
        }
        QCOMPARE(scan.notes.join(QLatin1Char('\n')).contains(QLatin1String("2 unacked")),
                 !live.has_value());
    }

    void celeryUnackedEdges()
    {
        queues::WorkerReader::Context context;
        context.nowMs = kNow;
        context.liveFromEvents = 0;
        // No Celery queue on the server: nothing read.
        queues::CeleryUnackedReader idle(context);
        QVERIFY(idle.nextStep({}).isEmpty());
        // Acknowledged between the two steps (HMGET nil): not stuck; more than the bound: noted.
        context.queues = {{Framework::Celery, {}, "celery"}};
        queues::CeleryUnackedReader reader(context);
        const WorkerScan scan =
            runReader(reader, {{RedisReply::number(1'500),
                                strings({kOldTag, "1796516000.25", kYoungTag, "1796524100.5"})},
                               {strings({QByteArray(), kYoungDelivery})}});
        QCOMPARE(scan.stuck.size(), 1);
        QCOMPARE(scan.stuck.first().id, QString::fromUtf8(kYoungTag));
        QVERIFY2(scan.notes.join(QLatin1Char('\n')).contains(QLatin1String("1498 more")),
                 qPrintable(scan.notes.join(QLatin1Char('\n'))));
        // Refused (an ACL without the keys): said, never "nothing stuck" in silence.
        queues::CeleryUnackedReader refused(context);
        const WorkerScan none = runReader(
            refused, {{RedisReply::error("NOPERM no permissions to access a key"), RedisReply()}});
        QVERIFY(none.stuck.isEmpty());
        QVERIFY(none.notes.join(QLatin1Char('\n')).contains(QLatin1String("NOPERM")));
    }
};

QTEST_GUILESS_MAIN(TestWorkerScan)
#include "tst_workerscan.moc"
