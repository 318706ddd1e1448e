#include "preparedfeeds.h"

#include "frameworks/celery/celeryfeeds.h"
#include "frameworks/sidekiq/sidekiqfeed.h"

namespace qs::jobs {

std::unique_ptr<ItemFeed> makePreparedFeed(const ActionSupport &support,
                                           const ActionRequest &request, int limit, qint64 nowMs)
{
    const QString state = request.state.isEmpty() && !support.states.isEmpty()
                              ? support.states.first().first
                              : request.state;
    switch (support.feed) {
    case Feed::SidekiqMembers:
        return std::make_unique<SidekiqFeed>(request, support.scriptState(state),
                                             support.script == QLatin1String("sidekiq-move"), limit,
                                             nowMs);
    case Feed::CeleryResults:
        return std::make_unique<CeleryRerunFeed>(request, limit);
    case Feed::CeleryUnacked:
        return std::make_unique<CeleryRestoreFeed>(request, limit);
    case Feed::None:
    case Feed::Ids:
    case Feed::Cursor:
        break;
    }
    return {};
}

} // namespace qs::jobs
