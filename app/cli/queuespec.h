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
// The queue as a user writes it: "bullmq/emails", with " --prefix P" when its prefix is not
// the framework's default.
QString queueSpec(const queues::QueueRef &queue);

} // namespace qs::cli
