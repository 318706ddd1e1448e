#pragma once

#include "monitor/healthreport.h"

#include <QString>

namespace qs::cli {

// The human-readable `check` output: one aligned line per signal an operator looks at.
QString healthToText(const monitor::HealthReport &report, double latencyMs,
                     const QString &serverUrl);

QString formatDuration(qint64 seconds); // "3 d 4 h", "12 min", "45 s"

} // namespace qs::cli
