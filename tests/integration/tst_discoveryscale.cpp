// Issue 4: discovery at scale. 10,000 queues (5,000 BullMQ + 5,000 RQ, written in bulk by one Lua
// script) among unrelated keys are all found by QueueMonitor exactly once, with the right
// framework, prefix and name, in a bounded number of SCAN calls, and they appear incrementally
// (queuesChanged more than once) instead of in one batch at the end. A second pass finds nothing
// new.

#include "connectionwait.h"
#include "redisserver.h"

#include "monitor/queuemonitor.h"
#include "queues/queuediscovery.h"
#include "redis/redisconnection.h"

#include <QEventLoop>
#include <QSet>
#include <QTimer>
#include <QtTest>

using namespace qs;
using namespace qs::test;

namespace {

constexpr int kBullMqQueues = 5000;
constexpr int kRqQueues = 5000;
constexpr int kUnrelatedKeys = 20000;

// BullMQ: meta (version + opts.maxLenEvents, as every BullMQ 6 Queue writes), id, a waiting
// job. RQ: the rq:queues registry member and the queue list.
const char kPopulate[] = R"lua(
local bull, rq = tonumber(ARGV[1]), tonumber(ARGV[2])
for i = 0, bull - 1 do
  local b = 'bull:mq-' .. i .. ':'
  redis.call('HSET', b .. 'meta', 'version', 'bullmq:6.7.0', 'opts.maxLenEvents', '10000')
  redis.call('SET', b .. 'id', '1')
  redis.call('RPUSH', b .. 'wait', '1')
end
for i = 0, rq - 1 do
  local name = 'rq-' .. i
  redis.call('SADD', 'rq:queues', 'rq:queue:' .. name)
  redis.call('RPUSH', 'rq:queue:' .. name, 'job-' .. i)
end
return bull + rq
)lua";

qint64 serverStat(const RedisServer &server, const QByteArray &command, const QByteArray &field)
{
    const QByteArray stats = server.cli({QStringLiteral("INFO"), QStringLiteral("commandstats")});
    for (const QByteArray &line : stats.split('\n')) {
        if (!line.startsWith("cmdstat_" + command + ':'))
            continue;
        for (const QByteArray &part : line.trimmed().mid(command.size() + 9).split(',')) {
            if (part.startsWith(field + '='))
                return part.mid(field.size() + 1).toLongLong();
        }
    }
    return 0;
}

// Runs discovery and waits in a real event loop (QTest::qWaitFor sleeps 10 ms between rounds of
// event processing, which would add up to 10 ms to each of the hundreds of round trips).
bool discoverAndWait(monitor::QueueMonitor &monitor, int timeoutMs)
{
    QEventLoop loop;
    bool finished = false;
    QObject::connect(&monitor, &monitor::QueueMonitor::discoveryFinished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    monitor.discover();
    loop.exec();
    return finished;
}

} // namespace

