// Cost of parsing one INFO reply, the per-poll work of every connected server (about 1/s).
// Goal: under 50 microseconds for the poll request's reply of Redis 7 (about 5 KB).
//
//   bench_infoparse --benchmark_filter=Poll
//
// Fixtures are read from $QS_SOURCE_DIR/tests/fixtures/info, else from the source tree this
// binary was built from. Quote the median of the repetitions: this machine is noisy.

#include "redis/infosnapshot.h"

#include <benchmark/benchmark.h>

#include <QFile>

#include <cstdio>
#include <cstdlib>

using qs::redis::InfoSnapshot;
using qs::redis::parseInfo;

namespace {

QByteArray fixture(const char *name)
{
    QByteArray root = qgetenv("QS_SOURCE_DIR");
#ifdef QS_SOURCE_DIR
    if (root.isEmpty())
        root = QS_SOURCE_DIR;
#endif
    QFile file(QString::fromLocal8Bit(root + "/tests/fixtures/info/" + name));
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s (set QS_SOURCE_DIR)\n", qPrintable(file.fileName()));
        std::exit(2);
    }
    return file.readAll();
}

void parseFixture(benchmark::State &state, const char *name)
{
    const QByteArray text = fixture(name);
    qsizetype fields = 0;
    for (auto _ : state) {
        InfoSnapshot info = parseInfo(text);
        fields = info.fields.size();
        benchmark::DoNotOptimize(info);
    }
    state.SetBytesProcessed(qint64(state.iterations()) * text.size());
    state.counters["bytes"] = double(text.size());
    state.counters["fields"] = double(fields);
}

// The poll request: INFO server clients memory stats persistence replication cpu keyspace.
void BM_ParseRedis7Poll(benchmark::State &state)
{
    parseFixture(state, "redis-7.0-poll.txt");
}

// INFO everything, with commandstats, errorstats and latencystats: an on-demand view.
void BM_ParseRedis7Everything(benchmark::State &state)
{
    parseFixture(state, "redis-7.0-everything.txt");
}

// Parsing plus the typed reads a health evaluation does, to see what the lookups add.
void BM_ParseRedis7PollAndRead(benchmark::State &state)
{
    using namespace Qt::StringLiterals;
    const QByteArray text = fixture("redis-7.0-poll.txt");
    const QString keys[] = {u"used_memory"_s,       u"maxmemory"_s,       u"used_memory_rss"_s,
                            u"connected_clients"_s, u"blocked_clients"_s, u"evicted_keys"_s,
                            u"keyspace_hits"_s,     u"keyspace_misses"_s, u"rejected_connections"_s,
                            u"uptime_in_seconds"_s};
    for (auto _ : state) {
        const InfoSnapshot info = parseInfo(text);
        qint64 sum = 0;
        for (const QString &key : keys)
            sum += info.integerOr(key, 0);
        sum += qint64(info.realOr(u"mem_fragmentation_ratio"_s, 0));
        benchmark::DoNotOptimize(sum);
    }
}

} // namespace

BENCHMARK(BM_ParseRedis7Poll)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_ParseRedis7Everything)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_ParseRedis7PollAndRead)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);

BENCHMARK_MAIN();
