// Charts read history through history::HistoryReader: on a thread of its own, while a recorder
// writes the same database, with the reply on the asking thread; a database not made yet reads
// nothing (no warning) and is read once it exists; a damaged one is said so; gaps (nothing
// recorded) are marked for the plot, a slow recorder's sparse steps are not.
#include "history/historyreader.h"
#include "history/historyrecorder.h"

#include <QDateTime>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using qs::history::breakAtGaps;
using qs::history::HistoryReader;
using qs::history::HistoryRecorder;
using qs::history::RangeReply;
using qs::history::SeriesRange;

namespace {

int gapsIn(const QList<QPair<qint64, double>> &points)
{
    int gaps = 0;
    for (const auto &point : points)
        gaps += std::isnan(point.second) ? 1 : 0;
    return gaps;
}

} // namespace

class TestHistoryReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gapsAreWhereNothingWasRecorded()
    {
        // A recorder polling every 5 s fills one 1 s step in five: a line, no gap.
        SeriesRange sparse{1'000, {}};
        for (qint64 at = 0; at < 600'000; at += 5'000)
            sparse.points.append({at, 1.0});
        QCOMPARE(gapsIn(breakAtGaps(sparse)), 0);
        // Ten minutes without a value in a 1 min series: one gap, a step after the last value.
        SeriesRange holed{60'000, {}};
        for (qint64 minute = 0; minute < 60; ++minute) {
            if (minute < 20 || minute >= 30)
                holed.points.append({minute * 60'000, double(minute)});
        }
        const auto marked = breakAtGaps(holed);
        QCOMPARE(gapsIn(marked), 1);
        QCOMPARE(marked.size(), holed.points.size() + 1);
        QCOMPARE(marked.at(20).first, 20 * 60'000);
        QVERIFY(std::isnan(marked.at(20).second));
        // Nothing after the last value up to where the next data starts: a gap there too.
        QCOMPARE(gapsIn(breakAtGaps(holed, 59 * 60'000 + 30 * 60'000)), 2);
        QCOMPARE(gapsIn(breakAtGaps(holed, 60 * 60'000)), 1);
    }

    // 30 days at 1 min is 43,200 points for a chart a few hundred pixels wide: the reader keeps
    // each run's lowest and highest value and every gap, so the line looks the same.
    void aLongSeriesKeepsItsEnvelope()
    {
        SeriesRange month{60'000, {}};
        for (qint64 minute = 0; minute < 43'200; ++minute) {
            if (minute >= 20'000 && minute < 20'100)
                continue; // 100 minutes not recorded
            const double spike = minute == 30'001 ? 1'000.0 : 0.0;
            month.points.append({minute * 60'000, double(minute % 60) + spike});
        }
        const auto kept = qs::history::keepEnvelope(breakAtGaps(month), 4'000);
        QVERIFY(kept.size() <= 4'002);
        QVERIFY(kept.size() >= 3'900);
        QCOMPARE(gapsIn(kept), 1);
        QVERIFY(std::is_sorted(kept.begin(), kept.end(),
                               [](const auto &a, const auto &b) { return a.first < b.first; }));
        double high = 0, low = 1e9;
        for (const auto &[at, value] : kept) {
            if (!std::isnan(value)) {
                high = std::max(high, value);
                low = std::min(low, value);
            }
        }
        QCOMPARE(high, 1'001.0); // the spike
        QCOMPARE(low, 0.0);
        QCOMPARE(qs::history::keepEnvelope(month.points.mid(0, 100), 4'000),
                 month.points.mid(0, 100));
    }

    void readsOffTheCallersThreadWhileARecorderWrites()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history/local.sqlite"));
        HistoryReader reader(path);
        QSignalSpy replies(&reader, &HistoryReader::rangeRead);
        const qint64 now = QDateTime::currentMSecsSinceEpoch() / 1'000 * 1'000; // a step's start

        // Nothing recorded yet: nothing read, and nothing to warn about.
        const QStringList series{QStringLiteral("server.connectedClients")};
        reader.request(1, {series}, now - 3'600'000, now, 1'000);
        QVERIFY(replies.wait(5'000));
        auto reply = replies.takeFirst().at(0).value<RangeReply>();
        QVERIFY(reply.message.isEmpty());
        QVERIFY(reply.lines.isEmpty());

        // A recorder writes the last 10 minutes (1 s), then goes on writing while we read.
        HistoryRecorder recorder(path, 100);
        const qint64 start = now - 600'000;
        for (qint64 at = start; at < now; at += 1'000)
            recorder.record(at, {{series.first(), double((at - start) / 1'000), true}});
        QVERIFY(recorder.flush());
        QThread *asking = QThread::currentThread();
        QThread *answered = nullptr;
        connect(&reader, &HistoryReader::rangeRead, this,
                [&answered] { answered = QThread::currentThread(); });
        for (int i = 0; i < 20; ++i)
            recorder.record(now + i * 1'000, {{series.first(), 600.0 + i, true}});
        const quint64 id = reader.request(1, {series}, start, now - 1, 1'000);
        QTRY_VERIFY_WITH_TIMEOUT(!replies.isEmpty(), 5'000);
        reply = replies.takeFirst().at(0).value<RangeReply>();
        QCOMPARE(reply.id, id);
        QCOMPARE(answered, asking);
        QVERIFY2(reply.message.isEmpty(), qPrintable(reply.message));
        QCOMPARE(reply.lines.size(), 1);
        QCOMPARE(reply.lines.first().stepMs, 1'000);
        QCOMPARE(reply.lines.first().points.size(), 600);
        QCOMPARE(reply.lines.first().points.at(42).second, 42.0);
    }

    // A queue's line is the sum of the framework's states that mean it (BullMQ's waiting is
    // "wait" and "paused"): summed step by step, a step with one of them is not a gap.
    void aLineSumsItsSeries()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("local.sqlite"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch() / 60'000 * 60'000;
        const QString wait = QStringLiteral("queue.bullmq/bull/mail.wait");
        const QString paused = QStringLiteral("queue.bullmq/bull/mail.paused");
        {
            HistoryRecorder recorder(path, 100);
            for (qint64 at = now - 3'600'000; at < now; at += 10'000) {
                QList<qs::history::Sample> samples{{wait, 5, false}};
                if (at >= now - 1'800'000) // paused only in the last half hour
                    samples.append({paused, 2, false});
                recorder.record(at, samples);
            }
            QVERIFY(recorder.flush());
        }
        HistoryReader reader(path);
        QSignalSpy replies(&reader, &HistoryReader::rangeRead);
        reader.request(3, {QStringList{wait, paused}, QStringList{paused}}, now - 3'600'000,
                       now - 1, 1'000);
        QVERIFY(replies.wait(5'000));
        const auto reply = replies.takeFirst().at(0).value<RangeReply>();
        QCOMPARE(reply.lines.size(), 2);
        const SeriesRange &waiting = reply.lines.at(0);
        QCOMPARE(waiting.stepMs, 10'000);
        QCOMPARE(waiting.points.size(), 360);
        QCOMPARE(gapsIn(waiting.points), 0);
        QCOMPARE(waiting.points.first().second, 5.0);
        QCOMPARE(waiting.points.last().second, 7.0);
        QCOMPARE(reply.lines.at(1).points.size(), 180);
    }

    void aDamagedDatabaseIsSaidSo()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("damaged.sqlite"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(8'192, 'x'));
        file.close();
        HistoryReader reader(path);
        QSignalSpy replies(&reader, &HistoryReader::rangeRead);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        reader.request(1, {QStringList{QStringLiteral("server.opsPerSec")}}, now - 60'000, now,
                       100);
        QVERIFY(replies.wait(5'000));
        const auto reply = replies.takeFirst().at(0).value<RangeReply>();
        QVERIFY(reply.lines.isEmpty());
        QVERIFY2(reply.message.contains(path), qPrintable(reply.message));
    }

    // While the user pans, only the newest request of a chart matters: it is always answered,
    // and no older one is answered after it.
    void aClientsNewestRequestWins()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("local.sqlite"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        {
            HistoryRecorder recorder(path, 100);
            for (qint64 at = now - 3'600'000; at < now; at += 10'000)
                recorder.record(at, {{QStringLiteral("server.opsPerSec"), 5, true}});
            QVERIFY(recorder.flush());
        }
        HistoryReader reader(path);
        QList<quint64> answered;
        connect(&reader, &HistoryReader::rangeRead, this,
                [&answered](const RangeReply &reply) { answered.append(reply.id); });
        quint64 last = 0;
        for (int i = 0; i < 50; ++i)
            last = reader.request(7, {QStringList{QStringLiteral("server.opsPerSec")}},
                                  now - 3'600'000 + i * 1'000, now, 1'000);
        QTRY_VERIFY_WITH_TIMEOUT(answered.contains(last), 5'000);
        QCOMPARE(answered.last(), last);
        QVERIFY(std::is_sorted(answered.begin(), answered.end()));
    }
};

QTEST_GUILESS_MAIN(TestHistoryReader)
#include "tst_historyreader.moc"
