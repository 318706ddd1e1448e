// Throughput per minute without Redis: BullMQ's metrics hash and data list read as whole minutes
// (collectMetrics' layout, aligned on prevTS), counters turned into whole minutes, and the
// tracker's exact / estimated / unknown verdicts with the minute points it records. The real
// workers' numbers are checked by tests/integration/tst_throughputhistory.cpp.
#include "frameworks/bullfamily/bullmetrics.h"
#include "monitor/minutecounter.h"
#include "monitor/throughputtracker.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>

using namespace qs;
using queues::MinuteCount;
using namespace qs::queues::bullmetrics;

namespace {

constexpr qint64 kMin = 60'000;
constexpr qint64 kT0 = 1'700'000'040'000; // a minute start (UTC)

queues::QueueCounts bullmq(qint64 completed, qint64 failed)
{
    queues::QueueCounts counts;
    counts.queue = {queues::Framework::BullMQ, "bull", "emails"};
    counts.set(QStringLiteral("waiting"), 0);
    counts.set(QStringLiteral("completed"), completed);
    counts.set(QStringLiteral("failed"), failed);
    return counts;
}

monitor::PollSnapshot poll(qint64 atMs, QList<queues::QueueCounts> queues,
                           QList<queues::ServerCounts> servers = {})
{
    monitor::PollSnapshot snapshot;
    snapshot.timestampMs = atMs;
    snapshot.queues = std::move(queues);
    snapshot.queueServers = std::move(servers);
    return snapshot;
}

double valueOf(const QList<history::Sample> &samples, const QString &series, qint64 atMs)
{
    for (const history::Sample &sample : samples) {
        if (sample.series == series && sample.atMs == atMs)
            return sample.value;
    }
    return -1;
}

} // namespace

