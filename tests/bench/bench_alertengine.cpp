// Cost of the alert rules per poll: AlertEngine::evaluate runs on the GUI thread (the window) or
// the recorder's main thread after every poll, over every series the poll offers. Issue 15's
// recorder budget is 1% of a core at one poll per second with 200 queues, i.e. 10 ms per poll
// for everything: the rules must take a small part of it.
//
//   bench_alertengine --benchmark_repetitions=5 --benchmark_display_aggregates_only=true
//
// The series are a BullMQ server's: 20 server metrics and, per queue, 7 native states, the
// unified ones and the oldest waiting age (what alertSeries gives), with the built-in rules (four
// on, two of them a change over a window on every queue) and every off rule turned on.

#include "alerts/alertengine.h"

#include <benchmark/benchmark.h>

using namespace qs::alerts;

namespace {

constexpr qint64 t0 = 1'780'000'000'000;

SeriesValues serverPoll(int queues, qint64 tick)
{
    SeriesValues values;
    for (const char *metric :
         {"usedMemory", "rssMemory", "maxMemory", "opsPerSec", "connectedClients", "blockedClients",
          "netInKbps", "netOutKbps", "hitRatePercent", "evictedPerSec", "expiredPerSec",
          "cpuPercent", "fragmentation", "replicationLag", "memoryPercent", "rejectedConnections",
          "saveFailed", "pollMs"})
        values.insert(QStringLiteral("server.") + QLatin1String(metric), double(tick % 50));
    for (int q = 0; q < queues; ++q) {
        const QString prefix = QStringLiteral("queue.bullmq/bull/queue-%1.").arg(q);
        for (const char *state : {"waiting", "active", "delayed", "prioritized", "completed",
                                  "failed", "waiting-children", "oldestWaitingSeconds"})
            values.insert(prefix + QLatin1String(state), double((tick + q) % 97));
    }
    return values;
}

AlertRules everyRuleOn()
{
    AlertRules rules = AlertRules::defaults();
    QByteArray json = "{\"rules\": [";
    for (const QString &id : rules.ids())
        json += "{\"id\": \"" + id.toUtf8() + "\", \"enabled\": true},";
    json.chop(1);
    json += "]}";
    (void)rules.addLayer(json, QStringLiteral("bench"));
    return rules;
}

void evaluate(benchmark::State &state, AlertRules rules)
{
    const int queues = int(state.range(0));
    QList<SeriesValues> polls;
    for (int i = 0; i < 64; ++i)
        polls.append(serverPoll(queues, i));
    AlertEngine engine(std::move(rules), QStringLiteral("bench"));
    qint64 tick = 0;
    const auto next = [&] {
        ++tick;
        return engine.evaluate(t0 + 1000 * tick, polls.at(int(tick % 64)));
    };
    for (int i = 0; i < 600; ++i) // ten minutes of polls first: full change windows
        next();
    for (auto _ : state)
        benchmark::DoNotOptimize(next());
    state.counters["series"] = double(polls.first().size());
}

void BM_evaluateDefaults(benchmark::State &state)
{
    evaluate(state, AlertRules::defaults());
}
void BM_evaluateEveryRule(benchmark::State &state)
{
    evaluate(state, everyRuleOn());
}

} // namespace

BENCHMARK(BM_evaluateDefaults)->Arg(20)->Arg(200)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_evaluateEveryRule)->Arg(200)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
