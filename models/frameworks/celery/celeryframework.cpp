#include "celeryframework.h"

#include "celeryactions.h"
#include "celeryadapter.h"
#include "celeryevents.h"
#include "celeryfeeds.h"
#include "celeryjobsource.h"
#include "celeryunacked.h"

namespace qs::frameworks {

queues::FrameworkEntry celeryFramework()
{
    queues::FrameworkEntry entry;
    entry.framework = queues::Framework::Celery;
    entry.label = QStringLiteral("Celery");
    entry.defaultPrefix = {}; // kombu's global_keyprefix: none by default
    entry.makeAdapter = [](const QByteArray &prefix) -> std::unique_ptr<queues::QueueAdapter> {
        return std::make_unique<queues::CeleryAdapter>(prefix);
    };
    entry.makeJobSource = []() -> std::unique_ptr<jobs::JobSource> {
        return std::make_unique<jobs::CeleryJobSource>();
    };
    entry.actionSupport = &jobs::celeryActionSupport;
    // Re-run rebuilds messages from FAILURE results; restore re-encodes unacked deliveries.
    entry.makePreparedFeed = [](const jobs::ActionSupport &, const jobs::ActionRequest &request,
                                int limit, qint64) -> std::unique_ptr<jobs::ItemFeed> {
        switch (request.action) {
        case jobs::JobAction::Retry:
            return std::make_unique<jobs::CeleryRerunFeed>(request, limit);
        case jobs::JobAction::Restore:
            return std::make_unique<jobs::CeleryRestoreFeed>(request, limit);
        default:
            return {};
        }
    };
    // Workers: no registry in Redis, only heartbeats on the event fanout (PSUBSCRIBE, read-only);
    // the reader reads only the unacked deliveries, stuck when the events say no worker lives.
    entry.makeWorkerReader =
        [](const queues::WorkerReader::Context &context) -> std::unique_ptr<queues::WorkerReader> {
        return std::make_unique<queues::CeleryUnackedReader>(context);
    };
    entry.workerEvents = queues::WorkerEventStream{&queues::celeryevents::channelPattern,
                                                   &queues::celeryevents::parseMessage};
    return entry;
}

} // namespace qs::frameworks
