#include "sidekiqframework.h"

#include "sidekiqactions.h"
#include "sidekiqadapter.h"
#include "sidekiqfeed.h"
#include "sidekiqjobsource.h"
#include "sidekiqstats.h"
#include "sidekiqworkers.h"

namespace qs::frameworks {

queues::FrameworkEntry sidekiqFramework()
{
    queues::FrameworkEntry entry;
    entry.framework = queues::Framework::Sidekiq;
    entry.label = QStringLiteral("Sidekiq");
    entry.defaultPrefix = {}; // redis-namespace: none by default
    entry.makeAdapter = [](const QByteArray &prefix) -> std::unique_ptr<queues::QueueAdapter> {
        return std::make_unique<queues::SidekiqAdapter>(prefix);
    };
    entry.makeJobSource = []() -> std::unique_ptr<jobs::JobSource> {
        return std::make_unique<jobs::SidekiqJobSource>();
    };
    entry.actionSupport = &jobs::sidekiqActionSupport;
    // The exact zset members of the state acted on (its default when none is named), edited
    // client-side: sidekiq-move pushes them back to their queue.
    entry.makePreparedFeed = [](const jobs::ActionSupport &support,
                                const jobs::ActionRequest &request, int limit,
                                qint64 nowMs) -> std::unique_ptr<jobs::ItemFeed> {
        const QString state = request.state.isEmpty() && !support.states.isEmpty()
                                  ? support.states.first().first
                                  : request.state;
        return std::make_unique<jobs::SidekiqFeed>(request, support.scriptState(state),
                                                   support.script == QLatin1String("sidekiq-move"),
                                                   limit, nowMs);
    };
    entry.makeWorkerReader =
        [](const queues::WorkerReader::Context &context) -> std::unique_ptr<queues::WorkerReader> {
        return std::make_unique<queues::SidekiqWorkerReader>(context);
    };
    entry.pastThroughputReads = &queues::sidekiqstats::pastReads;
    entry.readPastThroughput = &queues::sidekiqstats::readPast;
    return entry;
}

} // namespace qs::frameworks
