#include "healthjson.h"

#include "monitor/units.h"

#include <QJsonArray>

#include <cmath>

namespace qs::cli {

namespace {

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
        {QStringLiteral("used"), double(r.usedMemory)},
        {QStringLiteral("total"), double(r.maxMemory)},
        {QStringLiteral("percentUsed"), optional(r.memoryPercent)},
        {QStringLiteral("usedHuman"), monitor::formatBytes(r.usedMemory)},
        {QStringLiteral("totalHuman"),
         r.maxMemory > 0 ? QJsonValue(monitor::formatBytes(r.maxMemory)) : QJsonValue::Null},
        {QStringLiteral("rss"), double(r.rss)},
        {QStringLiteral("fragmentationRatio"), optional(r.fragmentationRatio)},
        {QStringLiteral("maxmemoryPolicy"), r.maxmemoryPolicy},
    };
    QJsonObject clients{
        {QStringLiteral("connected"), double(r.connectedClients)},
        {QStringLiteral("blocked"), double(r.blockedClients)},
        {QStringLiteral("rejectedConnections"), double(r.rejectedConnections)},
    };
    QJsonObject persistence{
        {QStringLiteral("rdbLastStatus"), r.rdbLastStatus},
        {QStringLiteral("aofEnabled"), r.aofEnabled},
        {QStringLiteral("aofLastWriteStatus"), r.aofLastWriteStatus},
        {QStringLiteral("loading"), r.loading},
    };
    QJsonObject replication{
        {QStringLiteral("role"), r.role},
        {QStringLiteral("connectedReplicas"), double(r.connectedReplicas)},
        {QStringLiteral("masterLinkStatus"),
         r.masterLinkStatus.isEmpty() ? QJsonValue::Null : QJsonValue(r.masterLinkStatus)},
        {QStringLiteral("maxReplicaLagSeconds"),
         r.maxReplicaLagSeconds ? QJsonValue(double(*r.maxReplicaLagSeconds)) : QJsonValue::Null},
    };
    return {
        {QStringLiteral("status"), monitor::statusName(r.status)},
        {QStringLiteral("connected"), true},
        {QStringLiteral("reasons"), QJsonArray::fromStringList(r.reasons)},
        {QStringLiteral("server"), r.server},
        {QStringLiteral("version"), r.version},
        {QStringLiteral("role"), r.role},
        {QStringLiteral("mode"), r.mode},
        {QStringLiteral("uptimeSeconds"), double(r.uptimeSeconds)},
        {QStringLiteral("memoryUsage"), memory},
        {QStringLiteral("opsPerSec"), r.opsPerSec},
        {QStringLiteral("clients"), clients},
        {QStringLiteral("hitRatePercent"), optional(r.hitRatePercent)},
        {QStringLiteral("evictedKeys"), double(r.evictedKeys)},
        {QStringLiteral("expiredKeys"), double(r.expiredKeys)},
        {QStringLiteral("totalKeys"), double(r.totalKeys)},
        {QStringLiteral("persistence"), persistence},
        {QStringLiteral("replication"), replication},
        {QStringLiteral("latencyMs"), optional(latencyMs, 3)},
        // Filled by the queue adapters once they land; present so consumers can rely on it.
        {QStringLiteral("queueStats"), QJsonObject{}},
    };
}

} // namespace qs::cli
