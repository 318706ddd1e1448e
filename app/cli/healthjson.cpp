#include "healthjson.h"

#include "monitor/units.h"

#include <QJsonArray>

#include <cmath>

namespace qs::cli {

namespace {

QJsonValue optional(const std::optional<qint64> &value)
{
    return value ? QJsonValue(double(*value)) : QJsonValue::Null; // null: unknown
}

QJsonValue optional(const std::optional<double> &value, int decimals = 2)
{
    if (!value)
        return QJsonValue::Null;
    const double scale = std::pow(10.0, decimals);
    return std::round(*value * scale) / scale;
}

} // namespace

QJsonObject healthToJson(const monitor::HealthReport &r, double latencyMs)
{
    QJsonObject memory{
        {QStringLiteral("used"), optional(r.usedMemory)},
        {QStringLiteral("total"), double(r.maxMemory)},
        {QStringLiteral("percentUsed"), optional(r.memoryPercent)},
        {QStringLiteral("usedHuman"),
         r.usedMemory ? QJsonValue(monitor::formatBytes(*r.usedMemory)) : QJsonValue::Null},
        {QStringLiteral("totalHuman"),
         r.maxMemory > 0 ? QJsonValue(monitor::formatBytes(r.maxMemory)) : QJsonValue::Null},
        {QStringLiteral("rss"), optional(r.rss)},
        {QStringLiteral("fragmentationRatio"), optional(r.fragmentationRatio)},
        {QStringLiteral("maxmemoryPolicy"), r.maxmemoryPolicy},
    };
    QJsonObject clients{
        {QStringLiteral("connected"), optional(r.connectedClients)},
        {QStringLiteral("blocked"), optional(r.blockedClients)},
        {QStringLiteral("rejectedConnections"), optional(r.rejectedConnections)},
    };
    QJsonObject persistence{
        {QStringLiteral("rdbLastStatus"), r.rdbLastStatus},
        {QStringLiteral("aofEnabled"), r.aofEnabled},
        {QStringLiteral("aofLastWriteStatus"), r.aofLastWriteStatus},
        {QStringLiteral("loading"), r.loading},
    };
    QJsonObject replication{
        {QStringLiteral("role"), r.role},
        {QStringLiteral("connectedReplicas"), optional(r.connectedReplicas)},
        {QStringLiteral("masterLinkStatus"),
         r.masterLinkStatus.isEmpty() ? QJsonValue::Null : QJsonValue(r.masterLinkStatus)},
        {QStringLiteral("maxReplicaLagSeconds"), optional(r.maxReplicaLagSeconds)},
    };
    return {
        {QStringLiteral("status"), monitor::statusName(r.status)},
        {QStringLiteral("connected"), true},
        {QStringLiteral("reasons"), QJsonArray::fromStringList(r.reasons)},
        {QStringLiteral("server"), r.server},
        {QStringLiteral("version"), r.version},
        {QStringLiteral("role"), r.role},
        {QStringLiteral("mode"), r.mode},
        {QStringLiteral("uptimeSeconds"), optional(r.uptimeSeconds)},
        {QStringLiteral("memoryUsage"), memory},
        {QStringLiteral("opsPerSec"), optional(r.opsPerSec)},
        {QStringLiteral("clients"), clients},
        {QStringLiteral("hitRatePercent"), optional(r.hitRatePercent)},
        {QStringLiteral("evictedKeys"), optional(r.evictedKeys)},
        {QStringLiteral("expiredKeys"), optional(r.expiredKeys)},
        {QStringLiteral("totalKeys"), optional(r.totalKeys)},
        {QStringLiteral("persistence"), persistence},
        {QStringLiteral("replication"), replication},
        {QStringLiteral("latencyMs"), optional(latencyMs, 3)},
        // Filled by the queue adapters once they land; present so consumers can rely on it.
        {QStringLiteral("queueStats"), QJsonObject{}},
    };
}

} // namespace qs::cli
