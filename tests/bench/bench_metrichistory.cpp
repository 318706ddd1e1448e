// Cost of keeping the chart history of one server: MetricHistory::append runs on the GUI thread
// once per poll (about 1/s) for every connected server, so it must stay in the microseconds;
// and 24 h of it must fit in a few MB (goal: at most 30 MB per server).
//
//   bench_metrichistory --benchmark_repetitions=5 --benchmark_display_aggregates_only=true
//
// The INFO input is the poll request's reply of Redis 7 (tests/fixtures/info/redis-7.0-poll.txt),
// parsed once outside the timed loops: parsing is bench_infoparse's business. Fixtures are read
// from $QS_SOURCE_DIR, else from the source tree this file was compiled from. Quote the median:
// this machine is noisy.

#include "monitor/metrichistory.h"

#include <benchmark/benchmark.h>

#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <cstdlib>

using qs::monitor::Metric;
using qs::monitor::MetricHistory;
using qs::monitor::PollSnapshot;

namespace {

constexpr int day = MetricHistory::defaultCapacity;
constexpr qint64 t0 = 1'700'000'000'000;

QByteArray pollFixture()
{
    QString root = QString::fromLocal8Bit(qgetenv("QS_SOURCE_DIR"));
    if (root.isEmpty()) // this file is tests/bench/ in the source tree
        root = QFileInfo(QString::fromUtf8(__FILE__)).absolutePath() + QStringLiteral("/../..");
    QFile file(root + QStringLiteral("/tests/fixtures/info/redis-7.0-poll.txt"));
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s (set QS_SOURCE_DIR)\n", qPrintable(file.fileName()));
        std::exit(2);
    }
    return file.readAll();
}

const PollSnapshot &pollSnapshot()
{
    static const PollSnapshot snapshot = [] {
        PollSnapshot s;
        s.timestampMs = t0;
        s.info = qs::redis::parseInfo(pollFixture());
        return s;
    }();
    return snapshot;
}

// Every 600th tick fails, so gap rows and baseline resets are part of the mix.
void fill(MetricHistory &history, PollSnapshot &tick, int rows)
{
    PollSnapshot failed;
    failed.error.kind = qs::redis::RedisError::Kind::CommandTimeout;
    for (int i = 0; i < rows; ++i) {
        tick.timestampMs += 1000;
        if (i % 600 == 599) {
            failed.timestampMs = tick.timestampMs;
            history.append(failed);
        } else {
            history.append(tick);
        }
    }
}

// The steady state after 24 h: the ring is full and every append overwrites the oldest row.
void BM_AppendTick(benchmark::State &state)
{
    MetricHistory history;
    PollSnapshot tick = pollSnapshot();
    fill(history, tick, day);
    for (auto _ : state) {
        tick.timestampMs += 1000;
        history.append(tick);
    }
    benchmark::DoNotOptimize(history.latest(Metric::OpsPerSec));
    state.counters["rows"] = history.size();
}
BENCHMARK(BM_AppendTick);

// 24 h from empty, including the growth of the arrays; memoryBytes of the result is the
// footprint of one server's full history.
void BM_Fill24h(benchmark::State &state)
{
    qint64 bytes = 0;
    for (auto _ : state) {
        MetricHistory history;
        PollSnapshot tick = pollSnapshot();
        fill(history, tick, day);
        bytes = history.memoryBytes();
        benchmark::DoNotOptimize(bytes);
    }
    state.SetItemsProcessed(state.iterations() * day);
    state.counters["memoryBytes"] = double(bytes);
    state.counters["sec/append"] =
        benchmark::Counter(double(state.iterations()) * day,
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Fill24h)->Unit(benchmark::kMillisecond);

// Exporting all metrics of a full day (the "Export CSV" action).
void BM_Csv24h(benchmark::State &state)
{
    MetricHistory history;
    PollSnapshot tick = pollSnapshot();
    fill(history, tick, day);
    qsizetype size = 0;
    for (auto _ : state) {
        const QByteArray csv = history.toCsv({});
        size = csv.size();
        benchmark::DoNotOptimize(csv.data());
    }
    state.SetBytesProcessed(state.iterations() * size);
    state.counters["csvBytes"] = double(size);
}
BENCHMARK(BM_Csv24h)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
