#pragma once

#include <QStringList>

namespace qs::cli {

// `queuescope queues [target] [--json]`: every discovered queue with its counts.
int runQueues(const QStringList &arguments);
// `queuescope watch [target] [--interval S] [--count N]`: one JSON line per poll.
int runWatch(const QStringList &arguments);

} // namespace qs::cli
