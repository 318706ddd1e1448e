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
    qint64 uptimeSeconds = 0;

    qint64 usedMemory = 0;
    qint64 maxMemory = 0; // 0 = no limit
    qint64 rss = 0;
    std::optional<double> memoryPercent; // used/maxmemory, only when maxmemory > 0
    QString maxmemoryPolicy;
    double fragmentationRatio = 0;

    qint64 connectedClients = 0;
    qint64 blockedClients = 0; // informational: queue workers block on BRPOP/BZPOPMIN by design
    qint64 rejectedConnections = 0;
    qint64 evictedKeys = 0;
    qint64 expiredKeys = 0;
    double opsPerSec = 0;                 // instantaneous_ops_per_sec
    std::optional<double> hitRatePercent; // hits/(hits+misses), nullopt before any lookup

    QString rdbLastStatus;        // rdb_last_bgsave_status: "ok" / "err"
    QString aofLastWriteStatus;   // aof_last_write_status
    QString aofLastRewriteStatus; // aof_last_bgrewrite_status
    bool aofEnabled = false;
    bool loading = false;

    qint64 connectedReplicas = 0;               // on a master: connected_slaves
    QString masterLinkStatus;                   // on a replica: "up" / "down"; empty on a master
    std::optional<qint64> maxReplicaLagSeconds; // on a master with replicas

    qint64 totalKeys = 0; // over all databases

    bool isReplica() const { return role == QLatin1String("slave"); }
};

HealthReport evaluateHealth(const redis::InfoSnapshot &info,
                            const HealthThresholds &thresholds = {});

// "healthy", "degraded", "unhealthy": stable words for JSON and scripts.
QString statusName(HealthReport::Status status);

} // namespace qs::monitor

Q_DECLARE_METATYPE(qs::monitor::HealthReport)
