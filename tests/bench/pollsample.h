#pragma once

// One timed Poller tick, for the benchmarks that poll (bench_queuepoll, bench_clusterpoll), and
// the percentiles they report.

#include "monitor/poller.h"

#include <QElapsedTimer>
#include <QEventLoop>

#include <algorithm>
#include <vector>

namespace qs::bench {

struct PollSample
{
    double wallUs = 0;     // pollNow() -> polled() on this thread (includes INFO/count parsing)
    double ioThreadUs = 0; // PollCost::milliseconds: write -> last reply (a cluster: the slowest
                           // node's), on the I/O thread
    monitor::PollCost cost;
    int queues = 0;
};

// pollNow() and a real event loop until polled(); a failed poll ends the bench.
inline PollSample pollOnce(monitor::Poller &poller)
{
    QEventLoop loop;
    PollSample sample;
    QElapsedTimer timer;
    const auto connection = QObject::connect(
        &poller, &monitor::Poller::polled, &loop, [&](const monitor::PollSnapshot &snapshot) {
            sample.wallUs = double(timer.nsecsElapsed()) / 1000.0;
            if (!snapshot.ok())
                qFatal("poll failed: %s", qPrintable(snapshot.error.message));
            sample.ioThreadUs = snapshot.cost.milliseconds * 1000.0;
            sample.cost = snapshot.cost;
            sample.queues = int(snapshot.queues.size());
            loop.quit();
        });
    timer.start();
    poller.pollNow();
    loop.exec();
    QObject::disconnect(connection);
    return sample;
}

inline double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values.at(size_t(p * double(values.size() - 1)));
}

inline double median(const std::vector<double> &values)
{
    return percentile(values, 0.5);
}

} // namespace qs::bench
