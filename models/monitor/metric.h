#pragma once

#include <QString>

namespace qs::monitor {

// Every charted server signal. Gauges are read from INFO as they are; rates are computed from
// counter deltas between consecutive polls (never from extra commands).
enum class Metric {
    UsedMemory,       // bytes, used_memory
    RssMemory,        // bytes, used_memory_rss
    MaxMemory,        // bytes, maxmemory (0 = none)
    OpsPerSec,        // from total_commands_processed delta
    ConnectedClients, // connected_clients
    BlockedClients,   // blocked_clients
    NetInKbps,        // from total_net_input_bytes delta, kilobits/s
    NetOutKbps,       // from total_net_output_bytes delta
    HitRatePercent,   // keyspace_hits/(hits+misses) over the interval; gap when no lookups
    EvictedPerSec,    // from evicted_keys delta
    ExpiredPerSec,    // from expired_keys delta
    CpuPercent,       // from used_cpu_sys + used_cpu_user delta, % of one core
    Fragmentation,    // mem_fragmentation_ratio
    ReplicationLag,   // seconds, max replica lag (master) or master_last_io_seconds_ago
    Count
};

constexpr int metricCount = int(Metric::Count);

QString metricName(Metric metric);  // stable id for CSV/JSON: "usedMemory", "opsPerSec", ...
QString metricLabel(Metric metric); // for people: "Used memory", "Ops/sec", ...
QString metricUnit(Metric metric);  // "B", "ops/s", "kbit/s", "%", "/s", "s", ""

} // namespace qs::monitor
