#pragma once

#include "redis/topology.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace qs::monitor {

// Something that changed in the topology between two polls and that an operator wants marked on
// the charts and in the log: a failover (a replica promoted, a Sentinel master moved, this server
// demoted or promoted) or a cluster node failing or coming back.
struct TopologyChange
{
    qint64 atMs = 0; // the poll that saw it
    QString summary; // one sentence: "failover: 10.0.0.2:6379 is master now (was 10.0.0.1:6379)"
    bool failover = false; // a master changed (the others: a node failed or recovered)
    bool operator==(const TopologyChange &) const = default;
};

// What `after` changed compared with `before` (both from successful polls of one session). A
// first topology (before empty) or a change of mode reports nothing: nothing failed over.
QList<TopologyChange> compareTopologies(const redis::Topology &before, const redis::Topology &after,
                                        qint64 atMs);

} // namespace qs::monitor

Q_DECLARE_METATYPE(qs::monitor::TopologyChange)
