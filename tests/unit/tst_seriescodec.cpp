// The chunk encoding of history (models/history/seriescodec): what goes in comes out, gaps stay
// gaps, a series that barely changes costs a few bytes, and a damaged or hostile blob is refused
// without allocating what it claims.
#include "history/seriesbuckets.h"
#include "history/seriescodec.h"

#include <QTest>
#include <QtEndian>

#include <cmath>
#include <limits>

using qs::history::Chunk;
using qs::history::ChunkValues;
using qs::history::decodeChunk;
using qs::history::encodeChunk;
using qs::history::maxChunkPoints;
using qs::history::roundedStepValue;
using qs::history::SeriesBuckets;

class TestSeriesCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripsEveryKindOfSeries_data()
    {
        QTest::addColumn<ChunkValues>("values");
        ChunkValues counts, memory, ratios, gaps, extremes;
        for (int i = 0; i < 600; ++i) {
            counts.append(double(1000 + (i % 7 == 0 ? i : 0)));
            memory.append(1.5e9 + i * 4096.0);
            ratios.append(1.0 + std::sin(i / 10.0) / 3);
            gaps.append(i % 50 < 5 ? std::nullopt : std::optional<double>(i));
        }
        extremes = {0.0,
                    -1.0,
                    4503599627370495.0,
                    -4503599627370495.0,
                    1e300,
                    -0.0,
                    std::numeric_limits<double>::denorm_min(),
                    std::nullopt};
        QTest::newRow("queue counts") << counts;
        QTest::newRow("bytes") << memory;
        QTest::newRow("ratios") << ratios;
        QTest::newRow("gaps") << gaps;
        QTest::newRow("extremes") << extremes;
        QTest::newRow("negative zero among whole numbers") << ChunkValues{0.0, -0.0, 3.0};
        QTest::newRow("decimals") << ChunkValues{0.1, 0.2, -0.3, 1.235, 95.12, 1e-6, 2'035.0};
        QTest::newRow("decimals at the limit")
            << ChunkValues{450'359'962.7, -450'359'962.7, 4'503'599'627.3, 0.1234567};
        QTest::newRow("negative zero among decimals") << ChunkValues{0.5, -0.0, 1.5};
        QTest::newRow("empty") << ChunkValues{};
        QTest::newRow("all gaps") << ChunkValues(maxChunkPoints);
    }

    void roundTripsEveryKindOfSeries()
    {
        QFETCH(ChunkValues, values);
        const std::optional<ChunkValues> back = decodeChunk(encodeChunk(values));
        QVERIFY(back);
        QCOMPARE(back->size(), values.size());
        for (qsizetype i = 0; i < values.size(); ++i) {
            QCOMPARE(back->at(i).has_value(), values.at(i).has_value());
            if (values.at(i)) // bit for bit, -0.0 included
                QCOMPARE(std::signbit(*back->at(i)), std::signbit(*values.at(i)));
            if (values.at(i))
                QCOMPARE(*back->at(i), *values.at(i));
        }
    }

    void aSteadySeriesCostsAFewBytes()
    {
        const ChunkValues day(maxChunkPoints, 42.0); // a queue whose count did not move all day
        QVERIFY2(encodeChunk(day).size() < 40, QByteArray::number(encodeChunk(day).size()));
        ChunkValues growing;
        for (int i = 0; i < maxChunkPoints; ++i)
            growing.append(double(i * 3)); // a steady growth: one repeated delta
        QVERIFY2(encodeChunk(growing).size() < 60, QByteArray::number(encodeChunk(growing).size()));
    }

    // A step's mean keeps what a reader can use: counts to a tenth (exact when unchanged), rates
    // and ratios to 4 significant digits; and such means cost a few bits each, not 8 bytes.
    void meansAreKeptToWhatTheyTell()
    {
        QCOMPARE(roundedStepValue(7.0, true), 7.0);
        QCOMPARE(roundedStepValue(10.0 / 3, true), 3.3);
        QCOMPARE(roundedStepValue(1'234'567.25, true), 1'234'567.3); // a total stays exact to 0.1
        QCOMPARE(roundedStepValue(2'034.5678, false), 2'035.0);
        QCOMPARE(roundedStepValue(1.23456, false), 1.235);
        QCOMPARE(roundedStepValue(0.000123456, false), 0.000123);
        QVERIFY(!std::signbit(roundedStepValue(-0.04, true))); // never -0.0
        QVERIFY(std::isnan(roundedStepValue(std::nan(""), false)));

        ChunkValues moving; // a busy queue's waiting count at 1 min: means of 60 polls
        ChunkValues rate;   // ops/s at 1 min
        for (int i = 0; i < maxChunkPoints; ++i) {
            moving.append(roundedStepValue(100 + (i * 37 % 23) + (i % 60) / 60.0, true));
            rate.append(roundedStepValue(2'000 + (i * 7919 % 400) + 0.123456, false));
        }
        for (const ChunkValues &values : {moving, rate}) {
            const QByteArray blob = encodeChunk(values);
            QVERIFY2(blob.size() < 2 * maxChunkPoints, QByteArray::number(blob.size()));
            const std::optional<ChunkValues> back = decodeChunk(blob);
            QVERIFY(back);
            QCOMPARE(*back, values); // decimals decode to the very same doubles
        }
    }

    void refusesDamagedBlobs()
    {
        const QByteArray good = encodeChunk({1.0, 2.0, std::nullopt, 4.0});
        QVERIFY(!decodeChunk({}));
        QVERIFY(!decodeChunk("xyz"));
        QVERIFY(!decodeChunk(good.left(good.size() - 3)));
        QByteArray flipped = good; // zlib's checksum catches it
        flipped[flipped.size() - 2] = char(flipped.at(flipped.size() - 2) ^ 0x55);
        QVERIFY(!decodeChunk(flipped));
        // A header that claims 1 GiB: refused before anything is allocated.
        QByteArray bomb = good;
        qToBigEndian<quint32>(1u << 30, bomb.data());
        QVERIFY(!decodeChunk(bomb));
        // A count over a chunk's points.
        QByteArray raw;
        raw.append(char(1));
        raw.append(char(0xff)).append(char(0x7f)); // 16383 points
        QVERIFY(!decodeChunk(qCompress(raw)));
    }

    void bucketsKeepTheMeanOfEachStepAtEveryTier()
    {
        SeriesBuckets buckets;
        const qint64 start = 1'780'000'200'000; // on a 10-minute boundary
        for (int second = 0; second < 20; ++second)
            buckets.append(start + second * 1'000, {{"server.clients", double(second), true},
                                                    {"queue.q.waiting", 5, false}});
        QList<Chunk> chunks = buckets.takeChanged();
        // server: 1 s, 10 s and 1 min tiers; queue: 10 s and 1 min.
        QCOMPARE(chunks.size(), 5);
        for (const Chunk &chunk : chunks) {
            const std::optional<ChunkValues> values = decodeChunk(chunk.encoded);
            QVERIFY(values);
            QCOMPARE(values->size(), chunk.tier == 0 ? 600 : chunk.tier == 1 ? 360 : 1'440);
            if (chunk.series == "server.clients" && chunk.tier == 1) {
                const qsizetype first = (start - chunk.startMs) / 10'000;
                QVERIFY(!values->at(first - 1));
                QCOMPARE(values->at(first), 4.5);      // mean of 0..9
                QCOMPARE(values->at(first + 1), 14.5); // mean of 10..19
                QVERIFY(!values->at(first + 2));
            }
            if (chunk.series == "queue.q.waiting")
                QVERIFY(chunk.tier >= 1);
        }
        QVERIFY(buckets.takeChanged().isEmpty()); // nothing new: nothing to write
        // An open chunk keeps runs of equal steps: 20 s of a count that did not move, a gap,
        // then a second that did; and a sample for a finished step (the clock went back) is
        // dropped rather than rewriting it.
        buckets.append(start + 45'000, {{"queue.q.waiting", 8, false}});
        buckets.append(start + 5'000, {{"queue.q.waiting", 1'000, false}});
        for (const Chunk &chunk : buckets.takeChanged()) {
            if (chunk.series != "queue.q.waiting" || chunk.tier != 1)
                continue;
            const qsizetype first = (start - chunk.startMs) / 10'000;
            const ChunkValues values = decodeChunk(chunk.encoded).value_or(ChunkValues{});
            QCOMPARE(values.mid(first, 6),
                     ChunkValues({5.0, 5.0, std::nullopt, std::nullopt, 8.0, std::nullopt}));
        }
        // Past the 10-minute chunk: the 1 s one is finished (taken once, then forgotten).
        buckets.append(start + 600'000, {{"server.clients", 1, true}});
        chunks = buckets.takeChanged();
        int finishedFine = 0;
        for (const Chunk &chunk : chunks)
            finishedFine += chunk.tier == 0 && chunk.startMs == start;
        QCOMPARE(finishedFine, 1);
    }
};

QTEST_APPLESS_MAIN(TestSeriesCodec)
#include "tst_seriescodec.moc"
