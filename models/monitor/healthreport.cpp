#include "monitor/healthreport.h"

#include "monitor/units.h"

#include <algorithm>
#include <cmath>
#include <utility>

// Why the rules are what they are. QueueScope watches Redis used as a job-queue broker (BullMQ,
// Bull, Celery, RQ, Sidekiq), so "healthy" means: no job can be lost and writes are accepted.
//
// - Memory against maxmemory: warn at 80% (HealthThresholds::memoryWarnPercent) because queues
//   grow in bursts when workers stall, and an operator needs headroom to react; critical at 95%
//   because at 100% Redis either refuses writes (noeviction: enqueues fail with OOM) or evicts
//   (any other policy: jobs silently disappear). Without maxmemory there is no percentage to judge.
// - Evictions: any evicted key on a broker may have been a job or a lock, so a single one is
//   worth a look. A policy other than noeviction with a maxmemory set is the cause in waiting.
// - Persistence errors: a failed RDB save makes Redis refuse writes (stop-writes-on-bgsave-error
//   is on by default); a failed AOF write does the same until fsync works again; a failed AOF
//   rewrite lets the file grow without bound. All three end in refused writes or lost data.
// - Rejected connections: maxclients was hit, so some worker or producer could not connect.
// - A replica whose link to its master is down serves stale data and is not a failover target.
// - Loading: Redis answers -LOADING to nearly every command until the dataset is in memory.
// - Fragmentation: RSS above 1.5x the data wastes memory the dataset may need; it only matters
//   with a real dataset (100 MiB): a small Redis shows ratios of 3-10 from its fixed overhead.
// - Blocked clients are NOT judged: queue workers block on BRPOP/BZPOPMIN while they wait for
//   jobs, so many blocked clients is the normal, idle state of a healthy broker.

namespace qs::monitor {

using namespace Qt::StringLiterals;
using Status = HealthReport::Status;

namespace {

QString percentText(double percent)
{
    return QString::number(percent, 'f', 1) + u'%';
}

// Reasons are collected with their severity and reported worst first.
class Findings
{
public:
    void add(Status severity, QString reason) { m_items.emplaceBack(severity, std::move(reason)); }

    void writeTo(HealthReport &report) const
    {
        auto items = m_items;
        std::stable_sort(items.begin(), items.end(),
                         [](const auto &a, const auto &b) { return a.first > b.first; });
        for (const auto &[severity, reason] : items) {
            report.status = std::max(report.status, severity);
            report.reasons.append(reason);
        }
    }

private:
    QList<std::pair<Status, QString>> m_items;
};

// Reads the numbers a verdict rests on, refusing impossible ones: INFO comes from whatever
// answers on the port (a fork, a proxy, a hostile server), and a negative memory or client count
// must read as unknown, never as a healthy number. Each impossible value adds a Degraded reason.
class InfoReader
{
public:
    static constexpr qint64 maxBytes = qint64(1) << 60; // 1 EiB: no server has that much memory
    static constexpr qint64 maxCount = qint64(1) << 48;
    static constexpr qint64 maxClients = qint64(1) << 32;
    static constexpr double maxRate = 1e12;

    InfoReader(const redis::InfoSnapshot &info, Findings &findings)
        : m_info(info)
        , m_findings(findings)
    {
    }

    // nullopt when absent or impossible (not a whole number, negative, above `max`).
    std::optional<qint64> integer(const QString &key, qint64 max)
    {
        if (!m_info.fields.contains(key))
            return std::nullopt;
        const std::optional<qint64> value = m_info.integer(key);
        if (value && *value >= 0 && *value <= max)
            return value;
        impossible(key, m_info.text(key));
        return std::nullopt;
    }

    std::optional<double> real(const QString &key, double max)
    {
        if (!m_info.fields.contains(key))
            return std::nullopt;
        const std::optional<double> value = m_info.real(key);
        if (value && std::isfinite(*value) && *value >= 0 && *value <= max)
            return value;
        impossible(key, m_info.text(key));
        return std::nullopt;
    }

    // The sum of db<N>:keys=…; 0 without a keyspace line (an empty server).
    std::optional<qint64> totalKeys()
    {
        qint64 total = 0;
        for (const redis::KeyspaceEntry &db : m_info.keyspace) {
            if (db.keys < 0 || db.keys > maxCount || total > maxCount - db.keys) {
                impossible(u"db%1 keys"_s.arg(db.db), QString::number(db.keys));
                return std::nullopt;
            }
            total += db.keys;
        }
        return total;
    }

