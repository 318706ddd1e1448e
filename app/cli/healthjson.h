#pragma once

#include "monitor/healthreport.h"

#include <QJsonObject>

namespace qs::cli {

// The `check --json` document: a superset of the health format operators already use
// ({"status","connected","version","memoryUsage":{"used","total","percentUsed"},"queueStats"}).
QJsonObject healthToJson(const monitor::HealthReport &report, double latencyMs);

} // namespace qs::cli
