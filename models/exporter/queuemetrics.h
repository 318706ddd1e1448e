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
void renderQueues(const monitor::PollSnapshot &snapshot, const QHash<QString, int> &liveWorkers,
                  const monitor::ThroughputTracker &throughput, const QByteArray &server,
                  QList<QByteArray> &bodies);

} // namespace qs::exporter
