#pragma once

#include "actioncatalog.h"
#include "queues/itemfeed.h"

#include <memory>

namespace qs::jobs {

// Feeds whose items are read from Redis and edited client-side before each call (Sidekiq's
// zset members, Celery's results and unacked deliveries). nullptr when `support.feed` is not
// one of those.
std::unique_ptr<ItemFeed> makePreparedFeed(const ActionSupport &support,
                                           const ActionRequest &request, int limit, qint64 nowMs);

} // namespace qs::jobs
