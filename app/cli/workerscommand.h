#pragma once

#include <QStringList>

namespace qs::cli {

// `queuescope workers [QUEUE] [--json]`: every framework's workers (or those of one queue),
// the jobs stuck with dead workers, and what could not be known.
int runWorkers(const QStringList &arguments);

} // namespace qs::cli
