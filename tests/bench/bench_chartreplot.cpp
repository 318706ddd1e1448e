// Cost of drawing a dashboard chart with a full day of history: 8 series x 86,400 points (24 h
// at one poll per second) in a 1200x800 TimeSeriesChart showing the whole 24 h window.
// Goal: a full replot in at most 16 ms (one frame), so that a tick never stalls the GUI.
//
//   bench_chartreplot --benchmark_repetitions=5 --benchmark_display_aggregates_only=true
//
// FullReplot/<window s>: QCustomPlot::replot(rpImmediateRefresh) of the unchanged chart; the
//   goal applies to window:86400, window:300 shows the fixed cost of a frame.
// Tick/<window s>: what one poll costs the GUI: refresh() (append one row per series,
//   removeBefore, value axis rescale) plus the replot it queues, done here immediately.
// Rebuild: setHistory() on a full history (opening a server's dashboard) plus its replot.
// Each reports the median and 90th percentile wall time of single iterations (median_ms,
// p90_ms) and the median CPU time of the GUI thread (cpu_median_ms, steadier when the machine is
// shared). Quote medians: this machine is noisy. Runs offscreen unless QT_QPA_PLATFORM says
// otherwise.

#include "timeserieschart.h"

#include "monitor/metrichistory.h"

#include <benchmark/benchmark.h>
#include <qcustomplot.h>

#include <QApplication>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <time.h>
#include <vector>

using qs::monitor::Metric;
using qs::monitor::MetricHistory;
using qs::monitor::PollSnapshot;
using qs::widgets::TimeSeriesChart;

namespace {

constexpr int day = 86'400;
constexpr qint64 t0 = 1'700'000'000'000;

const QList<Metric> chartMetrics{
    Metric::OpsPerSec,  Metric::ConnectedClients, Metric::BlockedClients, Metric::NetInKbps,
    Metric::NetOutKbps, Metric::EvictedPerSec,    Metric::ExpiredPerSec,  Metric::CpuPercent};

// Synthetic polls whose 8 charted values all wander through a few hundred units with noise, so
// every line fills its pixel columns top to bottom: the expensive case for adaptive sampling and
// for drawing. Every 3,600th poll fails, so the day holds gaps like a real one.
class SyntheticServer
{
public:
    PollSnapshot next()
    {
        const int i = m_tick++;
        PollSnapshot s;
        s.timestampMs = t0 + qint64(i) * 1000;
        if (i % 3600 == 3599) {
            s.error.kind = qs::redis::RedisError::Kind::CommandTimeout;
            return s;
        }
        const double slow = std::sin(i / 3000.0);
        m_commands += qint64(600 + 200 * slow + noise(150));
        m_netIn += qint64((400 + 100 * slow + noise(120)) * 125); // kbit/s -> bytes
        m_netOut += qint64((700 - 100 * slow + noise(150)) * 125);
        m_evicted += qint64(200 + noise(100));
        m_expired += qint64(300 + 50 * slow + noise(100));
        m_cpu += (35 + 10 * slow + noise(15)) / 100.0;
        auto &f = s.info.fields;
        f[QStringLiteral("uptime_in_seconds")] = QString::number(1000 + i);
        f[QStringLiteral("total_commands_processed")] = QString::number(m_commands);
        f[QStringLiteral("total_net_input_bytes")] = QString::number(m_netIn);
        f[QStringLiteral("total_net_output_bytes")] = QString::number(m_netOut);
        f[QStringLiteral("evicted_keys")] = QString::number(m_evicted);
        f[QStringLiteral("expired_keys")] = QString::number(m_expired);
        f[QStringLiteral("used_cpu_user")] = QString::number(m_cpu, 'f', 6);
        f[QStringLiteral("used_cpu_sys")] = QStringLiteral("0");
        f[QStringLiteral("connected_clients")] = QString::number(int(500 + 100 * slow + noise(80)));
        f[QStringLiteral("blocked_clients")] = QString::number(int(250 + noise(80)));
        return s;
    }

private:
    double noise(double amplitude) { return amplitude * m_uniform(m_random); }

