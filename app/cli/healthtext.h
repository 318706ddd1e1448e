#pragma once

#include "monitor/healthreport.h"

#include <QString>

namespace qs::cli {

// The human-readable `check` output: one aligned line per signal an operator looks at.
QString healthToText(const monitor::HealthReport &report, double latencyMs,
                     const QString &serverUrl);

// "3 d 4 h", "12 min", "45 s"; "unknown" for nullopt.
QString formatDuration(std::optional<qint64> seconds);

} // namespace qs::cli
