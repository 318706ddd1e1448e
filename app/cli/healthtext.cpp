#include "healthtext.h"

#include "clioutput.h"

#include "monitor/units.h"

#include <QStringList>

namespace qs::cli {

namespace {

QString percent(double value)
{
    return QString::number(value, 'f', value < 10 ? 1 : 0) + QLatin1Char('%');
}

// Values quote INFO (versions, statuses, a master's host name in a reason): one line each.
QString line(const QString &label, const QString &value)
{
    return label.leftJustified(13) + field(value) + QLatin1Char('\n');
}

QString memoryLine(const monitor::HealthReport &r)
{
    QString text = monitor::formatBytes(r.usedMemory) + QStringLiteral(" used");
    if (r.maxMemory > 0 && r.memoryPercent)
        text += QStringLiteral(" of %1 maxmemory (%2)")
                    .arg(monitor::formatBytes(r.maxMemory), percent(*r.memoryPercent));
    else
        text += QStringLiteral(", no maxmemory limit");
    if (!r.maxmemoryPolicy.isEmpty())
        text += QStringLiteral(", policy ") + r.maxmemoryPolicy;
    text += QStringLiteral(", RSS %1, fragmentation %2")
                .arg(monitor::formatBytes(r.rss),
                     r.fragmentationRatio ? QString::number(*r.fragmentationRatio, 'f', 2)
                                          : QStringLiteral("unknown"));
    return text;
}

QString persistenceLine(const monitor::HealthReport &r)
{
    QString text =
        QStringLiteral("RDB last save %1")
            .arg(r.rdbLastStatus.isEmpty() ? QStringLiteral("unknown") : r.rdbLastStatus);
    text += r.aofEnabled ? QStringLiteral(", AOF on (last write %1)").arg(r.aofLastWriteStatus)
                         : QStringLiteral(", AOF off");
    if (r.loading)
        text += QStringLiteral(", loading");
    return text;
}

QString replicationLine(const monitor::HealthReport &r)
{
    if (r.isReplica())
        return QStringLiteral("replica, link to master %1").arg(r.masterLinkStatus);
    QString text =
        QStringLiteral("master, %1 replica(s)").arg(monitor::formatCount(r.connectedReplicas));
    if (r.maxReplicaLagSeconds)
        text += QStringLiteral(", max lag %1 s").arg(*r.maxReplicaLagSeconds);
    return text;
}

} // namespace

QString formatDuration(std::optional<qint64> known)
{
    if (!known)
        return QStringLiteral("unknown");
    const qint64 seconds = *known;
    if (seconds >= 86'400)
        return QStringLiteral("%1 d %2 h").arg(seconds / 86'400).arg(seconds % 86'400 / 3600);
    if (seconds >= 3600)
        return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
    if (seconds >= 60)
        return QStringLiteral("%1 min").arg(seconds / 60);
    return QStringLiteral("%1 s").arg(seconds);
}

QString healthToText(const monitor::HealthReport &r, double latencyMs, const QString &serverUrl)
{
    QString out = line(QStringLiteral("Server"), serverUrl);
    out += line(QStringLiteral("Status"), monitor::statusName(r.status).toUpper());
    for (const QString &reason : r.reasons)
        out += line(QString(), QStringLiteral("- ") + reason);
    out += line(QStringLiteral("Version"),
                QStringLiteral("%1 %2 (%3, %4), up %5")
                    .arg(r.server, r.version, r.mode, r.role, formatDuration(r.uptimeSeconds)));
    out += line(QStringLiteral("Memory"), memoryLine(r));
    out += line(QStringLiteral("Ops/sec"),
                r.opsPerSec ? QString::number(*r.opsPerSec, 'f', 0) : QStringLiteral("unknown"));
    out += line(QStringLiteral("Clients"),
                QStringLiteral("%1 connected, %2 blocked, %3 rejected connections")
                    .arg(monitor::formatCount(r.connectedClients),
                         monitor::formatCount(r.blockedClients),
                         monitor::formatCount(r.rejectedConnections)));
    out += line(QStringLiteral("Hit rate"),
                r.hitRatePercent ? percent(*r.hitRatePercent) : QStringLiteral("no lookups yet"));
    out += line(QStringLiteral("Keys"),
                QStringLiteral("%1, %2 evicted, %3 expired")
                    .arg(monitor::formatCount(r.totalKeys), monitor::formatCount(r.evictedKeys),
                         monitor::formatCount(r.expiredKeys)));
    out += line(QStringLiteral("Persistence"), persistenceLine(r));
    out += line(QStringLiteral("Replication"), replicationLine(r));
    out +=
        line(QStringLiteral("Latency"), QString::number(latencyMs, 'f', 2) + QStringLiteral(" ms"));
    return out;
}

} // namespace qs::cli
