#pragma once

#include "redis/infosnapshot.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace qs::monitor {

// Limits for evaluateHealth(). The defaults are the rules for a Redis that brokers job queues;
// healthreport.cpp says why each one is where it is.
struct HealthThresholds
{
    // Headroom: queues grow in bursts when workers stall, and someone has to react in time.
    double memoryWarnPercent = 80; // of maxmemory -> Degraded
    // At 100% enqueues fail with OOM (noeviction) or jobs are evicted (any other policy).
    double memoryCriticalPercent = 95; // of maxmemory -> Unhealthy
    // RSS 50% above the data is memory the dataset may need (mem_fragmentation_ratio).
    double fragmentationWarnRatio = 1.5;
    // Below this the ratio is dominated by the allocator's fixed overhead: noise, not waste.
    qint64 fragmentationMinUsedMemory = 100LL * 1024 * 1024;
};

// The health of one server from one INFO reply: a verdict, the sentences that explain it, and
// the values it was computed from (for the dashboard and `queuescope check --json`).
struct HealthReport
{
    enum class Status { Healthy, Degraded, Unhealthy };

    Status status = Status::Healthy;
    QStringList reasons; // worst first; empty when Healthy

    QString server;  // "redis", "valkey", "keydb" or "dragonfly" (forks report a redis_version)
    QString version; // the server's own version: valkey_version on Valkey, not redis_version
    QString role;    // as INFO says it: "master" or "slave"
    QString mode;    // "standalone", "cluster", "sentinel"
    // Values are std::nullopt when unknown: absent from INFO, or impossible (negative, not a
    // number, absurdly large). An impossible value also makes the report Degraded with a reason.
    std::optional<qint64> uptimeSeconds;

    std::optional<qint64> usedMemory;
    qint64 maxMemory = 0; // 0 = no limit (also when INFO's value is impossible: see reasons)
    std::optional<qint64> rss;
    std::optional<double> memoryPercent; // used/maxmemory, only when maxmemory > 0
    QString maxmemoryPolicy;
    std::optional<double> fragmentationRatio;

    std::optional<qint64> connectedClients;
    std::optional<qint64> blockedClients; // informational: workers block on BRPOP by design
    std::optional<qint64> rejectedConnections;
    std::optional<qint64> evictedKeys;
    std::optional<qint64> expiredKeys;
    std::optional<double> opsPerSec;      // instantaneous_ops_per_sec
    std::optional<double> hitRatePercent; // hits/(hits+misses), nullopt before any lookup

    QString rdbLastStatus;        // rdb_last_bgsave_status: "ok" / "err"
    QString aofLastWriteStatus;   // aof_last_write_status
    QString aofLastRewriteStatus; // aof_last_bgrewrite_status
    bool aofEnabled = false;
    bool loading = false;

    std::optional<qint64> connectedReplicas;    // on a master: connected_slaves
    QString masterLinkStatus;                   // on a replica: "up" / "down"; empty on a master
    std::optional<qint64> maxReplicaLagSeconds; // on a master with replicas

    std::optional<qint64> totalKeys; // over all databases

    bool isReplica() const { return role == QLatin1String("slave"); }
};

HealthReport evaluateHealth(const redis::InfoSnapshot &info,
                            const HealthThresholds &thresholds = {});

// "healthy", "degraded", "unhealthy": stable words for JSON and scripts.
QString statusName(HealthReport::Status status);

} // namespace qs::monitor

Q_DECLARE_METATYPE(qs::monitor::HealthReport)
