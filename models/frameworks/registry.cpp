#include "registry.h"

#include "bull/bullframework.h"
#include "bullmq/bullmqframework.h"
#include "celery/celeryframework.h"
#include "rq/rqframework.h"
#include "sidekiq/sidekiqframework.h"

#include <cstdlib>

namespace qs::frameworks {

using queues::Framework;
using queues::FrameworkEntry;
using queues::QueueAdapter;
using queues::QueueRef;

const QList<FrameworkEntry> &all()
{
    // The list of frameworks: one entry each, from its folder.
    static const QList<FrameworkEntry> entries = {
        bullmqFramework(), bullFramework(), celeryFramework(), rqFramework(), sidekiqFramework(),
    };
    return entries;
}

const FrameworkEntry &entry(Framework framework)
{
    for (const FrameworkEntry &candidate : all()) {
        if (candidate.framework == framework)
            return candidate;
    }
    qFatal("frameworks::entry: no registry entry for framework %d", int(framework));
    std::abort();
}

QString label(Framework framework)
{
    return entry(framework).label;
}

QByteArray defaultPrefix(Framework framework)
{
    return entry(framework).defaultPrefix;
}

QString knownNames()
{
    QStringList names;
    for (const FrameworkEntry &candidate : all())
        names.append(queues::frameworkName(candidate.framework));
    const QString last = names.takeLast();
    return names.join(QStringLiteral(", ")) + QStringLiteral(" or ") + last;
}

std::unique_ptr<QueueAdapter> makeAdapter(const QueueRef &queue)
{
    return entry(queue.framework).makeAdapter(queue.prefix);
}

std::optional<QueueRef> parseQueueSource(const QString &text, QString *error)
{
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    const QString name = (colon < 0 ? text : text.left(colon)).trimmed();
    const std::optional<Framework> framework = queues::frameworkFromName(name);
    if (!framework) {
        *error = QStringLiteral("unknown framework '%1' in queue source '%2' (%3)")
                     .arg(name, text, knownNames());
        return std::nullopt;
    }
    const FrameworkEntry &found = entry(*framework);
    QueueRef ref;
    ref.framework = *framework;
    ref.prefix = colon >= 0 && !found.fixedPrefix ? text.mid(colon + 1).trimmed().toUtf8()
                                                  : found.defaultPrefix;
    return ref;
}

QList<std::shared_ptr<const QueueAdapter>> adaptersFor(const QStringList &sources,
                                                       QStringList *errors)
{
    QList<std::shared_ptr<const QueueAdapter>> adapters;
    if (sources.isEmpty()) {
        for (const FrameworkEntry &candidate : all())
            adapters.append(candidate.makeAdapter(candidate.defaultPrefix));
        return adapters;
    }
    for (const QString &source : sources) {
        QString error;
        if (const std::optional<QueueRef> ref = parseQueueSource(source, &error))
            adapters.append(makeAdapter(*ref));
        else if (errors)
            errors->append(error);
    }
    return adapters;
}

QList<QueueRef> installationsFor(const QStringList &sources)
{
    QList<QueueRef> installations;
    if (sources.isEmpty()) {
        for (const FrameworkEntry &candidate : all())
            installations.append({candidate.framework, candidate.defaultPrefix, {}});
        return installations;
    }
    for (const QString &source : sources) {
        QString error;
        const std::optional<QueueRef> ref = parseQueueSource(source, &error);
        if (ref && !installations.contains(*ref))
            installations.append(*ref);
    }
    return installations;
}

std::unique_ptr<queues::WorkerReader> makeWorkerReader(Framework framework,
                                                       const queues::WorkerReader::Context &context)
{
    const FrameworkEntry &owner = entry(framework);
    return owner.makeWorkerReader ? owner.makeWorkerReader(context) : nullptr;
}

QList<redis::RedisCommand> pastThroughputReads(const QueueRef &owner, qint64 nowMs)
{
    const auto reads = entry(owner.framework).pastThroughputReads;
    return reads ? reads(owner, nowMs) : QList<redis::RedisCommand>{};
}

std::optional<queues::PastThroughput>
readPastThroughput(const QueueRef &owner, const QList<redis::RedisReply> &replies, qint64 nowMs)
{
    const auto read = entry(owner.framework).readPastThroughput;
    return read ? read(owner, replies, nowMs) : std::nullopt;
}

std::unique_ptr<jobs::JobSource> makeJobSource(Framework framework)
{
    return entry(framework).makeJobSource();
}

QStringList stateNames(const QueueRef &queue)
{
    return makeJobSource(queue.framework)->stateNames(queue);
}

jobs::ActionSupport actionSupport(Framework framework, jobs::JobAction action)
{
    return entry(framework).actionSupport(action);
}

QList<jobs::JobAction> supportedActions(Framework framework)
{
    QList<jobs::JobAction> actions;
    for (jobs::JobAction action : jobs::allActions) {
        if (actionSupport(framework, action).supported)
            actions.append(action);
    }
    return actions;
}

std::unique_ptr<jobs::ItemFeed> makePreparedFeed(const jobs::ActionSupport &support,
                                                 const jobs::ActionRequest &request, int limit,
                                                 qint64 nowMs)
{
    const FrameworkEntry &owner = entry(request.queue.framework);
    if (support.feed != jobs::Feed::Prepared || !owner.makePreparedFeed)
        return {};
    return owner.makePreparedFeed(support, request, limit, nowMs);
}

std::optional<queues::ConnectionName> readConnectionName(const QString &name)
{
    for (const FrameworkEntry &candidate : all()) {
        if (!candidate.readConnectionName)
            continue;
        if (std::optional<queues::ConnectionName> read = candidate.readConnectionName(name))
            return read;
    }
    return std::nullopt;
}

} // namespace qs::frameworks
