#include "adapterfactory.h"

#include "frameworks/bull/bulladapter.h"
#include "frameworks/bullmq/bullmqadapter.h"
#include "frameworks/celery/celeryadapter.h"
#include "frameworks/rq/rqadapter.h"
#include "frameworks/sidekiq/sidekiqadapter.h"

namespace qs::queues {

std::unique_ptr<QueueAdapter> makeAdapter(const QueueRef &queue)
{
    switch (queue.framework) {
    case Framework::BullMQ:
        return std::make_unique<BullMqAdapter>(queue.prefix);
    case Framework::Bull:
        return std::make_unique<BullAdapter>(queue.prefix);
    case Framework::Celery:
        return std::make_unique<CeleryAdapter>(queue.prefix);
    case Framework::RQ:
        return std::make_unique<RqAdapter>();
    case Framework::Sidekiq:
        return std::make_unique<SidekiqAdapter>(queue.prefix);
    }
    return {};
}

std::optional<QueueRef> parseQueueSource(const QString &text, QString *error)
{
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    const QString name = (colon < 0 ? text : text.left(colon)).trimmed();
    const std::optional<Framework> framework = frameworkFromName(name);
    if (!framework) {
        *error = QStringLiteral("unknown framework '%1' in queue source '%2' (bullmq, bull, "
                                "celery, rq or sidekiq)")
                     .arg(name, text);
        return std::nullopt;
    }
    QueueRef ref;
    ref.framework = *framework;
    if (colon >= 0)
        ref.prefix = text.mid(colon + 1).trimmed().toUtf8();
    else if (*framework == Framework::BullMQ || *framework == Framework::Bull)
        ref.prefix = "bull";
    if (*framework == Framework::RQ)
        ref.prefix = "rq"; // fixed by RQ
    return ref;
}

QList<std::shared_ptr<const QueueAdapter>> adaptersFor(const QStringList &sources,
                                                       QStringList *errors)
{
    QList<std::shared_ptr<const QueueAdapter>> adapters;
    const QStringList wanted =
        sources.isEmpty() ? QStringList{QStringLiteral("bullmq:bull"), QStringLiteral("bull:bull"),
                                        QStringLiteral("celery:"), QStringLiteral("rq"),
                                        QStringLiteral("sidekiq:")}
                          : sources;
    for (const QString &source : wanted) {
        QString error;
        if (const std::optional<QueueRef> ref = parseQueueSource(source, &error))
            adapters.append(std::shared_ptr<const QueueAdapter>(makeAdapter(*ref)));
        else if (errors)
            errors->append(error);
    }
    return adapters;
}

} // namespace qs::queues
