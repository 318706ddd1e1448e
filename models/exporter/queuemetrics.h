#pragma once

#include "monitor/pollsnapshot.h"
#include "monitor/throughputtracker.h"

#include <QHash>

namespace qs::exporter {

// The queue families of one successful poll (queuescope_queue_*, queuescope_jobs_*_total,
// queuescope_jobs_*_per_minute, queuescope_installation_*), appended to `bodies` (indexed by
// metricfamilies.h). `server` is the rendered `server="..."` label. Every framework under one
// scheme: labels server, framework, prefix, queue; `state` is the unified state and `native_state`
// the framework's own word, so `sum by (state)` compares frameworks and nothing a framework counts
// is lost.
//
// `labels` gets each queue's labels in the snapshot's order; an entry of `previous` (the last
// render's) at the same index and for the same queue is taken as it is: a poll renders 10,000
// queues of a fleet, and their labels and ids change only when the queues do.
struct QueueLabels
{
    queues::QueueRef queue;
    QString id;        // queue.id()
    QByteArray labels; // server="...",framework="...",prefix="...",queue="..."
};
void renderQueues(const monitor::PollSnapshot &snapshot, const QHash<QString, int> &liveWorkers,
                  const monitor::ThroughputTracker &throughput, const QByteArray &server,
                  QList<QByteArray> &bodies, const QList<QueueLabels> &previous,
                  QList<QueueLabels> &labels);

} // namespace qs::exporter
