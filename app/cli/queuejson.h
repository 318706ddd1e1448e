#pragma once

#include "monitor/pollsnapshot.h"

#include <QJsonArray>
#include <QJsonObject>

namespace qs::monitor {
class QueueMonitor;
class ThroughputTracker;
class WorkerScanner;
struct QueueThroughput;
} // namespace qs::monitor

namespace qs::cli {

// {"framework","prefix","name","paused","counts":{STATE:N},...} with native state names. With
// a worker scan, "workers" is each queue's live workers from it (null when unknown); without,
// what the counts carry, when they do. With a throughput tracker, "throughput" is the queue's
// completed and failed per minute (throughputToJson).
QJsonObject queueToJson(const queues::QueueCounts &counts,
                        const monitor::WorkerScanner *workers = nullptr,
                        const monitor::ThroughputTracker *throughput = nullptr);
QJsonArray queuesToJson(const QList<queues::QueueCounts> &queues,
                        const monitor::WorkerScanner *workers = nullptr,
                        const monitor::ThroughputTracker *throughput = nullptr);
// With a tracker, an installation whose framework counts for all its queues together
// (Sidekiq) has "throughput" too.
QJsonArray serverCountsToJson(const QList<queues::ServerCounts> &servers,
                              const monitor::ThroughputTracker *throughput = nullptr);
// {"completedPerMin","failedPerMin" (null: unknown),"source":"exact|estimated|unknown",
//  "minute" (ISO start of the whole minute, or null),"atLeast","note"}
QJsonObject throughputToJson(const monitor::QueueThroughput &throughput);
// Totals across every queue in the unified vocabulary: waiting, active, delayed, prioritized,
// completed, failed, plus the number of queues and of paused queues (check's "queueStats").
QJsonObject unifiedQueueStats(const monitor::PollSnapshot &snapshot,
                              const monitor::QueueMonitor &monitor);
// The poll's own cost: {"commands","roundTrips","bytesSent","bytesReceived","ms"}.
QJsonObject costToJson(const monitor::PollCost &cost);

} // namespace qs::cli
