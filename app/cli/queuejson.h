#pragma once

#include "monitor/pollsnapshot.h"

#include <QJsonArray>
#include <QJsonObject>

namespace qs::monitor {
class QueueMonitor;
}

namespace qs::cli {

// {"framework","prefix","name","paused","counts":{STATE:N},...} with native state names.
QJsonObject queueToJson(const queues::QueueCounts &counts);
QJsonArray queuesToJson(const QList<queues::QueueCounts> &queues);
QJsonArray serverCountsToJson(const QList<queues::ServerCounts> &servers);
// Totals across every queue in the unified vocabulary: waiting, active, delayed, prioritized,
// completed, failed, plus the number of queues and of paused queues (check's "queueStats").
QJsonObject unifiedQueueStats(const monitor::PollSnapshot &snapshot,
                              const monitor::QueueMonitor &monitor);
// The poll's own cost: {"commands","roundTrips","bytesSent","bytesReceived","ms"}.
QJsonObject costToJson(const monitor::PollCost &cost);

} // namespace qs::cli
