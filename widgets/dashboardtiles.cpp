#include "dashboardtiles.h"

#include "kpitile.h"

#include "monitor/topologymodel.h"
#include "monitor/units.h"
#include "session/serversession.h"

#include <QCoreApplication>
#include <QSet>

#include <cmath>

namespace qs::widgets {

namespace {

using Level = KpiTile::Level;
using monitor::Metric;

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("DashboardTiles", text, disambiguation, n);
}

QString duration(std::optional<qint64> known)
{
    if (!known)
        return tr("unknown");
    const qint64 seconds = *known;
    if (seconds >= 86'400)
        return QStringLiteral("%1 d %2 h").arg(seconds / 86'400).arg(seconds % 86'400 / 3600);
    if (seconds >= 3600)
        return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
    return QStringLiteral("%1 min").arg(seconds / 60);
}

QString number(double value, int decimals = 0)
{
    return std::isnan(value) ? QStringLiteral("–") : QString::number(value, 'f', decimals);
}

// INFO's own value; "unknown" when absent or impossible.
QString number(std::optional<double> value, int decimals)
{
    return value ? QString::number(*value, 'f', decimals) : tr("unknown");
}

void setMemory(KpiTile *tile, const monitor::HealthReport &h)
{
    if (h.maxMemory <= 0 || !h.memoryPercent) {
        tile->setValue(monitor::formatBytes(h.usedMemory),
                       tr("no maxmemory limit; RSS %1").arg(monitor::formatBytes(h.rss)),
                       Level::Normal);
        return;
    }
    const double percent = *h.memoryPercent;
    tile->setValue(QStringLiteral("%1%").arg(QString::number(percent, 'f', 1)),
                   tr("%1 of %2 maxmemory")
                       .arg(monitor::formatBytes(h.usedMemory), monitor::formatBytes(h.maxMemory)),
                   percent >= 95   ? Level::Critical
                   : percent >= 80 ? Level::Warning
                                   : Level::Normal);
}

void setPersistence(KpiTile *tile, const monitor::HealthReport &h)
{
    const bool rdbFailed = h.rdbLastStatus == QLatin1String("err");
    const bool aofFailed = h.aofEnabled && h.aofLastWriteStatus == QLatin1String("err");
    QString detail =
        h.aofEnabled ? tr("AOF on, last write %1").arg(h.aofLastWriteStatus) : tr("AOF off");
    tile->setValue(rdbFailed ? tr("RDB save failed") : tr("RDB %1").arg(h.rdbLastStatus), detail,
                   rdbFailed || aofFailed ? Level::Critical : Level::Normal);
}

void setReplication(KpiTile *tile, const monitor::HealthReport &h)
{
    if (h.isReplica()) {
        const bool down = h.masterLinkStatus != QLatin1String("up");
        tile->setValue(tr("replica"), tr("link to master %1").arg(h.masterLinkStatus),
                       down ? Level::Critical : Level::Normal);
        return;
    }
    QString detail = h.connectedReplicas ? tr("%n replica(s)", nullptr,
                                              int(qMin<qint64>(*h.connectedReplicas, INT_MAX)))
                                         : tr("replicas unknown");
    if (h.maxReplicaLagSeconds)
        detail += tr(", max lag %1 s").arg(*h.maxReplicaLagSeconds);
    tile->setValue(tr("master"), detail,
                   h.maxReplicaLagSeconds && *h.maxReplicaLagSeconds > 10 ? Level::Warning
                                                                          : Level::Normal);
}

// A cluster's replication is its masters' replicas: one node's INFO would speak for one shard.
void setClusterReplication(KpiTile *tile, const redis::Topology &topology)
{
    QSet<QString> replicated; // masters with a live replica
    int replicas = 0;
    std::optional<qint64> maxLag;
    for (const redis::TopologyNode &node : topology.nodes) {
        if (node.role != QLatin1String("replica") || monitor::isLostNode(node))
            continue;
        ++replicas;
        replicated.insert(node.masterAddress);
        if (node.lagSeconds)
            maxLag = qMax(maxLag.value_or(0), *node.lagSeconds);
    }
    int masters = 0;
    int unprotected = 0; // live masters with no live replica: no failover possible
    for (const redis::TopologyNode &node : topology.nodes) {
        if (node.role != QLatin1String("master") || monitor::isLostNode(node))
            continue;
        ++masters;
        unprotected += replicated.contains(node.address) ? 0 : 1;
    }
    QString detail =
        tr("%n master(s), ", nullptr, masters) + tr("%n replica(s)", nullptr, replicas);
    if (unprotected > 0)
        detail += tr("; %n master(s) without a replica", nullptr, unprotected);
    else if (maxLag)
        detail += tr(", max lag %1 s").arg(*maxLag);
    tile->setValue(tr("cluster"), detail,
                   unprotected > 0 || (maxLag && *maxLag > 10) ? Level::Warning : Level::Normal);
}

} // namespace

QList<QPair<QString, QString>> dashboardTileTitles()
{
    return {{QStringLiteral("version"), tr("Version")},
            {QStringLiteral("uptime"), tr("Uptime")},
            {QStringLiteral("memory"), tr("Memory")},
            {QStringLiteral("ops"), tr("Ops/sec")},
            {QStringLiteral("clients"), tr("Clients")},
            {QStringLiteral("hitrate"), tr("Hit rate")},
            {QStringLiteral("evicted"), tr("Evicted keys")},
            {QStringLiteral("fragmentation"), tr("Fragmentation")},
            {QStringLiteral("persistence"), tr("Persistence")},
            {QStringLiteral("replication"), tr("Replication")},
            {QStringLiteral("latency"), tr("Poll latency")},
            {QStringLiteral("keys"), tr("Keys")}};
}

void updateDashboardTiles(const QHash<QString, KpiTile *> &tiles,
                          const session::ServerSession &session)
{
    const monitor::PollSnapshot &poll = session.latest();
    if (!poll.ok())
        return; // keep the last known values; the banner says the server is unreachable
    const monitor::HealthReport &h = session.health();
    const monitor::MetricHistory &history = session.history();

    tiles[QStringLiteral("version")]->setValue(h.version, tr("%1, %2").arg(h.server, h.mode));
    tiles[QStringLiteral("uptime")]->setValue(duration(h.uptimeSeconds));
    setMemory(tiles[QStringLiteral("memory")], h);
    tiles[QStringLiteral("ops")]->setValue(number(history.latest(Metric::OpsPerSec)),
                                           tr("instantaneous %1").arg(number(h.opsPerSec, 0)));
    tiles[QStringLiteral("clients")]->setValue(
        monitor::formatCount(h.connectedClients),
        tr("%1 blocked (waiting workers), %2 rejected")
            .arg(monitor::formatCount(h.blockedClients),
                 monitor::formatCount(h.rejectedConnections)),
        h.rejectedConnections > 0 ? Level::Warning : Level::Normal);
    const double hitRate = history.latest(Metric::HitRatePercent);
    const QString sinceStart = h.hitRatePercent
                                   ? QString::number(*h.hitRatePercent, 'f', 1) + QLatin1Char('%')
                                   : QString();
    if (!std::isnan(hitRate))
        tiles[QStringLiteral("hitrate")]->setValue(
            number(hitRate, 1) + QLatin1Char('%'),
            sinceStart.isEmpty() ? tr("last interval")
                                 : tr("last interval; %1 since start").arg(sinceStart));
    else
        tiles[QStringLiteral("hitrate")]->setValue(
            sinceStart.isEmpty() ? QStringLiteral("–") : sinceStart,
            sinceStart.isEmpty() ? tr("no lookups yet")
                                 : tr("since start (no lookups in the last interval)"));
    tiles[QStringLiteral("evicted")]->setValue(
        monitor::formatCount(h.evictedKeys),
        h.evictedKeys > 0 ? tr("a queue broker must not evict (policy %1)").arg(h.maxmemoryPolicy)
                          : tr("policy %1").arg(h.maxmemoryPolicy),
        h.evictedKeys > 0 ? Level::Warning : Level::Normal);
    const bool fragmented = h.fragmentationRatio > 1.5 && h.usedMemory > 100LL * 1024 * 1024;
    tiles[QStringLiteral("fragmentation")]->setValue(number(h.fragmentationRatio, 2),
                                                     tr("RSS / used memory"),
                                                     fragmented ? Level::Warning : Level::Normal);
    setPersistence(tiles[QStringLiteral("persistence")], h);
    if (poll.topology.mode == redis::TopologyMode::Cluster)
        setClusterReplication(tiles[QStringLiteral("replication")], poll.topology);
    else
        setReplication(tiles[QStringLiteral("replication")], h);
    tiles[QStringLiteral("latency")]->setValue(
        QStringLiteral("%1 ms").arg(QString::number(poll.cost.milliseconds, 'f', 2)),
        tr("%1 round trip(s), %2 command(s)").arg(poll.cost.roundTrips).arg(poll.cost.commands),
        poll.cost.milliseconds > 100 ? Level::Warning : Level::Normal);
    tiles[QStringLiteral("keys")]->setValue(
        monitor::formatCount(h.totalKeys),
        tr("%1 expired since start").arg(monitor::formatCount(h.expiredKeys)));
}

} // namespace qs::widgets
