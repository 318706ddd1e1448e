#pragma once

#include "core/result.h"
#include "queues/queueref.h"

#include <QCommandLineParser>

namespace qs::cli {

// --prefix, for the queue argument of the job and action commands.
void addQueueOptions(QCommandLineParser &parser);

// "FRAMEWORK/NAME" (bullmq/emails, rq/default, sidekiq/critical, celery/celery) with the
// framework's default key prefix, or --prefix. The name may contain '/'.
core::Result<queues::QueueRef> parseQueueSpec(const QString &spec,
                                              const QCommandLineParser &parser);

} // namespace qs::cli