class TestThroughput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void metricsHashNeedsANumber()
    {
        using redis::RedisReply;
        QVERIFY(!readHash(RedisReply::array({RedisReply{}, RedisReply{}, RedisReply{}})));
        QVERIFY(!readHash(RedisReply::array({RedisReply::bulk("x"), RedisReply{}, RedisReply{}})));
        const auto hash = readHash(
            RedisReply::array({RedisReply::bulk("7"), RedisReply::bulk("123"), RedisReply{}}));
        QVERIFY(hash);
        QCOMPARE(hash->count, 7);
        QCOMPARE(hash->prevTsMs, 123);
        QCOMPARE(hash->prevCount, 0);
    }

    void lastWholeMinuteAlignsOnPrevTs()
    {
        // 10 jobs so far; the last flush (prevTS, prevCount 6) was 20 s into minute kT0.
        const MetricsHash hash{10, kT0 + 20'000, 6};
        // Still in prevTS's minute: the newest point is the minute before.
        QCOMPARE(lastWholeMinute(hash, 4, kT0 + 50'000), (MinuteCount{kT0 - kMin, 4}));
        QCOMPARE(lastWholeMinute(hash, std::nullopt, kT0 + 50'000), (MinuteCount{kT0 - kMin, 0}));
        // The next minute: prevTS's minute is whole, its jobs are count - prevCount.
        QCOMPARE(lastWholeMinute(hash, 4, kT0 + kMin + 5), (MinuteCount{kT0, 4}));
        // Later: nothing finished since.
        QCOMPARE(lastWholeMinute(hash, 4, kT0 + 5 * kMin), (MinuteCount{kT0 + 4 * kMin, 0}));
    }

    void wholeMinutesFromTheDataList()
    {
        const MetricsHash hash{10, kT0 + 20'000, 6};
        // Newest first: minute kT0-1 had 3 jobs, kT0-2 none, kT0-3 one (3 + 0 + 1 + 6... = 10
        // with the 4 of prevTS's minute and 2 before the list began).
        const QList<MinuteCount> inMinute = wholeMinutes(hash, {3, 0, 1}, kT0 + 30'000);
        QCOMPARE(inMinute,
                 (QList<MinuteCount>{{kT0 - 3 * kMin, 1}, {kT0 - 2 * kMin, 0}, {kT0 - kMin, 3}}));
        const QList<MinuteCount> later = wholeMinutes(hash, {3, 0, 1}, kT0 + 3 * kMin);
        QCOMPARE(later.size(), 6);
        QCOMPARE(later.at(3), (MinuteCount{kT0, 4}));
        QCOMPARE(later.at(5), (MinuteCount{kT0 + 2 * kMin, 0}));
    }

    void minuteCounterSumsTheGrowth()
    {
        monitor::MinuteCounter counter;
        QVERIFY(!counter.add(kT0 + 30'000, 100)); // the first minute is partial
        QVERIFY(!counter.add(kT0 + 50'000, 110));
        QVERIFY(!counter.add(kT0 + 50'000, 999)); // the same reading again: ignored
        QVERIFY(!counter.add(kT0 + kMin + 1'000, 115));
        QVERIFY(!counter.add(kT0 + kMin + 30'000, 120));
        const auto first = counter.add(kT0 + 2 * kMin + 1'000, 121);
        QVERIFY(first);
        QCOMPARE(first->startMs, kT0 + kMin);
        QCOMPARE(first->count, 10); // 110 -> 120
        QVERIFY(!first->wentDown);
        QVERIFY(!counter.add(kT0 + 2 * kMin + 2'000, 50)); // trimmed or reset
        const auto second = counter.add(kT0 + 3 * kMin + 1'000, 55);
        QVERIFY(second);
        QCOMPARE(second->count, 1);
        QVERIFY(second->wentDown);
        // A minute without a reading: the next one is partial.
        QCOMPARE(counter.add(kT0 + 5 * kMin + 1'000, 60)->startMs, kT0 + 3 * kMin);
        QVERIFY(!counter.add(kT0 + 6 * kMin + 1'000, 61));
        QCOMPARE(counter.add(kT0 + 7 * kMin + 1'000, 70)->count, 1);
    }

    void exactFromTheFrameworksMetrics()
    {
        monitor::ThroughputTracker tracker;
        queues::QueueCounts counts = bullmq(500, 9);
        queues::QueueDetails details;
        details.readAtMs = kT0 + 5'000;
        details.completed.lastWholeMinute = MinuteCount{kT0 - kMin, 42};
        counts.details = std::make_shared<const queues::QueueDetails>(details);
        tracker.update(poll(kT0 + 5'000, {counts}));
        const monitor::QueueThroughput now = tracker.queue(counts.queue);
        QCOMPARE(now.source, monitor::ThroughputSource::Exact);
        QCOMPARE(now.completedPerMin, 42.0);
        QCOMPARE(now.failedPerMin, 0.0); // no failed hash yet: nothing failed
        QCOMPARE(now.minuteStartMs, kT0 - kMin);
        const QList<history::Sample> minutes = tracker.takeMinutes();
        const QString owner = QStringLiteral("queue.bullmq/bull/emails");
        QCOMPARE(valueOf(minutes, owner + ".completedPerMin", kT0 - kMin), 42.0);
        QCOMPARE(valueOf(minutes, owner + ".failedPerMin", kT0 - kMin), 0.0);
        QCOMPARE(valueOf(minutes, owner + ".throughputExact", kT0 - kMin), 1.0);
        tracker.update(poll(kT0 + 6'000, {counts})); // the same minute: recorded once
        QVERIFY(tracker.takeMinutes().isEmpty());
    }

    void estimatedFromCountDeltasSaysWhenTrimmed()
    {
        monitor::ThroughputTracker tracker;
        const queues::QueueRef queue{queues::Framework::BullMQ, "bull", "emails"};
        tracker.update(poll(kT0 + 1'000, {bullmq(0, 0)}));
        QCOMPARE(tracker.queue(queue).source, monitor::ThroughputSource::Unknown);
        tracker.update(poll(kT0 + kMin + 1'000, {bullmq(10, 1)}));
        tracker.update(poll(kT0 + kMin + 30'000, {bullmq(30, 2)}));
        tracker.update(poll(kT0 + 2 * kMin + 1'000, {bullmq(31, 2)}));
        monitor::QueueThroughput now = tracker.queue(queue);
        QCOMPARE(now.source, monitor::ThroughputSource::Estimated);
        QCOMPARE(now.minuteStartMs, kT0 + kMin);
        QCOMPARE(now.completedPerMin, 30.0);
        QCOMPARE(now.failedPerMin, 2.0);
        QVERIFY(!now.atLeast);
        const QList<history::Sample> minutes = tracker.takeMinutes();
        QCOMPARE(valueOf(minutes, "queue.bullmq/bull/emails.throughputExact", kT0 + kMin), 0.0);
        // removeOnComplete trims the set: it shrinks, and the estimate says so.
        tracker.update(poll(kT0 + 2 * kMin + 30'000, {bullmq(10, 2)}));
        tracker.update(poll(kT0 + 3 * kMin + 1'000, {bullmq(12, 2)}));
        now = tracker.queue(queue);
        QCOMPARE(now.source, monitor::ThroughputSource::Estimated);
        QVERIFY(now.atLeast);
        QVERIFY2(now.note.contains("shrank"), qPrintable(now.note));
        // and the alert rules get no number from it ("throughput stopped" would be false)
        for (const history::Sample &sample : tracker.current())
            QVERIFY2(!sample.series.startsWith("queue.bullmq/bull/emails."),
                     qPrintable(sample.series));
    }

    // The note is kept from poll to poll while it says the same (it is built once per minute,
    // not on every poll of every queue): it must still follow the minute and the trimming.
    void estimatedNoteFollowsTheMinute()
    {
        monitor::ThroughputTracker tracker;
        const queues::QueueRef queue{queues::Framework::BullMQ, "bull", "emails"};
        auto minuteText = [](qint64 startMs) {
            return QDateTime::fromMSecsSinceEpoch(startMs, QTimeZone::utc())
                .toString(QStringLiteral("HH:mm 'UTC'"));
        };
        tracker.update(poll(kT0 + 1'000, {bullmq(0, 0)}));
        tracker.update(poll(kT0 + kMin + 1'000, {bullmq(10, 0)}));
        tracker.update(poll(kT0 + 2 * kMin + 1'000, {bullmq(20, 0)}));
        QVERIFY2(tracker.queue(queue).note.contains(minuteText(kT0 + kMin)),
                 qPrintable(tracker.queue(queue).note));
        tracker.update(poll(kT0 + 2 * kMin + 20'000, {bullmq(5, 0)})); // trimmed
        QVERIFY(!tracker.queue(queue).note.contains("shrank"));        // the minute before did not
        tracker.update(poll(kT0 + 3 * kMin + 1'000, {bullmq(8, 0)}));
        monitor::QueueThroughput now = tracker.queue(queue);
        QVERIFY2(now.note.contains(minuteText(kT0 + 2 * kMin)) && now.note.contains("shrank"),
                 qPrintable(now.note));
        tracker.update(poll(kT0 + 4 * kMin + 1'000, {bullmq(9, 0)}));
        now = tracker.queue(queue);
        QVERIFY2(now.note.contains(minuteText(kT0 + 3 * kMin)) && !now.note.contains("shrank"),
                 qPrintable(now.note));
        QCOMPARE(now.completedPerMin, 3.0); // 5 at the end of the minute before, then 8
    }

    void sidekiqCountersAreExactForAllItsQueues()
    {
        monitor::ThroughputTracker tracker;
        auto server = [](qint64 processed, qint64 failed) {
            queues::ServerCounts counts;
            counts.framework = queues::Framework::Sidekiq;
            counts.completed.total = processed;
            counts.completed.includesFailed = true; // as Sidekiq's processed
            counts.failed.total = failed;
            return counts;
        };
        tracker.update(poll(kT0 + 59'000, {}, {server(100, 5)}));
        tracker.update(poll(kT0 + kMin + 20'000, {}, {server(107, 6)}));
        tracker.update(poll(kT0 + 2 * kMin, {}, {server(110, 6)}));
        const monitor::QueueThroughput now = tracker.installation(queues::Framework::Sidekiq, {});
        QCOMPARE(now.source, monitor::ThroughputSource::Exact);
        QCOMPARE(now.completedPerMin, 6.0); // 7 processed, 1 of them failed
        QCOMPARE(now.failedPerMin, 1.0);
        const QList<history::Sample> minutes = tracker.takeMinutes();
        QCOMPARE(valueOf(minutes, "framework.sidekiq//.completedPerMin", kT0 + kMin), 6.0);
    }
};

QTEST_GUILESS_MAIN(TestThroughput)
#include "tst_throughput.moc"
