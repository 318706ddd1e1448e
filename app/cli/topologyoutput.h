#pragma once

#include "redis/topology.h"

#include <QJsonObject>
#include <QString>

namespace qs::cli {

// `check --json`'s "topology": {"mode", "nodes": [{"address", "role", "state", "slots",
// "usedMemory", ...}], and for a cluster "clusterState" and "slotsCovered", for Sentinel
// "sentinelMaster"}. Unknown values are null.
QJsonObject topologyToJson(const redis::Topology &topology);

// `check`'s "Topology" line: the mode and what it is made of ("cluster, 6 nodes (3 masters, 3
// replicas), state ok, 16384/16384 slots"; "master with 1 replica: 10.0.0.2:6379 (lag 0 B, 0 s)").
// A replica says whose and that it is read-only. Empty for a lone standalone server.
QString topologyLine(const redis::Topology &topology);

} // namespace qs::cli
