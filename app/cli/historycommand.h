#pragma once

#include <QStringList>

namespace qs::cli {

// `queuescope history --series SERIES --since AGE [--step AGE] [--json|--csv]` (or `--list`):
// a server's recorded history, read from its database without touching Redis.
int runHistory(const QStringList &arguments);

// `queuescope record [--duration AGE]`: polls a server at its profile's interval and records
// its history until stopped (SIGINT/SIGTERM: what is pending is written first).
int runRecord(const QStringList &arguments);

} // namespace qs::cli
