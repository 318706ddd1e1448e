#include "adapterfactory.h"

#include "bulladapter.h"
#include "bullmqadapter.h"
#include "celeryadapter.h"
#include "rqadapter.h"
#include "sidekiqadapter.h"

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

} // namespace qs::queues
