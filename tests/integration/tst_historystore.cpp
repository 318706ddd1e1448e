// History on disk (models/history/historystore) with real SQLite files: what was written is read
// back after the store is closed and opened again, at the tier the range asks for; one writer per
// database; and a damaged, read-only or full database is said so, never a crash, and a write the
// disk refused is kept and succeeds later.
#include "history/historystore.h"
#include "history/historytiers.h"

#include <QDateTime>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using qs::history::Chunk;
using qs::history::HistoryStore;
using qs::history::SeriesBuckets;

namespace {

using Access = HistoryStore::Access;

// Two hours of one server metric (1 s) and one queue count, ending now.
QList<Chunk> twoHours(qint64 *startMs)
{
    SeriesBuckets buckets;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    *startMs = now - 2 * 3'600'000 - (now % 60'000);
    for (qint64 at = *startMs; at < now; at += 1'000)
        buckets.append(at, {{"server.connected_clients", double((at - *startMs) / 60'000), true},
                            {"queue.rq/rq/mail.queued", 7, false}});
    return buckets.takeChanged();
}

} // namespace

class TestHistoryStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsBackAfterReopeningAtTheRangesTier()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("servers/local.sqlite");
        qint64 start = 0;
        {
            HistoryStore store(path);
            QVERIFY2(store.open(Access::Write).writable, qPrintable(store.status().message));
            QVERIFY(store.write(twoHours(&start)));
        }
        HistoryStore store(path);
        QVERIFY(store.open(Access::Read).readable);
        QCOMPARE(store.seriesNames(),
                 QStringList({"queue.rq/rq/mail.queued", "server.connected_clients"}));
        // Five minutes: 1 s steps. Minute 10 of the recording had 10 clients.
        const qint64 minute10 = start + 10 * 60'000;
        auto fine = store.read("server.connected_clients", minute10, minute10 + 299'000, 1'000);
        QCOMPARE(fine.stepMs, 1'000);
        QCOMPARE(fine.points.size(), 300);
        QCOMPARE(fine.points.first(), qMakePair(minute10, 10.0));
        // Two hours in at most 1,000 points: 10 s steps.
        auto wide = store.read("server.connected_clients", start, start + 7'199'000, 1'000);
        QCOMPARE(wide.stepMs, 10'000);
        QCOMPARE(wide.points.size(), 720);
        // A queue has no 1 s tier: its short range comes from the 10 s one.
        auto queue = store.read("queue.rq/rq/mail.queued", minute10, minute10 + 60'000, 1'000);
        QCOMPARE(queue.stepMs, 10'000);
        QCOMPARE(queue.points.size(), 7);
        QCOMPARE(queue.points.first().second, 7.0);
        // Before anything was recorded: nothing, not zeros.
        QVERIFY(store.read("server.connected_clients", start - 3'600'000, start - 1, 1'000)
                    .points.isEmpty());
        QVERIFY(store.read("server.nothing", start, start + 1'000, 10).points.isEmpty());
    }

    // A backfill (what a framework recorded before) fills only the minutes nobody recorded,
    // whether it comes before or after the recording: a recorded minute is never replaced; the
    // recorder's later chunk keeps the backfilled minutes in its gaps.
    void aBackfillFillsOnlyWhatWasNotRecorded()
    {
        QTemporaryDir dir;
        HistoryStore store(dir.filePath("local.sqlite"));
        QVERIFY(store.open(Access::Write).writable);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 minute = now - now % 60'000 - 10 * 60'000;
        const QString series = QStringLiteral("queue.bullmq/bull/q.completedPerMin");
        auto recorded = [&](qint64 at, double value) {
            SeriesBuckets buckets;
            qs::history::Sample sample{series, value};
            sample.atMs = at;
            buckets.append(now, {sample});
            return buckets.takeChanged();
        };
        QVERIFY(store.write(recorded(minute + 60'000, 5))); // the recorder's minute
        QVERIFY(store.write(qs::history::chunksOfPoints(
            series, qs::history::minuteTier,
            {{minute, 40}, {minute + 60'000, 99}, {minute + 120'000, 41}}, true)));
        QVERIFY(store.write(recorded(minute + 180'000, 6))); // recorded after the backfill
        const auto range = store.read(series, minute, minute + 180'000, 100);
        QCOMPARE(range.stepMs, 60'000);
        QCOMPARE(range.points, (QList<QPair<qint64, double>>{{minute, 40},
                                                             {minute + 60'000, 5},
                                                             {minute + 120'000, 41},
                                                             {minute + 180'000, 6}}));
    }

    // The app restarted within a chunk's span: the new recorder's chunk has gaps where the old
    // one wrote; those points stay.
    void aRestartedRecorderKeepsTheChunksPoints()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("local.sqlite");
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 start = now - 3'600'000 - now % 600'000; // a 10-minute boundary, 1 h ago
        auto record = [&path](qint64 from, qint64 to) {
            HistoryStore store(path);
            QVERIFY(store.open(Access::Write).writable);
            SeriesBuckets buckets;
            for (qint64 at = from; at < to; at += 1'000)
                buckets.append(at, {{"server.connectedClients", double(at - from), true}});
            QVERIFY(store.write(buckets.takeChanged()));
        };
        record(start, start + 60'000); // first run: one minute
        // restarted a minute later, and written twice (two flushes) as a recorder does
        record(start + 120'000, start + 150'000);
        record(start + 150'000, start + 180'000);
        HistoryStore store(path);
        QVERIFY(store.open(Access::Read).readable);
        const auto range = store.read("server.connectedClients", start, start + 179'000, 1'000);
        QCOMPARE(range.stepMs, 1'000);
        QCOMPARE(range.points.size(), 120); // both minutes, the gap between them a gap
        QCOMPARE(range.points.at(59).first, start + 59'000);
        QCOMPARE(range.points.at(60).first, start + 120'000);
    }

    // One store writes the same open chunk at every flush: after a restart, each of those writes
    // keeps what the earlier run stored; a chunk nobody stored before is not read back each time.
    void everyFlushOfARestartedChunkKeepsTheEarlierRun()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("local.sqlite");
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 start = now - 3'600'000 - now % 600'000;
        const auto minute = [](SeriesBuckets &buckets, qint64 from) {
            for (qint64 at = from; at < from + 60'000; at += 1'000)
                buckets.append(at, {{"server.connectedClients", 5, true}});
        };
        {
            HistoryStore store(path);
            QVERIFY(store.open(Access::Write).writable);
            SeriesBuckets buckets;
            minute(buckets, start);
            QVERIFY(store.write(buckets.takeChanged()));
        }
        HistoryStore store(path);
        QVERIFY(store.open(Access::Write).writable);
        SeriesBuckets buckets;
        for (int flush = 1; flush <= 3; ++flush) {
            minute(buckets, start + flush * 120'000);
            QVERIFY(store.write(buckets.takeChanged()));
            const auto range = store.read("server.connectedClients", start, start + 599'000, 1'000);
            QCOMPARE(range.points.size(), 60 * (flush + 1));
            QCOMPARE(range.points.first().first, start);
        }
    }

    void oneWriterPerDatabase()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("local.sqlite");
        HistoryStore first(path);
        QVERIFY2(first.open(Access::Write).writable, qPrintable(first.status().message));
        HistoryStore second(path);
        const HistoryStore::Status &status = second.open(Access::Write);
        QVERIFY(!status.writable);
        QVERIFY(status.readable);
        QVERIFY2(status.message.contains("only reads it"), qPrintable(status.message));
        qint64 start = 0;
        QVERIFY(!second.write(twoHours(&start)));
    }

    void aDamagedFileIsSaidSoNotCrashedOn()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("local.sqlite");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(8192, 'x')); // not a database
        file.close();
        HistoryStore store(path);
        const HistoryStore::Status &status = store.open(Access::Write);
        QVERIFY(!status.readable && !status.writable);
        QVERIFY2(status.message.contains(path) && status.message.contains("memory only"),
                 qPrintable(status.message));
        QVERIFY(!store.write({}));
        QVERIFY(store.read("server.x", 0, 1, 1).points.isEmpty());
        HistoryStore reader(path); // a chart's reader says so too
        const HistoryStore::Status &read = reader.open(Access::Read);
        QVERIFY(!read.readable);
        QVERIFY2(read.message.contains(path), qPrintable(read.message));
        QFile check(path); // and the file is left as it was, for whoever looks into it
        QVERIFY(check.open(QIODevice::ReadOnly));
        QCOMPARE(check.readAll(), QByteArray(8192, 'x'));
    }

    void aFullDiskKeepsTheWriteForLater()
    {
        QTemporaryDir dir;
        HistoryStore store(dir.filePath("local.sqlite"));
        QVERIFY(store.open(Access::Write).writable);
        store.limitGrowthForTest(0); // the disk is "full"
        qint64 start = 0;
        QList<Chunk> chunks = twoHours(&start);
        QRandomGenerator noise(15); // counts that do not compress: more than the free pages
        for (int queue = 0; queue < 50; ++queue) {
            Chunk busy{QStringLiteral("queue.q%1.waiting").arg(queue), 1, start, {}};
            for (int step = 0; step < 360; ++step)
                busy.values.append(double(noise.bounded(1'000'000)));
            chunks.append(busy);
        }
        QVERIFY(!store.write(chunks));
        QVERIFY2(store.status().message.contains("full") &&
                     store.status().message.contains("tried again"),
                 qPrintable(store.status().message));
        store.limitGrowthForTest(100'000); // space again: the same chunks go in whole
        QVERIFY2(store.write(chunks), qPrintable(store.status().message));
        QVERIFY(store.status().message.isEmpty());
        QCOMPARE(
            store.read("queue.rq/rq/mail.queued", start, start + 7'199'000, 1'000).points.size(),
            720);
    }

    void aReadOnlyDatabaseIsReadNotWritten()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("local.sqlite");
        qint64 start = 0;
        {
            HistoryStore store(path);
            QVERIFY(store.open(Access::Write).writable);
            QVERIFY(store.write(twoHours(&start)));
        }
        HistoryStore reader(path);
        QVERIFY(reader.open(Access::Read).readable);
        QVERIFY(!reader.write({}));
        QCOMPARE(reader.read("queue.rq/rq/mail.queued", start, start + 60'000, 100).points.size(),
                 7);
        HistoryStore missing(dir.filePath("never.sqlite"));
        QCOMPARE(missing.open(Access::Read).message, "no history recorded yet");
        QVERIFY(!QFile::exists(dir.filePath("never.sqlite"))); // reading creates nothing
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
