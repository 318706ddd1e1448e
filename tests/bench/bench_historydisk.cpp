// Issue 15: what 90 days of history cost on disk, and what reading them back costs.
//
// Writes a synthetic history at full speed through HistoryStore (as the recorder's writer does:
// chunks, one transaction per batch), every tier filled for its whole retention: 14 server
// metrics (1 s for 24 h, 10 s for 7 d, 1 min for 90 d) and 200 queues x 7 states (10 s and 1 min).
// Each step's value is what SeriesBuckets stores: the mean of the 1 s samples in it. The queues
// are a mix an operator would recognise: 10% busy (counts moving every second), 30% moderate (a
// change a minute), 60% quiet (a change an hour); completed/failed only grow. Then it reopens
// the database and times what `history --since 90d` and a 30-day chart read.
//
//   bench_historydisk [--queues N] [--days D] [--path FILE]    (defaults 200, 90, a temp file)

#include "benchkit.h"

#include "history/historystore.h"
#include "history/historytiers.h"
#include "history/seriesbuckets.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMap>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <functional>

using namespace qs;
using namespace qs::history;

namespace {

// xorshift64*: fast and reproducible.
struct Random
{
    quint64 state;
    quint64 next()
    {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return state * 0x2545F4914F6CDD1DULL;
    }
    double uniform() { return double(next() >> 11) * 0x1p-53; }
    int below(int n) { return int(next() % quint64(n)); }
};

// A value that changes at random moments (rate per second) by a random step; sampled once a
// second, as the recorder polls.
struct Walk
{
    double value = 0;
    double ratePerSecond = 0;
    std::function<double(Random &, double)> step; // the next value from the current one
    bool noisy = false; // a rate or ratio: a new double every second (else whole numbers)
};

struct SeriesModel
{
    QString name;
    bool fine = false; // a server metric: also at 1 s
    Walk walk;
};

double sampleSecond(Walk &walk, Random &random)
{
    if (walk.noisy || random.uniform() < walk.ratePerSecond)
        walk.value = walk.step(random, walk.value);
    return walk.value;
}

// The mean of `seconds` 1 s samples, skipping the per-second loop when nothing can change.
double stepMean(Walk &walk, Random &random, int seconds)
{
    if (!walk.noisy && walk.ratePerSecond * seconds < 1e-3 &&
        random.uniform() >= walk.ratePerSecond * seconds)
        return walk.value;
    if (!walk.noisy && walk.ratePerSecond < 0.05) {
        // rare changes: at most one in the step, at a random second
        if (random.uniform() >= walk.ratePerSecond * seconds)
            return walk.value;
        const int at = random.below(seconds);
        const double before = walk.value;
        walk.value = walk.step(random, walk.value);
        return (before * at + walk.value * (seconds - at)) / seconds;
    }
    double sum = 0;
    for (int s = 0; s < seconds; ++s)
        sum += sampleSecond(walk, random);
    return sum / seconds;
}

auto walkBy(int maxStep)
{
    return [maxStep](Random &r, double v) {
        return std::max(0.0, v + double(r.below(2 * maxStep + 1) - maxStep));
    };
}
auto growBy(int maxStep)
{
    return [maxStep](Random &r, double v) { return v + 1 + r.below(maxStep); };
}
auto noiseAround(double mean, double spread, bool whole)
{
    return [=](Random &r, double) {
        const double v = mean * (1 + spread * (2 * r.uniform() - 1));
        return whole ? std::round(v) : v;
    };
}

QList<SeriesModel> serverSeries()
{
    const auto constant = [](Random &, double v) { return v; };
    return {
        {"server.usedMemory", true, {5e8, 1, walkBy(65'536)}},
        {"server.rssMemory", true, {6e8, 0.2, walkBy(262'144)}},
        {"server.maxMemory", true, {2e9, 0, constant}},
        {"server.opsPerSec", true, {0, 1, noiseAround(2'000, 0.2, false), true}},
        {"server.connectedClients", true, {120, 0.3, walkBy(2)}},
        {"server.blockedClients", true, {20, 0.3, walkBy(1)}},
        {"server.netInKbps", true, {0, 1, noiseAround(900, 0.3, false), true}},
        {"server.netOutKbps", true, {0, 1, noiseAround(2'500, 0.3, false), true}},
        {"server.hitRatePercent", true, {0, 1, noiseAround(95, 0.04, false), true}},
        {"server.evictedPerSec", true, {0, 0, constant}},
        {"server.expiredPerSec", true, {0, 1, noiseAround(3, 0.9, false), true}},
        {"server.cpuPercent", true, {0, 1, noiseAround(12, 0.5, false), true}},
        {"server.fragmentation", true, {1.2, 1, noiseAround(1.2, 0.02, false), true}},
        {"server.replicationLag", true, {0, 0.01, walkBy(1)}},
    };
}

QList<SeriesModel> queueSeries(int queues)
{
    const auto constant = [](Random &, double v) { return v; };
    QList<SeriesModel> models;
    for (int q = 0; q < queues; ++q) {
        // 10% busy, 30% moderate, 60% quiet
        const double rate = q % 10 == 0 ? 1.0 : q % 10 <= 3 ? 1.0 / 60 : 1.0 / 3'600;
        const QString base = QStringLiteral("queue.bullmq/bull/q%1.").arg(q);
        models.append({base + "waiting", false, {double(q % 7), rate, walkBy(3)}});
        models.append({base + "active", false, {double(q % 3), rate, walkBy(1)}});
        models.append({base + "completed", false, {1e5 * q, rate, growBy(5)}});
        models.append({base + "failed", false, {double(10 * q), rate / 20, growBy(1)}});
        models.append({base + "delayed", false, {double(q % 2), rate / 10, walkBy(1)}});
        models.append({base + "paused", false, {0, 0, constant}});
        models.append({base + "prioritized", false, {0, 0, constant}});
    }
    return models;
}

struct Written
{
    qint64 chunks = 0;
    qint64 points = 0;
    qint64 blobBytes = 0;
    QMap<QString, qint64> bytesByKind; // "tier 1 busy queue" -> encoded bytes
};

QString kindOf(const SeriesModel &model)
{
    if (model.fine)
        return QStringLiteral("server metrics");
    if (model.walk.ratePerSecond >= 0.05)
        return QStringLiteral("busy queues");
    return model.walk.ratePerSecond >= 1.0 / 1'200 ? QStringLiteral("moderate queues")
                                                   : QStringLiteral("quiet queues");
}

Written writeAll(HistoryStore &store, const QList<SeriesModel> &models, qint64 nowMs)
{
    Written written;
    Random random{0x9E3779B97F4A7C15ULL};
    QList<Chunk> batch;
    const auto flush = [&] {
        if (!store.write(batch))
            qFatal("write failed: %s", qPrintable(store.status().message));
        batch.clear();
    };
    for (const Tier &tier : tiers) {
        const qint64 span = tier.chunkSpanMs();
        const qint64 first = (nowMs - tier.retentionMs) / span * span;
        const int stepSeconds = int(tier.stepMs / 1'000);
        for (SeriesModel model : models) {
            if (tier.id < firstQueueTier && !model.fine)
                continue;
            for (qint64 start = first; start <= nowMs; start += span) {
                Chunk chunk{model.name, tier.id, start, {}};
                chunk.values.reserve(tier.chunkPoints);
                for (int i = 0; i < tier.chunkPoints; ++i) {
                    const bool future = start + i * tier.stepMs > nowMs;
                    chunk.values.append(future ? std::nullopt
                                               : std::optional(roundedStepValue(
                                                     stepMean(model.walk, random, stepSeconds),
                                                     !model.walk.noisy)));
                }
                written.points += tier.chunkPoints;
                chunk.encoded = encodeChunk(chunk.values);
                chunk.values = {}; // as SeriesBuckets hands them over: encoded
                const qint64 bytes = chunk.encoded.size();
                written.blobBytes += bytes;
                written.bytesByKind[QStringLiteral("tier %1 (%2 s), %3")
                                        .arg(tier.id)
                                        .arg(stepSeconds)
                                        .arg(kindOf(model))] += bytes;
                ++written.chunks;
                batch.append(std::move(chunk));
                if (batch.size() >= 2'000)
                    flush();
            }
        }
    }
    flush();
    return written;
}

double readMs(const QString &path, const QString &series, qint64 fromMs, qint64 toMs, int maxPoints,
              qsizetype *points)
{
    QElapsedTimer timer;
    timer.start();
    HistoryStore store(path);
    store.open(HistoryStore::Access::Read);
    const SeriesRange range = store.read(series, fromMs, toMs, maxPoints);
    *points = range.points.size();
    return timer.nsecsElapsed() / 1e6;
}

qint64 fileBytes(const QString &path)
{
    return QFileInfo(path).size() + QFileInfo(path + "-wal").size();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int queues = bench::intOption(args, QStringLiteral("--queues"), 200);
    QTemporaryDir dir;
    const QString path = bench::stringOption(args, QStringLiteral("--path"),
                                             dir.filePath(QStringLiteral("history.sqlite")));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();

    QList<SeriesModel> models = serverSeries() + queueSeries(queues);
    QElapsedTimer timer;
    timer.start();
    Written written;
    {
        HistoryStore store(path);
        if (!store.open(HistoryStore::Access::Write).writable)
            qFatal("cannot open %s: %s", qPrintable(path), qPrintable(store.status().message));
        written = writeAll(store, models, now);
    }
    const double writeSeconds = timer.nsecsElapsed() / 1e9;
    std::printf("series: %lld (%d queues x 7 states + 14 server metrics)\n",
                static_cast<long long>(models.size()), queues);
    std::printf("written: %lld chunks, %lld points in %.1f s (%.0f points/s)\n",
                static_cast<long long>(written.chunks), static_cast<long long>(written.points),
                writeSeconds, written.points / writeSeconds);
    std::printf("encoded chunks: %.1f MB (%.2f bytes/point)\n", written.blobBytes / 1e6,
                double(written.blobBytes) / double(written.points));
    for (auto it = written.bytesByKind.cbegin(); it != written.bytesByKind.cend(); ++it)
        std::printf("  %-36s %8.2f MB\n", qPrintable(it.key()), it.value() / 1e6);
    std::printf("database on disk: %.1f MB (%s)\n", fileBytes(path) / 1e6, qPrintable(path));

    struct Read
    {
        const char *what;
        QString series;
        qint64 sinceMs;
        int maxPoints;
    };
    const Read reads[] = {
        {"history --since 90d, busy queue's waiting", "queue.bullmq/bull/q0.waiting", 90 * kDayMs,
         2'000},
        {"history --since 90d, server.usedMemory", "server.usedMemory", 90 * kDayMs, 2'000},
        {"history --since 90d --step 1m, busy queue", "queue.bullmq/bull/q0.completed", 90 * kDayMs,
         129'600},
        {"30-day chart, one series (1 min)", "server.opsPerSec", 30 * kDayMs, 2'000},
        {"7-day chart, one series (10 s)", "server.opsPerSec", 7 * kDayMs, 100'000},
        {"24 h chart, one series (1 s)", "server.opsPerSec", kDayMs, 100'000},
    };
    for (const Read &read : reads) {
        std::vector<double> times;
        qsizetype points = 0;
        for (int i = 0; i < 5; ++i)
            times.push_back(
                readMs(path, read.series, now - read.sinceMs, now, read.maxPoints, &points));
        std::sort(times.begin(), times.end());
        std::printf("%-44s %8lld points  median %.1f ms (min %.1f, max %.1f)\n", read.what,
                    static_cast<long long>(points), times[2], times[0], times[4]);
    }
    return 0;
}
