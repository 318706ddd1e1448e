#pragma once

#include "result.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace qs::core {

// Redis Cluster nodes that announce an address this machine cannot reach (NAT, containers):
// "ANNOUNCED_HOST:PORT=REACHABLE_HOST:PORT" entries (ConnectionProfile::clusterAddressMap, the
// command line's --cluster-map, the profile editor). Parsed into announced -> reachable, both
// written as hostPortText ("[v6]:port"), or the first entry that is wrong and why: an entry
// without '=', an address without a port, an announced address mapped twice.
Result<QHash<QString, QString>> parseClusterAddressMap(const QStringList &entries);

} // namespace qs::core
