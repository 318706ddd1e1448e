#pragma once

#include "alerts/alertengine.h"
#include "history/seriesbuckets.h"
#include "monitor/healthreport.h"
#include "monitor/pollsnapshot.h"

namespace qs::monitor {
class QueueMonitor;
}

namespace qs::alerts {

// What the rules see of one successful poll (docs/alerts.md lists them):
// - every series the history records of it (`samples`, monitor::HistorySamples): "server.<metric>"
//   (evictedPerSec, connectedClients, replicationLag ...), "queue.<id>.<native state>",
//   "framework.<installation>.<state>", and any series added there later
//   ("queue.<id>.completedPerMin");
// - "server.memoryPercent" (used_memory of maxmemory, only with a maxmemory),
//   "server.rejectedConnections" (the counter: rules watch its change), "server.saveFailed"
//   (1 when the last RDB save or AOF write failed, else 0), "server.pollMs" (what the poll took);
// - per queue, in the unified vocabulary whatever the framework calls it: "queue.<id>.waiting",
//   "active", "delayed", "failed", "completed" (where the framework keeps them per queue,
//   through `queues`' adapters; null: native names only), "queue.<id>.oldestWaitingSeconds" and
//   "queue.<id>.workers" where the poll knows them.
SeriesValues alertSeries(const monitor::PollSnapshot &snapshot,
                         const QList<history::Sample> &samples, const monitor::HealthReport &health,
                         const monitor::QueueMonitor *queues);

} // namespace qs::alerts
