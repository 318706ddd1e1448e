#pragma once

#include "redis/topology.h"

#include <QJsonObject>

namespace qs::cli {

// `check --json`'s "topology": {"mode", "nodes": [{"address", "role", "state", "slots",
// "usedMemory", ...}], and for a cluster "clusterState" and "slotsCovered", for Sentinel
// "sentinelMaster"}. Unknown values are null.
QJsonObject topologyToJson(const redis::Topology &topology);

} // namespace qs::cli
