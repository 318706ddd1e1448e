#include "monitor/metric.h"

#include <QCoreApplication>

namespace qs::monitor {

using namespace Qt::StringLiterals;

QString metricName(Metric metric)
{
    // Written into CSV headers and JSON by users' scripts: never rename one.
    switch (metric) {
    case Metric::UsedMemory:
        return u"usedMemory"_s;
    case Metric::RssMemory:
        return u"rssMemory"_s;
    case Metric::MaxMemory:
        return u"maxMemory"_s;
    case Metric::OpsPerSec:
        return u"opsPerSec"_s;
    case Metric::ConnectedClients:
        return u"connectedClients"_s;
    case Metric::BlockedClients:
        return u"blockedClients"_s;
    case Metric::NetInKbps:
        return u"netInKbps"_s;
    case Metric::NetOutKbps:
        return u"netOutKbps"_s;
    case Metric::HitRatePercent:
        return u"hitRatePercent"_s;
    case Metric::EvictedPerSec:
        return u"evictedPerSec"_s;
    case Metric::ExpiredPerSec:
        return u"expiredPerSec"_s;
    case Metric::CpuPercent:
        return u"cpuPercent"_s;
    case Metric::Fragmentation:
        return u"fragmentation"_s;
    case Metric::ReplicationLag:
        return u"replicationLag"_s;
    case Metric::Count:
        break;
    }
    return {};
}

QString metricLabel(Metric metric)
{
    // Labels are shown in chart legends and menus, so they go through the translator; the
    // context is fixed so that lupdate finds them without a QObject.
    const char *text = nullptr;
    switch (metric) {
    case Metric::UsedMemory:
        text = QT_TRANSLATE_NOOP("qs::monitor::Metric", "Used memory");
        break;
    case Metric::RssMemory:
        text = QT_TRANSLATE_NOOP("qs::monitor::Metric", "RSS memory");
        break;
    case Metric::MaxMemory:
        text = QT_TRANSLATE_NOOP("qs::monitor::Metric", "Max memory");
        break;
    case Metric::OpsPerSec:
        text = QT_TRANSLATE_NOOP("qs::monitor::Metric", "Ops/sec");
        break;
    case Metric::ConnectedClients:
        text = QT_TRANSLATE_NOOP("qs::monitor::Metric", "Connected clients");
        break;
    case Metric::BlockedClients:
        text = QT_TRANSLATE_NOOP("qs::monitor::Metric", "Blocked clients");
        break;
    case Metric::NetInKbps:
        text = QT_TRANSLATE_NOOP("qs::monitor::Metric", "Network in");
        break;
    case Metric::NetOutKbps:
        text = QT_TRANSLATE_NOOP("qs::monitor::Metric", "Network out");
        break;
    case Metric::HitRatePercent:
        text = QT_TRANSLATE_NOOP("qs::monitor::Metric", "Hit rate");
        break;
    case Metric::EvictedPerSec:
        text = QT_TRANSLATE_NOOP("qs::monitor::Metric", "Evicted keys/sec");
        break;
    case Metric::ExpiredPerSec:
        text = QT_TRANSLATE_NOOP("qs::monitor::Metric", "Expired keys/sec");
        break;
    case Metric::CpuPercent:
        text = QT_TRANSLATE_NOOP("qs::monitor::Metric", "CPU");
        break;
    case Metric::Fragmentation:
        text = QT_TRANSLATE_NOOP("qs::monitor::Metric", "Fragmentation");
        break;
    case Metric::ReplicationLag:
        text = QT_TRANSLATE_NOOP("qs::monitor::Metric", "Replication lag");
        break;
    case Metric::Count:
        return {};
    }
    return QCoreApplication::translate("qs::monitor::Metric", text);
}

QString metricUnit(Metric metric)
{
    switch (metric) {
    case Metric::UsedMemory:
    case Metric::RssMemory:
    case Metric::MaxMemory:
        return u"B"_s;
    case Metric::OpsPerSec:
        return u"ops/s"_s;
    case Metric::NetInKbps:
    case Metric::NetOutKbps:
        return u"kbit/s"_s;
    case Metric::HitRatePercent:
    case Metric::CpuPercent:
        return u"%"_s;
    case Metric::EvictedPerSec:
    case Metric::ExpiredPerSec:
        return u"/s"_s;
    case Metric::ReplicationLag:
        return u"s"_s;
    case Metric::ConnectedClients:
    case Metric::BlockedClients:
    case Metric::Fragmentation: // a ratio
    case Metric::Count:
        break;
    }
    return {};
}

} // namespace qs::monitor
