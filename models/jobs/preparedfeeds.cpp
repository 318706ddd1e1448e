#include "preparedfeeds.h"

namespace qs::jobs {

std::unique_ptr<ItemFeed> makePreparedFeed(const ActionSupport &support,
                                           const ActionRequest &request, int limit, qint64 nowMs)
{
    Q_UNUSED(support);
    Q_UNUSED(request);
    Q_UNUSED(limit);
    Q_UNUSED(nowMs);
    return {};
}

} // namespace qs::jobs
