#pragma once

#include "metricfamilies.h"

#include "monitor/pollsnapshot.h"
#include "monitor/throughputtracker.h"

#include <QHash>

namespace qs::exporter {

// The labels of one queue, `server="...",framework="...",prefix="...",queue="..."`, with the
// id of the queue they were built for (a scrape renders 10,000 queues of a fleet once per queue
// family, and their labels change only when the queues do). The id (shared with the poll's
// counts) says which queue they are: no copy of its QueueRef (56 bytes a queue).
struct QueueLabels
{
    QString id;        // QueueRef::id()
    QByteArray labels; // server="...",framework="...",prefix="...",queue="..."
};

// The labels of `snapshot`'s queues in its order. `server` is the rendered `server="..."` label;
// an entry of `previous` at the same index and for the same queue is taken as it is (`previous`
// must have been built with the same `server`).
QList<QueueLabels> labelQueues(const monitor::PollSnapshot &snapshot, const QByteArray &server,
                               const QList<QueueLabels> &previous);

// What the queue families of one server are rendered from: its latest successful poll, the
// labels of its queues (labelQueues()), the live workers of its latest scan (QueueRef::id() ->
// workers) and its throughput as of that poll.
struct QueueSources
{
    const monitor::PollSnapshot &snapshot;
    const QList<QueueLabels> &labels;
    const QHash<QString, int> &liveWorkers;
    const monitor::ThroughputTracker &throughput;
    const QByteArray &server;
};

// queuescope_queue_*, queuescope_jobs_*_total, queuescope_jobs_*_per_minute and
// queuescope_installation_*: the families read from the queues and framework installations.
bool isQueueFamily(Family family);

// One queue family's samples of one server, appended to `out`: the queues in the snapshot's
// order, then the framework installations. Every framework under one scheme: labels server,
// framework, prefix, queue; `state` is the unified state and `native_state` the framework's own
// word, so `sum by (state)` compares frameworks and nothing a framework counts is lost.
void renderQueueFamily(Family family, const QueueSources &sources, QByteArray &out);

} // namespace qs::exporter
