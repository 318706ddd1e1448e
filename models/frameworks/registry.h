#pragma once

#include "queues/frameworkentry.h"

#include <QStringList>

#include <memory>
#include <optional>

// The one place that lists the frameworks (registry.cpp) and what the rest of the program asks
// of them: nothing outside models/frameworks/ names a framework's adapter, job source, action
// catalog or feeds, and nothing switches on queues::Framework.
namespace qs::frameworks {

// Every framework, in the order of queues::Framework (the order of tables and menus).
const QList<queues::FrameworkEntry> &all();
const queues::FrameworkEntry &entry(queues::Framework framework);

QString label(queues::Framework framework);            // "BullMQ"
QByteArray defaultPrefix(queues::Framework framework); // "bull", "rq"; "" = none
// "bullmq, bull, celery, rq or sidekiq": for the messages that name the known frameworks.
QString knownNames();

// The adapter that counts `queue` (its framework with the queue's key prefix).
std::unique_ptr<queues::QueueAdapter> makeAdapter(const queues::QueueRef &queue);
// A profile's queue source, "framework:prefix" ("bullmq:bull", "bull:{app}", "sidekiq:myapp",
// "celery:" = no key prefix, "rq"; the framework's default prefix without ':'): the framework
// and prefix as a QueueRef without a name. nullopt and `error` when the framework is unknown.
std::optional<queues::QueueRef> parseQueueSource(const QString &text, QString *error);
// One adapter per source; every framework with its default prefix when `sources` is empty.
// Sources that do not parse are skipped and named in `errors`.
QList<std::shared_ptr<const queues::QueueAdapter>> adaptersFor(const QStringList &sources,
                                                               QStringList *errors = nullptr);

// The framework installations (framework + prefix, no queue name) that `sources` name, as
// adaptersFor() reads them: every framework at its default prefix when `sources` is empty.
QList<queues::QueueRef> installationsFor(const QStringList &sources);
// A reader of the framework's workers for one scan; nullptr when its workers are not read from
// keys (Celery: from its events).
std::unique_ptr<queues::WorkerReader>
makeWorkerReader(queues::Framework framework, const queues::WorkerReader::Context &context);

// What the framework recorded of its own throughput (FrameworkEntry::pastThroughputReads):
// the reads for a queue or an installation (owner.name empty), empty when it keeps none; and
// what their replies say, nullopt when nothing.
QList<redis::RedisCommand> pastThroughputReads(const queues::QueueRef &owner, qint64 nowMs);
std::optional<queues::PastThroughput> readPastThroughput(const queues::QueueRef &owner,
                                                         const QList<redis::RedisReply> &replies,
                                                         qint64 nowMs);

std::unique_ptr<jobs::JobSource> makeJobSource(queues::Framework framework);
// The native states a job page can be asked for, in display order.
QStringList stateNames(const queues::QueueRef &queue);

jobs::ActionSupport actionSupport(queues::Framework framework, jobs::JobAction action);
// Every action a framework supports, in menu order.
QList<jobs::JobAction> supportedActions(queues::Framework framework);
// The items of a jobs::Feed::Prepared action; nullptr for any other feed.
std::unique_ptr<jobs::ItemFeed> makePreparedFeed(const jobs::ActionSupport &support,
                                                 const jobs::ActionRequest &request, int limit,
                                                 qint64 nowMs);

// What a client's connection name says when a framework's client set it; nullopt for others.
std::optional<queues::ConnectionName> readConnectionName(const QString &name);

} // namespace qs::frameworks
