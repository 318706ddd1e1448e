#pragma once

#include "history/historystore.h"
#include "monitor/historysamples.h"

#include <QDateTime>

#include <cmath>

namespace qs::test {

// A server's history as a recorder polling every `stepMs` would have written it, at full speed:
// every server metric (monitor::Metric) from fromMs to toMs, one sample per step, a daily wave
// on top of a plausible level (about 40 clients, 200 MB used of 512 MB, 1,000 ops/s), nothing in
// the holes (the app was closed). For tests and benchmarks (header-only; link QueueScope::Monitor
// and QueueScope::History). False, with the store's message, when the database cannot be written.
inline bool writeSyntheticHistory(const QString &path, qint64 fromMs, qint64 toMs, qint64 stepMs,
                                  const QList<QPair<qint64, qint64>> &holes = {},
                                  QString *error = nullptr)
{
    using monitor::Metric;
    history::HistoryStore store(path);
    if (!store.open(history::HistoryStore::Access::Write).writable) {
        if (error)
            *error = store.status().message;
        return false;
    }
    QList<history::Sample> samples;
    for (int metric = 0; metric < monitor::metricCount; ++metric)
        samples.append({monitor::HistorySamples::serverSeries(Metric(metric)), 0, true});
    auto set = [&samples](Metric metric, double value) { samples[int(metric)].value = value; };
    history::SeriesBuckets buckets;
    qint64 written = fromMs;
    for (qint64 at = fromMs; at < toMs; at += stepMs) {
        bool inHole = false;
        for (const auto &[holeFrom, holeTo] : holes)
            inHole = inHole || (at >= holeFrom && at < holeTo);
        if (inHole)
            continue;
        const double day = std::sin(double(at % 86'400'000) / 86'400'000.0 * 2 * M_PI);
        const double jitter = double((at / stepMs * 7919) % 101) / 100.0; // 0..1, repeatable
        set(Metric::UsedMemory, 200e6 + 50e6 * day + 2e6 * jitter);
        set(Metric::RssMemory, 230e6 + 50e6 * day);
        set(Metric::MaxMemory, 512.0 * 1024 * 1024);
        set(Metric::OpsPerSec, 1'000 + 500 * day + 100 * jitter);
        set(Metric::ConnectedClients, std::round(40 + 10 * day + 3 * jitter));
        set(Metric::BlockedClients, std::round(2 + 2 * jitter));
        set(Metric::NetInKbps, 800 + 300 * day + 50 * jitter);
        set(Metric::NetOutKbps, 1'600 + 600 * day + 80 * jitter);
        set(Metric::HitRatePercent, 95 + 3 * day);
        set(Metric::EvictedPerSec, 0);
        set(Metric::ExpiredPerSec, 5 + 5 * jitter);
        set(Metric::CpuPercent, 20 + 10 * day + 5 * jitter);
        set(Metric::Fragmentation, 1.1 + 0.05 * jitter);
        set(Metric::ReplicationLag, 0);
        buckets.append(at, samples);
        if (at - written >= 6 * 3'600'000) { // a recorder writes as it goes: memory stays small
            if (!store.write(buckets.takeChanged()))
                break;
            written = at;
        }
    }
    const bool ok = store.write(buckets.takeChanged());
    store.purge(QDateTime::currentMSecsSinceEpoch());
    if (!ok && error)
        *error = store.status().message;
    return ok;
}

} // namespace qs::test