    int m_tick = 0;
    std::mt19937 m_random{42};
    std::uniform_real_distribution<double> m_uniform{-1.0, 1.0};
    qint64 m_commands = 0, m_netIn = 0, m_netOut = 0, m_evicted = 0, m_expired = 0;
    double m_cpu = 0;
};

// One full day, shared by all benchmarks; Tick keeps appending to it (the ring overwrites).
struct Day
{
    SyntheticServer server;
    MetricHistory history{day};

    Day()
    {
        for (int i = 0; i < day; ++i)
            history.append(server.next());
    }
};

Day &fullDay()
{
    static Day d;
    return d;
}

std::unique_ptr<TimeSeriesChart> makeChart(int windowSeconds)
{
    auto chart = std::make_unique<TimeSeriesChart>(QStringLiteral("Eight series"));
    chart->setValueFormat(TimeSeriesChart::ValueFormat::Rate);
    for (Metric metric : chartMetrics)
        chart->addSeries(metric);
    chart->setWindow(windowSeconds);
    chart->resize(1200, 800);
    chart->show();
    chart->setHistory(&fullDay().history);
    QCoreApplication::processEvents();
    return chart;
}

double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// Wall and CPU time of each iteration: on a shared machine the CPU time of this (the GUI) thread
// is the steadier figure; the wall time is what a user would wait for on an idle one.
struct Samples
{
    std::vector<double> wall, cpu;

    template <typename F> double measure(F &&work)
    {
        const double cpuStart = threadCpuMs();
        const auto start = std::chrono::steady_clock::now();
        work();
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        wall.push_back(ms);
        cpu.push_back(threadCpuMs() - cpuStart);
        return ms / 1000.0;
    }
};

double quantile(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::size_t(double(v.size() - 1) * q)];
}

void report(benchmark::State &state, const Samples &samples)
{
    state.counters["median_ms"] = quantile(samples.wall, 0.5);
    state.counters["p90_ms"] = quantile(samples.wall, 0.9);
    state.counters["cpu_median_ms"] = quantile(samples.cpu, 0.5);
}

void BM_FullReplot(benchmark::State &state)
{
    auto chart = makeChart(int(state.range(0)));
    QCustomPlot *plot = chart->plot();
    plot->replot(QCustomPlot::rpImmediateRefresh); // labels cached, buffers allocated
    Samples samples;
    for (auto _ : state)
        state.SetIterationTime(
            samples.measure([&] { plot->replot(QCustomPlot::rpImmediateRefresh); }));
    report(state, samples);
}
BENCHMARK(BM_FullReplot)
    ->ArgName("window")
    ->Arg(day)
    ->Arg(300)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void BM_Tick(benchmark::State &state)
{
    auto chart = makeChart(int(state.range(0)));
    QCustomPlot *plot = chart->plot();
    Day &d = fullDay();
    Samples samples;
    for (auto _ : state) {
        d.history.append(d.server.next()); // the history's cost is bench_metrichistory's
        state.SetIterationTime(samples.measure([&] {
            chart->refresh();
            plot->replot(QCustomPlot::rpImmediateRefresh);
        }));
        QCoreApplication::processEvents(); // runs the replot refresh() queued, untimed
    }
    if (plot->graph(0)->dataCount() > day)
        state.SkipWithError("the chart kept more than 24 h");
    report(state, samples);
}
BENCHMARK(BM_Tick)->ArgName("window")->Arg(300)->Arg(day)->UseManualTime()->Unit(
    benchmark::kMillisecond);

void BM_Rebuild(benchmark::State &state)
{
    auto chart = makeChart(day);
    QCustomPlot *plot = chart->plot();
    Samples samples;
    for (auto _ : state) {
        state.SetIterationTime(samples.measure([&] {
            chart->setHistory(&fullDay().history);
            plot->replot(QCustomPlot::rpImmediateRefresh);
        }));
        QCoreApplication::processEvents();
    }
    report(state, samples);
}
BENCHMARK(BM_Rebuild)->UseManualTime()->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    fullDay(); // build the day before any timing starts
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
