#pragma once

#include <QStringList>

namespace qs::cli {

// `queuescope alerts [target] [--json] [--limit N] [--ack ID] [--snooze RULE[@QUEUE] --for AGE]`:
// the alert events stored for a server (docs/alerts.md), newest first; acknowledges one or
// snoozes a rule. Reads and writes the server's history database only; sends nothing to Redis.
int runAlerts(const QStringList &arguments);

} // namespace qs::cli
