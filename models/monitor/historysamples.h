#pragma once

#include "history/seriesbuckets.h"
#include "monitor/metrichistory.h"

namespace qs::monitor {

// What a poll adds to the history on disk, as named series: every server metric at 1 s
// ("server.usedMemory", rates from the previous poll as the charts compute them), every queue's
// state counts ("queue.bullmq/bull/emails.waiting") and each framework's own sets
// ("framework.sidekiq/.dead"). A failed poll adds nothing: the history shows a gap.
class HistorySamples
{
public:
    QList<history::Sample> take(const PollSnapshot &snapshot);

    static QString serverSeries(Metric metric);
    static QString queueSeries(const queues::QueueRef &queue, const QString &state);

private:
    MetricHistory m_rates{2}; // the previous poll, for the rates
};

} // namespace qs::monitor
