#include "alerts/alertrules.h"

namespace qs::alerts {

// The rules QueueScope ships, written as a rules file would write them (docs/alerts.md prints
// them). The first four are on: they are wrong on no queue broker. The others depend on the
// deployment (how many clients are normal, how long a job may wait) and are turned on, with a
// threshold that fits, by {"id": "oldest-waiting", "enabled": true, "above": 600}.
const char *AlertRules::defaultsJson()
{
    return R"json({"rules": [
  {"id": "memory-high", "series": "server.memoryPercent", "above": 80, "resolve": 75,
   "for": "5m", "severity": "warning",
   "message": "memory at {value}% of maxmemory (alert above {threshold}%)"},
  {"id": "evictions", "series": "server.evictedPerSec", "above": 0, "clear": "5m",
   "severity": "critical", "message": "Redis is evicting keys ({value}/s): jobs may be lost"},
  {"id": "failed-burst", "series": "queue.*.failed", "change": "5m", "atLeast": 100,
   "clear": "5m", "severity": "warning",
   "message": "{queue}: {value} more failed jobs within 5 minutes"},
  {"id": "waiting-growing", "series": "queue.*.waiting", "change": "1m", "above": 0,
   "for": "10m", "clear": "2m", "severity": "warning",
   "message": "{queue}: waiting jobs have grown for 10 minutes"},

  {"id": "memory-critical", "enabled": false, "series": "server.memoryPercent", "above": 95,
   "resolve": 90, "for": "1m", "severity": "critical",
   "message": "memory at {value}% of maxmemory (alert above {threshold}%)"},
  {"id": "clients-high", "enabled": false, "series": "server.connectedClients", "above": 5000,
   "for": "5m", "severity": "warning"},
  {"id": "blocked-clients", "enabled": false, "series": "server.blockedClients", "above": 1000,
   "for": "5m", "severity": "warning"},
  {"id": "rejected-connections", "enabled": false, "series": "server.rejectedConnections",
   "change": "5m", "above": 0, "severity": "critical",
   "message": "Redis refused {value} connections within 5 minutes (maxclients)"},
  {"id": "replication-lag", "enabled": false, "series": "server.replicationLag", "above": 30,
   "for": "2m", "severity": "warning"},
  {"id": "save-failed", "enabled": false, "series": "server.saveFailed", "equals": 1,
   "severity": "critical", "message": "the last RDB or AOF write failed"},
  {"id": "poll-slow", "enabled": false, "series": "server.pollMs", "above": 1000, "for": "2m",
   "severity": "warning"},
  {"id": "oldest-waiting", "enabled": false, "series": "queue.*.oldestWaitingSeconds",
   "above": 900, "for": "1m", "severity": "warning",
   "message": "{queue}: the oldest waiting job has waited {value} s"},
  {"id": "no-consumer", "enabled": false, "series": "queue.*.workers", "equals": 0,
   "while": {"series": "queue.*.waiting", "above": 0}, "for": "2m", "severity": "critical",
   "message": "{queue}: jobs wait and no worker consumes them"},
  {"id": "throughput-stopped", "enabled": false, "series": "queue.*.completedPerMin",
   "equals": 0, "while": {"series": "queue.*.waiting", "above": 0}, "for": "10m",
   "severity": "warning", "message": "{queue}: no job completed for 10 minutes while jobs wait"}
]})json";
}

AlertRules AlertRules::defaults()
{
    AlertRules rules;
    const core::Result<bool> added =
        rules.addLayer(defaultsJson(), QStringLiteral("the built-in rules"));
    Q_ASSERT_X(added.ok(), "AlertRules::defaults", qPrintable(added.error()));
    return rules;
}

} // namespace qs::alerts
