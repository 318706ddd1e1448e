#pragma once

#include "queueadapter.h"

#include <QStringList>

#include <memory>
#include <optional>

namespace qs::queues {

// The adapter that counts `queue` (its framework with the queue's key prefix).
std::unique_ptr<QueueAdapter> makeAdapter(const QueueRef &queue);

// A profile's queue source, "framework:prefix" ("bullmq:bull", "bull:{app}", "sidekiq:myapp",
// "celery:" = no key prefix, "rq"): the framework and prefix as a QueueRef without a name.
// nullopt and `error` when the framework is unknown.
std::optional<QueueRef> parseQueueSource(const QString &text, QString *error);
// One adapter per source; every framework with its default prefix when `sources` is empty.
// Sources that do not parse are skipped and named in `errors`.
QList<std::shared_ptr<const QueueAdapter>> adaptersFor(const QStringList &sources,
                                                       QStringList *errors = nullptr);

} // namespace qs::queues
