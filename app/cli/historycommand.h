#pragma once

#include <QStringList>

namespace qs::cli {

// `queuescope history --series SERIES --since AGE [--step AGE] [--json|--csv]` (or `--list`):
// a server's recorded history, read from its database without touching Redis.
int runHistory(const QStringList &arguments);

} // namespace qs::cli
