#include "metricfamilies.h"

namespace qs::exporter {

namespace {

constexpr MetricType Gauge = MetricType::Gauge;
constexpr MetricType Counter = MetricType::Counter;

const QList<MetricFamily> &fixedFamilies()
{
    static const QList<MetricFamily> families{
        {"redis_up", Gauge,
         "Whether the server answered the exporter's latest poll (1) or not (0)."},
        {"queuescope_up", Gauge,
         "Whether the latest poll read INFO and every queue's counts without a failed read (1)."},
        {"queuescope_poll_duration_seconds", Gauge,
         "Time the latest poll took, from sending its pipeline to its last reply."},
        {"queuescope_poll_commands", Gauge, "Redis commands the latest poll sent."},
        {"queuescope_poll_round_trips", Gauge, "Round trips the latest poll took."},
        {"queuescope_poll_timestamp_seconds", Gauge,
         "When the latest successful poll completed (Unix time)."},
        {"redis_instance_info", Gauge, "Information about the Redis instance."},
        {"redis_db_keys", Gauge, "Total number of keys by DB."},
        {"redis_db_keys_expiring", Gauge, "Total number of expiring keys by DB."},
        {"queuescope_queue_jobs", Gauge,
         "Jobs of a queue by unified state (waiting, active, delayed, prioritized, completed, "
         "failed, other) and the framework's own name of it (native_state)."},
        {"queuescope_queue_paused", Gauge, "Whether the queue is paused (1) or not (0)."},
        {"queuescope_queue_oldest_waiting_seconds", Gauge,
         "How long the oldest waiting job of the queue has waited; 0 when none waits."},
        {"queuescope_queue_workers", Gauge,
         "Live workers consuming the queue, as of the latest workers scan."},
        {"queuescope_jobs_completed_total", Counter,
         "Jobs completed, as the framework counts them (BullMQ/Bull metrics per queue; Sidekiq "
         "per installation, without a queue label)."},
        {"queuescope_jobs_failed_total", Counter,
         "Jobs failed, as the framework counts them (BullMQ/Bull metrics per queue; Sidekiq per "
         "installation, without a queue label)."},
        {"queuescope_jobs_completed_per_minute", Gauge,
         "Jobs completed in the latest minute, for every framework: exact where the framework "
         "counts them (source=\"exact\"), else from the change of the completed count between "
         "polls (source=\"estimated\", too low when the finished set is trimmed)."},
        {"queuescope_jobs_failed_per_minute", Gauge,
         "Jobs failed in the latest minute, exact or estimated as "
         "queuescope_jobs_completed_per_minute."},
        {"queuescope_installation_jobs", Gauge,
         "Jobs that belong to a framework installation (framework + prefix) rather than one "
         "queue: Celery's reserved, Sidekiq's busy, scheduled, retries, dead."},
        {"queuescope_installation_paused", Gauge,
         "Whether the whole installation is paused (RQ suspended) (1) or not (0)."},
        {"queuescope_installation_workers", Gauge,
         "Worker processes of a framework installation where the framework lists them."},
    };
    return families;
}

} // namespace

const QList<InfoMetric> &infoMetrics()
{
    // The fields of the INFO sections the poller reads (server clients memory stats persistence
    // replication cpu), named as redis_exporter names them (exporter/exporter.go,
    // metricMapGauges and metricMapCounters).
    static const QList<InfoMetric> metrics{
        {"uptime_in_seconds", {"redis_uptime_in_seconds", Gauge, "Server uptime in seconds."}},
        {"connected_clients", {"redis_connected_clients", Gauge, "Connected clients."}},
        {"blocked_clients",
         {"redis_blocked_clients", Gauge, "Clients blocked on a list (workers waiting for jobs)."}},
        {"maxclients", {"redis_max_clients", Gauge, "The maxclients setting."}},
        {"used_memory", {"redis_memory_used_bytes", Gauge, "Memory used by the dataset."}},
        {"used_memory_rss", {"redis_memory_used_rss_bytes", Gauge, "Resident memory of Redis."}},
        {"used_memory_peak", {"redis_memory_used_peak_bytes", Gauge, "Peak memory used."}},
        {"used_memory_lua", {"redis_memory_used_lua_bytes", Gauge, "Memory used by Lua."}},
        {"maxmemory", {"redis_memory_max_bytes", Gauge, "The maxmemory setting; 0: no limit."}},
        {"mem_fragmentation_ratio",
         {"redis_mem_fragmentation_ratio", Gauge, "Resident memory over used memory."}},
        {"loading", {"redis_loading_dump_file", Gauge, "Whether a dump file is being loaded."}},
        {"rdb_changes_since_last_save",
         {"redis_rdb_changes_since_last_save", Gauge, "Changes since the last RDB save."}},
        {"rdb_bgsave_in_progress",
         {"redis_rdb_bgsave_in_progress", Gauge, "Whether an RDB save is under way."}},
        {"rdb_last_save_time",
         {"redis_rdb_last_save_timestamp_seconds", Gauge, "When the last RDB save succeeded."}},
        {"rdb_last_bgsave_status",
         {"redis_rdb_last_bgsave_status", Gauge, "Whether the last RDB save succeeded (1)."}},
        {"aof_enabled", {"redis_aof_enabled", Gauge, "Whether AOF persistence is on."}},
        {"aof_last_write_status",
         {"redis_aof_last_write_status", Gauge, "Whether the last AOF write succeeded (1)."}},
        {"connected_slaves", {"redis_connected_slaves", Gauge, "Connected replicas."}},
        {"master_repl_offset",
         {"redis_master_repl_offset", Gauge, "The replication offset of this server."}},
        {"total_connections_received",
         {"redis_connections_received_total", Counter, "Connections accepted."}},
        {"total_commands_processed",
         {"redis_commands_processed_total", Counter, "Commands processed."}},
        {"rejected_connections",
         {"redis_rejected_connections_total", Counter, "Connections refused (maxclients)."}},
        {"total_net_input_bytes", {"redis_net_input_bytes_total", Counter, "Bytes received."}},
        {"total_net_output_bytes", {"redis_net_output_bytes_total", Counter, "Bytes sent."}},
        {"expired_keys", {"redis_expired_keys_total", Counter, "Keys expired."}},
        {"evicted_keys",
         {"redis_evicted_keys_total", Counter, "Keys evicted for maxmemory (0 on a broker)."}},
        {"keyspace_hits", {"redis_keyspace_hits_total", Counter, "Successful key lookups."}},
        {"keyspace_misses", {"redis_keyspace_misses_total", Counter, "Failed key lookups."}},
        {"used_cpu_sys", {"redis_cpu_sys_seconds_total", Counter, "System CPU used by Redis."}},
        {"used_cpu_user", {"redis_cpu_user_seconds_total", Counter, "User CPU used by Redis."}},
    };
    return metrics;
}

int familyCount()
{
    return indexOf(Family::FixedCount) + int(infoMetrics().size());
}

const MetricFamily &familyAt(int index)
{
    const int fixed = indexOf(Family::FixedCount);
    return index < fixed ? fixedFamilies().at(index) : infoMetrics().at(index - fixed).family;
}

} // namespace qs::exporter