    std::optional<qint64> maxReplicaLag()
    {
        std::optional<qint64> worst;
        for (const redis::ReplicaEntry &replica : m_info.replicas) {
            if (replica.lagSeconds < 0 || replica.lagSeconds > maxCount) {
                impossible(u"slave%1 lag"_s.arg(replica.index),
                           QString::number(replica.lagSeconds));
                return std::nullopt;
            }
            worst = std::max(worst.value_or(0), replica.lagSeconds);
        }
        return worst;
    }

private:
    void impossible(const QString &key, const QString &value)
    {
        // The value is server data: cut short, so a hostile INFO cannot flood the report.
        const QString shown = value.size() > 40 ? value.left(40) + u'…' : value;
        m_findings.add(Status::Degraded,
                       u"INFO %1 is impossible (%2): shown as unknown"_s.arg(key, shown));
    }

    const redis::InfoSnapshot &m_info;
    Findings &m_findings;
};

void readValues(const redis::InfoSnapshot &info, HealthReport &r, Findings &findings)
{
    if (info.fields.contains(u"valkey_version"_s) || info.text(u"server_name"_s) == u"valkey") {
        r.server = u"valkey"_s;
        r.version = info.text(u"valkey_version"_s);
    } else if (info.fields.contains(u"dragonfly_version"_s)) {
        r.server = u"dragonfly"_s;
        r.version = info.text(u"dragonfly_version"_s);
    } else if (info.fields.contains(u"mvcc_depth"_s) ||
               info.text(u"executable"_s).contains(u"keydb"_s)) {
        // KeyDB prints its own version as redis_version and names itself only further down.
        r.server = u"keydb"_s;
    } else {
        r.server = u"redis"_s;
    }
    if (r.version.isEmpty())
        r.version = info.text(u"redis_version"_s);
    r.role = info.text(u"role"_s);
    // Valkey 8 prints server_mode unless extended-redis-compatibility is on.
    r.mode = info.fields.value(u"redis_mode"_s, info.text(u"server_mode"_s));

    InfoReader read(info, findings);
    const qint64 bytes = InfoReader::maxBytes;
    const qint64 count = InfoReader::maxCount;
    r.uptimeSeconds = read.integer(u"uptime_in_seconds"_s, count);
    r.usedMemory = read.integer(u"used_memory"_s, bytes);
    r.maxMemory = read.integer(u"maxmemory"_s, bytes).value_or(0);
    r.rss = read.integer(u"used_memory_rss"_s, bytes);
    if (r.maxMemory > 0 && r.usedMemory)
        r.memoryPercent = 100.0 * double(*r.usedMemory) / double(r.maxMemory);
    r.maxmemoryPolicy = info.text(u"maxmemory_policy"_s);
    r.fragmentationRatio = read.real(u"mem_fragmentation_ratio"_s, InfoReader::maxRate);

    r.connectedClients = read.integer(u"connected_clients"_s, InfoReader::maxClients);
    r.blockedClients = read.integer(u"blocked_clients"_s, InfoReader::maxClients);
    r.rejectedConnections = read.integer(u"rejected_connections"_s, count);
    r.evictedKeys = read.integer(u"evicted_keys"_s, count);
    r.expiredKeys = read.integer(u"expired_keys"_s, count);
    r.opsPerSec = read.real(u"instantaneous_ops_per_sec"_s, InfoReader::maxRate);
    const std::optional<qint64> hits = read.integer(u"keyspace_hits"_s, count);
    const std::optional<qint64> misses = read.integer(u"keyspace_misses"_s, count);
    if (hits && misses && (*hits > 0 || *misses > 0))
        r.hitRatePercent = 100.0 * double(*hits) / double(*hits + *misses);

    r.rdbLastStatus = info.text(u"rdb_last_bgsave_status"_s);
    r.aofLastWriteStatus = info.text(u"aof_last_write_status"_s);
    r.aofLastRewriteStatus = info.text(u"aof_last_bgrewrite_status"_s);
    r.aofEnabled = info.integerOr(u"aof_enabled"_s, 0) != 0;
    r.loading = info.integerOr(u"loading"_s, 0) != 0;

    r.connectedReplicas = read.integer(u"connected_slaves"_s, InfoReader::maxClients);
    if (r.isReplica())
        r.masterLinkStatus = info.text(u"master_link_status"_s);
    r.maxReplicaLagSeconds = read.maxReplicaLag();
    r.totalKeys = read.totalKeys();
}

void judgeMemory(const HealthReport &r, const HealthThresholds &limits, Findings &findings)
{
    if (r.memoryPercent) {
        const double percent = *r.memoryPercent;
        const QString text = u"memory at %1 of maxmemory (%2 of %3)"_s.arg(
            percentText(percent), formatBytes(r.usedMemory), formatBytes(r.maxMemory));
        if (percent > limits.memoryCriticalPercent)
            findings.add(Status::Unhealthy, text);
        else if (percent > limits.memoryWarnPercent)
            findings.add(Status::Degraded, text);
    }

    const bool noeviction = r.maxmemoryPolicy == u"noeviction";
    if (r.evictedKeys > 0) {
        const QString evicted = u"evicted %1 keys since start: a queue broker must not evict"_s.arg(
            formatCount(r.evictedKeys));
        if (noeviction) // the counter outlives a CONFIG SET of the policy
            findings.add(Status::Degraded,
                         evicted + u"; maxmemory-policy is noeviction now, so an earlier policy "
                                   "evicted them"_s);
        else if (r.maxmemoryPolicy.isEmpty())
            findings.add(Status::Degraded, evicted + u"; use noeviction"_s);
        else
            findings.add(Status::Degraded,
                         evicted +
                             u" (maxmemory-policy %1); use noeviction"_s.arg(r.maxmemoryPolicy));
    } else if (r.maxMemory > 0 && !noeviction && !r.maxmemoryPolicy.isEmpty()) {
        findings.add(Status::Degraded,
                     u"maxmemory-policy is %1: when memory reaches maxmemory (%2) Redis will evict "
                     "keys, queued jobs included; use noeviction"_s.arg(r.maxmemoryPolicy,
                                                                        formatBytes(r.maxMemory)));
    }

    if (r.fragmentationRatio > limits.fragmentationWarnRatio &&
        r.usedMemory > limits.fragmentationMinUsedMemory) {
        findings.add(Status::Degraded,
                     u"memory fragmentation ratio %1 (RSS %2 for %3 of data): enable activedefrag "
                     "or restart the server at a quiet time"_s.arg(
                         QString::number(*r.fragmentationRatio, 'f', 2), formatBytes(r.rss),
                         formatBytes(r.usedMemory)));
    }
}

void judgePersistence(const HealthReport &r, Findings &findings)
{
    if (r.rdbLastStatus == u"err") {
        findings.add(
            Status::Unhealthy,
            u"last RDB snapshot failed (rdb_last_bgsave_status:err): Redis refuses writes "
            "while stop-writes-on-bgsave-error is on; check disk space and the server log"_s);
    }
    if (r.aofLastWriteStatus == u"err") {
        findings.add(
            Status::Unhealthy,
            u"AOF writes are failing (aof_last_write_status:err): Redis refuses writes "
            "until the append-only file can be written; check disk space and the server log"_s);
    }
    if (r.aofLastRewriteStatus == u"err") {
        findings.add(Status::Unhealthy,
                     u"last AOF rewrite failed (aof_last_bgrewrite_status:err): the append-only "
                     "file keeps growing; check disk space and the server log"_s);
    }
}

void judgeServer(const redis::InfoSnapshot &info, const HealthReport &r, Findings &findings)
{
    if (r.loading) {
        const auto done = info.real(u"loading_loaded_perc"_s);
        findings.add(
            Status::Degraded,
            u"loading the dataset from disk%1: Redis answers LOADING to most commands "
            "until it finishes"_s.arg(done ? u" (%1 done)"_s.arg(percentText(*done)) : QString()));
    }
    if (r.rejectedConnections > 0) {
        const auto maxClients = info.integer(u"maxclients"_s);
        findings.add(Status::Degraded,
                     u"rejected %1 connections since start: maxclients%2 was reached; raise it or "
                     "find the client that leaks connections"_s.arg(
                         formatCount(r.rejectedConnections),
                         maxClients ? u" (%1)"_s.arg(formatCount(*maxClients)) : QString()));
    }
    if (r.isReplica() && r.masterLinkStatus == u"down") {
        const QString master = info.text(u"master_host"_s) + u':' + info.text(u"master_port"_s);
        const qint64 downFor = info.integerOr(u"master_link_down_since_seconds"_s, -1);
        QString detail = downFor >= 0 ? u"for %1 s"_s.arg(formatCount(downFor))
                                      : u"since this replica started"_s;
        if (info.integerOr(u"master_sync_in_progress"_s, 0) != 0)
            detail += u", a full sync is in progress"_s;
        findings.add(Status::Unhealthy,
                     u"replica has no link to its master %1 (master_link_status:down %2): it "
                     "serves stale data"_s.arg(master, detail));
    }
}

} // namespace

HealthReport evaluateHealth(const redis::InfoSnapshot &info, const HealthThresholds &thresholds)
{
    HealthReport report;
    if (info.isEmpty()) {
        // Nothing to judge is not "healthy": say so, without claiming the server is down.
        report.status = Status::Degraded;
        report.reasons.append(u"INFO returned no fields: health unknown"_s);
        return report;
    }
    Findings findings;
    readValues(info, report, findings);
    judgeServer(info, report, findings);
    judgeMemory(report, thresholds, findings);
    judgePersistence(report, findings);
    findings.writeTo(report);
    return report;
}

QString statusName(HealthReport::Status status)
{
    switch (status) {
    case Status::Healthy:
        return u"healthy"_s;
    case Status::Degraded:
        return u"degraded"_s;
    case Status::Unhealthy:
        return u"unhealthy"_s;
    }
    return u"unhealthy"_s;
}

} // namespace qs::monitor