class TestDiscoveryScale : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void findsTenThousandQueuesOnceIncrementally()
    {
        RedisServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        int exitCode = -1;
        QByteArray out = server.cli(
            {QStringLiteral("DEBUG"), QStringLiteral("POPULATE"), QString::number(kUnrelatedKeys)},
            &exitCode);
        QVERIFY2(exitCode == 0 && out.startsWith("OK"), out.constData());
        out = server.cli({QStringLiteral("EVAL"), QString::fromUtf8(kPopulate), QStringLiteral("0"),
                          QString::number(kBullMqQueues), QString::number(kRqQueues)},
                         &exitCode);
        QCOMPARE(out.trimmed(), QByteArray::number(kBullMqQueues + kRqQueues));
        const qint64 dbsize = server.cli({QStringLiteral("DBSIZE")}).trimmed().toLongLong();
        QVERIFY(dbsize >= kUnrelatedKeys + 3 * kBullMqQueues + kRqQueues);
        server.cli({QStringLiteral("CONFIG"), QStringLiteral("RESETSTAT")});

        redis::RedisConnection connection(server.profile());
        connection.open();
        QVERIFY(waitForState(connection, redis::ConnectionState::Connected));

        monitor::QueueMonitor monitor(&connection, monitor::QueueMonitor::defaultAdapters());
        auto *discovery = monitor.findChild<queues::QueueDiscovery *>();
        QVERIFY(discovery);
        int changed = 0;
        int reported = 0; // every queuesFound batch holds new queues only
        QStringList reportedIds;
        bool finished = false;
        QString discoveryError;
        connect(&monitor, &monitor::QueueMonitor::queuesChanged, this, [&] { ++changed; });
        connect(discovery, &queues::QueueDiscovery::queuesFound, this,
                [&](const QList<queues::QueueRef> &found) {
                    reported += int(found.size());
                    for (const queues::QueueRef &queue : found)
                        reportedIds.append(queue.id());
                });
        connect(&monitor, &monitor::QueueMonitor::discoveryFinished, this,
                [&](const QString &e) { discoveryError = e, finished = true; });

        QVERIFY2(discoverAndWait(monitor, 120'000), "discovery did not finish");
        QVERIFY(finished);
        QVERIFY2(discoveryError.isEmpty(), qPrintable(discoveryError));

        // Exactly once: as many reports as queues, no id twice, in the monitor and in reports.
        QCOMPARE(reported, kBullMqQueues + kRqQueues);
        QCOMPARE(QSet<QString>(reportedIds.cbegin(), reportedIds.cend()).size(),
                 kBullMqQueues + kRqQueues);
        const QList<queues::QueueRef> found = monitor.queues();
        QCOMPARE(found.size(), kBullMqQueues + kRqQueues);
        // The ids the monitor keeps (shared with whoever keys on them) are each queue's own,
        // in its order, after 10,000 queues arrived in batches and were sorted.
        QCOMPARE(monitor.queueIds().size(), found.size());
        for (qsizetype i = 0; i < found.size(); ++i)
            QCOMPARE(monitor.queueIds().at(i), found.at(i).id());

        // Correct names: exactly the expected (framework, prefix, name) triples.
        QSet<QString> expected;
        for (int i = 0; i < kBullMqQueues; ++i)
            expected.insert(
                queues::QueueRef{queues::Framework::BullMQ, "bull", "mq-" + QByteArray::number(i)}
                    .id());
        for (int i = 0; i < kRqQueues; ++i)
            expected.insert(
                queues::QueueRef{queues::Framework::RQ, "rq", "rq-" + QByteArray::number(i)}.id());
        QSet<QString> actual;
        for (const queues::QueueRef &queue : found)
            actual.insert(queue.id());
        QCOMPARE(actual.size(), found.size());
        const QSet<QString> missing = expected - actual;
        const QSet<QString> extra = actual - expected;
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral("%1 missing, e.g. %2")
                                .arg(missing.size())
                                .arg(missing.isEmpty() ? QString() : *missing.cbegin())));
        QVERIFY2(extra.isEmpty(),
                 qPrintable(QStringLiteral("%1 unexpected, e.g. %2")
                                .arg(extra.size())
                                .arg(extra.isEmpty() ? QString() : *extra.cbegin())));

        // Bounded SCAN: each scanned pattern walks the keyspace once, at COUNT n about
        // dbsize / n calls; allow twice that (rehashing, cursor rounding) plus 2 per pattern.
        int patterns = 0;
        for (const auto &adapter : monitor.adapters())
            patterns += int(adapter->scanPatterns().size());
        const int scanCalls = discovery->scanCalls();
        const qint64 count = queues::QueueDiscovery::defaultScanCount;
        const qint64 bound = patterns * (2 * (dbsize / count + 1) + 2);
        qInfo("%lld keys, %d SCAN patterns: %d SCAN calls (bound %lld), queuesChanged %d times",
              static_cast<long long>(dbsize), patterns, scanCalls, static_cast<long long>(bound),
              changed);
        QVERIFY(scanCalls > 0);
        QVERIFY2(scanCalls <= bound,
                 qPrintable(QStringLiteral("%1 SCAN calls > %2").arg(scanCalls).arg(bound)));
        // The server agrees (and saw no KEYS).
        QCOMPARE(serverStat(server, "scan", "calls"), qint64(scanCalls));
        QCOMPARE(serverStat(server, "keys", "calls"), qint64(0));

        // Incremental: the BullMQ queues arrive over several SCAN batches.
        QVERIFY2(changed > 1, qPrintable(QStringLiteral("queuesChanged %1 times").arg(changed)));

        // A second pass finds the same queues and reports none again.
        changed = 0;
        reported = 0;
        finished = false;
        QVERIFY2(discoverAndWait(monitor, 120'000), "second pass did not finish");
        QVERIFY(finished);
        QVERIFY2(discoveryError.isEmpty(), qPrintable(discoveryError));
        QCOMPARE(reported, 0);
        QCOMPARE(changed, 0);
        QCOMPARE(monitor.queues().size(), kBullMqQueues + kRqQueues);
    }
};

QTEST_GUILESS_MAIN(TestDiscoveryScale)
#include "tst_discoveryscale.moc"
