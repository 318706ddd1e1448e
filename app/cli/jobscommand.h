#pragma once

#include <QStringList>

namespace qs::cli {

// queuescope jobs [target] QUEUE STATE [--limit N] [--offset N] [--cursor C] [--json]
int runJobs(const QStringList &arguments);
// queuescope job [target] QUEUE ID [--json]
int runJob(const QStringList &arguments);

} // namespace qs::cli
