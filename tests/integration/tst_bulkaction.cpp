// The bulk action engine against a real redis-server: bounded script calls, progress, cancel,
// the read-only refusal in the connection layer, and the promise that matters most: a
// connection that drops again and again during a bulk retry of 10,000 jobs loses and
// duplicates nothing. Data is written in each framework's own key layout; that the frameworks'
// real workers then run the jobs is proven per script in tests/actions/.
#include "connectionwait.h"
#include "redisserver.h"

#include "jobs/bulkaction.h"
#include "redis/redisconnection.h"

#include <QDateTime>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using qs::jobs::ActionRequest;
using qs::jobs::ActionSummary;
using qs::jobs::BulkAction;
using qs::jobs::JobAction;
using qs::queues::Framework;
using qs::queues::QueueRef;
using qs::test::RedisServer;

namespace {

constexpr char clientName[] = "qs-bulk-test";

// Failed jobs as each framework leaves them; ids "1".."n" (BullMQ) or "job-1".. (RQ).
const char *failedJobsScript(Framework framework)
{
    if (framework == Framework::RQ)
        return R"(
local n, now = tonumber(ARGV[1]), ARGV[2]
redis.call('SADD', 'rq:queues', 'rq:queue:emails')
for i = 1, n do
  local id = 'job-' .. i
  redis.call('HSET', 'rq:job:' .. id, 'status', 'failed', 'origin', 'emails',
    'description', 'tasks.send(' .. i .. ')', 'data', 'x', 'created_at', '2026-01-01T00:00:00.000000Z',
    'ended_at', '2026-01-01T00:00:01.000000Z')
  redis.call('ZADD', 'rq:failed:emails', now + 31536000, id)
end
return n)";
    return R"(
local n, now = tonumber(ARGV[1]), ARGV[2]
redis.call('HSET', 'bull:emails:meta', 'version', 'bullmq:6.7.0', 'opts.maxLenEvents', '10000')
for i = 1, n do
  local id = tostring(i)
  redis.call('HSET', 'bull:emails:' .. id, 'name', 'send', 'data', '{"i":' .. i .. '}', 'opts',
    '{"attempts":1}', 'timestamp', now, 'processedOn', now, 'finishedOn', now,
    'failedReason', 'boom', 'atm', '1', 'ats', '1')
  redis.call('ZADD', 'bull:emails:failed', now, id)
end
return n)";
}

QueueRef queueOf(Framework framework)
{
    return framework == Framework::RQ ? QueueRef{Framework::RQ, "rq", "emails"}
                                      : QueueRef{Framework::BullMQ, "bull", "emails"};
}

QByteArray waitingKey(Framework framework)
{
    return framework == Framework::RQ ? "rq:queue:emails" : "bull:emails:wait";
}

QByteArray failedKey(Framework framework)
{
    return framework == Framework::RQ ? "rq:failed:emails" : "bull:emails:failed";
}

QSet<QByteArray> expectedIds(Framework framework, int n)
{
    QSet<QByteArray> ids;
    for (int i = 1; i <= n; ++i)
        ids.insert(framework == Framework::RQ ? "job-" + QByteArray::number(i)
                                              : QByteArray::number(i));
    return ids;
}

void makeFailedJobs(RedisServer &server, Framework framework, int n)
{
    const QByteArray now =
        QByteArray::number(framework == Framework::RQ ? QDateTime::currentSecsSinceEpoch()
                                                      : QDateTime::currentMSecsSinceEpoch());
    server.cli({QStringLiteral("EVAL"), QString::fromLatin1(failedJobsScript(framework)),
                QStringLiteral("0"), QString::number(n), QString::fromLatin1(now)});
}

qs::redis::TransportOptions options()
{
    qs::redis::TransportOptions o;
    o.clientName = QString::fromLatin1(clientName);
    o.firstBackoffMs = 50;
    o.maxBackoffMs = 200;
    return o;
}

// Kills the engine's connection (as a network drop would), found by its client name.
void killEngineConnection(qs::redis::RedisConnection &admin)
{
    const auto list = qs::test::runCommand(admin, {"CLIENT", "LIST"});
    QVERIFY(list && list->error.isNone());
    for (const QByteArray &line : list->reply.string.split('\n')) {
        if (!line.contains(QByteArray(" name=") + clientName + ' '))
            continue;
        const QByteArray id = line.mid(3, line.indexOf(' ') - 3);
        qs::test::runCommand(admin, {"CLIENT", "KILL", "ID", id});
    }
}

