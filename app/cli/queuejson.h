#pragma once

#include "monitor/pollsnapshot.h"

#include <QJsonArray>
#include <QJsonObject>

namespace qs::monitor {
class QueueMonitor;
class WorkerScanner;
} // namespace qs::monitor

namespace qs::cli {

// {"framework","prefix","name","paused","counts":{STATE:N},...} with native state names. With
// a worker scan, "workers" is each queue's live workers from it (null when unknown); without,
// what the counts carry, when they do.
QJsonObject queueToJson(const queues::QueueCounts &counts,
                        const monitor::WorkerScanner *workers = nullptr);
QJsonArray queuesToJson(const QList<queues::QueueCounts> &queues,
                        const monitor::WorkerScanner *workers = nullptr);
QJsonArray serverCountsToJson(const QList<queues::ServerCounts> &servers);
// Totals across every queue in the unified vocabulary: waiting, active, delayed, prioritized,
// completed, failed, plus the number of queues and of paused queues (check's "queueStats").
QJsonObject unifiedQueueStats(const monitor::PollSnapshot &snapshot,
                              const monitor::QueueMonitor &monitor);
// The poll's own cost: {"commands","roundTrips","bytesSent","bytesReceived","ms"}.
QJsonObject costToJson(const monitor::PollCost &cost);

} // namespace qs::cli