ActionSummary runToEnd(BulkAction &bulk, int timeoutMs = 120'000)
{
    QSignalSpy finished(&bulk, &BulkAction::finished);
    bulk.start();
    if (!finished.wait(timeoutMs))
        return {};
    return finished.first().first().value<ActionSummary>();
}

} // namespace

class TestBulkAction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void retryAllSurvivesDroppedConnections_data()
    {
        QTest::addColumn<Framework>("framework");
        QTest::newRow("bullmq") << Framework::BullMQ;
        QTest::newRow("rq") << Framework::RQ;
    }

    // 10,000 failed jobs, retried in calls of 250 while the connection is killed three times:
    // afterwards every job is waiting exactly once and none is left in failed.
    void retryAllSurvivesDroppedConnections()
    {
        QFETCH(Framework, framework);
        constexpr int jobs = 10'000;
        RedisServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        makeFailedJobs(server, framework, jobs);
        const auto admin = qs::test::openConnection(server.profile());
        const auto connection = qs::test::openConnection(server.profile(), options());
        QVERIFY(admin && connection);

        ActionRequest request;
        request.queue = queueOf(framework);
        request.action = JobAction::Retry;
        request.all = true;
        BulkAction bulk(connection.get(), request);
        bulk.setBatchSize(250);
        int kills = 0;
        // Each drop hits a call in flight: writes are paused on the server (CLIENT PAUSE
        // WRITE holds the next script unexecuted), the engine's connection is killed, then the
        // server resumes. The engine cannot know whether that call ran and must send it again.
        connect(&bulk, &BulkAction::progress, this, [&](const qs::jobs::ActionProgress &progress) {
            if (progress.calls % 9 != 3 || kills >= 3)
                return;
            ++kills;
            qs::test::runCommand(*admin, {"CLIENT", "PAUSE", "2000", "WRITE"});
            QTimer::singleShot(100, this, [&] {
                killEngineConnection(*admin);
                qs::test::runCommand(*admin, {"CLIENT", "UNPAUSE"});
            });
        });
        const ActionSummary summary = runToEnd(bulk);
        QVERIFY2(summary.completed(), qPrintable(summary.describe()));
        QCOMPARE(kills, 3);
        QVERIFY2(summary.resentCalls >= 1, qPrintable(summary.describe()));
        // A call whose reply was lost may have run: its jobs are not in the counts (all mode
        // moves on to the next jobs), but they are where they belong (checked below).
        QVERIFY(summary.done + summary.skipped <= jobs);
        QVERIFY(summary.done + summary.skipped >= jobs - summary.resentCalls * 250);

        const auto failed = qs::test::runCommand(*admin, {"ZCARD", failedKey(framework)});
        QCOMPARE(failed->reply.integer, 0);
        const auto waiting =
            qs::test::runCommand(*admin, {"LRANGE", waitingKey(framework), "0", "-1"});
        QList<QByteArray> ids;
        for (const auto &element : waiting->reply.elements)
            ids.append(element.string);
        QCOMPARE(ids.size(), jobs); // nothing duplicated...
        const QSet<QByteArray> unique(ids.cbegin(), ids.cend());
        QCOMPARE(unique, expectedIds(framework, jobs)); // ...and nothing lost
    }

    void readOnlyProfileSendsNoWrite()
    {
        RedisServer server;
        QVERIFY(server.start());
        makeFailedJobs(server, Framework::BullMQ, 20);
        const auto admin = qs::test::openConnection(server.profile());
        QVERIFY(admin);
        qs::test::runCommand(*admin, {"CONFIG", "RESETSTAT"});

        qs::core::ConnectionProfile profile = server.profile();
        profile.readOnly = true;
        const auto connection = qs::test::openConnection(profile, options());
        QVERIFY(connection);
        for (JobAction action : {JobAction::Retry, JobAction::Drain, JobAction::Pause}) {
            ActionRequest request;
            request.queue = queueOf(Framework::BullMQ);
            request.action = action;
            request.all = action == JobAction::Retry;
            BulkAction bulk(connection.get(), request);
            const ActionSummary summary = runToEnd(bulk);
            QVERIFY(!summary.completed());
            QCOMPARE(summary.errorKind, qs::redis::RedisError::Kind::ReadOnlyRefused);
            QCOMPARE(summary.done, 0);
        }
        // Nor does any other write get out: the refusal is in the transport, whatever calls it.
        const auto del = qs::test::runCommand(*connection, {"DEL", "bull:emails:failed"});
        QCOMPARE(del->error.kind, qs::redis::RedisError::Kind::ReadOnlyRefused);

        const auto stats = qs::test::runCommand(*admin, {"INFO", "commandstats"});
        QVERIFY(!stats->reply.string.contains("cmdstat_eval"));
        QVERIFY(!stats->reply.string.contains("cmdstat_del"));
        QCOMPARE(qs::test::runCommand(*admin, {"ZCARD", "bull:emails:failed"})->reply.integer, 20);
    }

    // Cancel lands between two calls: what was done stays done, the rest stays failed, and no
    // job is in both places.
    void cancelStopsBetweenCalls()
    {
        RedisServer server;
        QVERIFY(server.start());
        makeFailedJobs(server, Framework::RQ, 1'000);
        const auto connection = qs::test::openConnection(server.profile(), options());
        QVERIFY(connection);
        ActionRequest request;
        request.queue = queueOf(Framework::RQ);
        request.action = JobAction::Retry;
        request.all = true;
        BulkAction bulk(connection.get(), request);
        bulk.setBatchSize(100);
        connect(&bulk, &BulkAction::progress, &bulk, [&](const qs::jobs::ActionProgress &p) {
            if (p.calls == 2)
                bulk.cancel();
        });
        const ActionSummary summary = runToEnd(bulk);
        QVERIFY(summary.cancelled);
        QCOMPARE(summary.calls, 2);
        QCOMPARE(summary.done, 200);
        const auto left = qs::test::runCommand(*connection, {"ZCARD", "rq:failed:emails"});
        const auto moved = qs::test::runCommand(*connection, {"LLEN", "rq:queue:emails"});
        QCOMPARE(left->reply.integer, 800);
        QCOMPARE(moved->reply.integer, 200);
    }

    // Explicit ids: each is acted on at most once; a second run skips them with a reason.
    void explicitIdsAreIdempotent()
    {
        RedisServer server;
        QVERIFY(server.start());
        makeFailedJobs(server, Framework::RQ, 10);
        const auto connection = qs::test::openConnection(server.profile(), options());
        QVERIFY(connection);
        ActionRequest request;
        request.queue = queueOf(Framework::RQ);
        request.action = JobAction::Retry;
        request.ids = {"job-1", "job-2", "job-3", "no-such-job"};
        BulkAction first(connection.get(), request);
        const ActionSummary once = runToEnd(first);
        QVERIFY2(once.completed(), qPrintable(once.describe()));
        QCOMPARE(once.done, 3);
        QCOMPARE(once.skipped, 1);
        BulkAction second(connection.get(), request);
        const ActionSummary twice = runToEnd(second);
        QCOMPARE(twice.done, 0);
        QCOMPARE(twice.skipped, 4);
        QVERIFY(!twice.skippedReasons.isEmpty());
        QCOMPARE(qs::test::runCommand(*connection, {"LLEN", "rq:queue:emails"})->reply.integer, 3);
    }

    void unsupportedActionsAreRefusedWithTheReason()
    {
        ActionRequest request;
        request.queue = {Framework::Sidekiq, {}, "default"};
        request.action = JobAction::Pause;
        const QString why = BulkAction::validate(request);
        QVERIFY2(why.contains(QLatin1String("Sidekiq Pro")), qPrintable(why));
        request.queue = {Framework::BullMQ, "bull", "emails"};
        request.action = JobAction::Remove;
        QVERIFY(BulkAction::validate(request).contains(QLatin1String("ids")));
        request.ids = {"1"};
        QVERIFY(BulkAction::validate(request).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBulkAction)
#include "tst_bulkaction.moc"
