#pragma once

#include "queues/queuedetails.h"
#include "queues/queueref.h"
#include "redis/redisreply.h"

#include <optional>

// Sidekiq's own history of its throughput: per UTC day, `stat:processed:YYYY-MM-DD` and
// `stat:failed:YYYY-MM-DD` (strings, INCRBY by each process's heartbeat; 5 years of TTL in 8.x,
// 180 days in older versions), for all its queues together. Processed counts failed jobs too.
namespace qs::queues::sidekiqstats {

// Days read for the backfill: today and the 89 before (the history's 1-minute tier keeps 90).
inline constexpr int kBackfillDays = 90;

// The backfill reads of an installation (none for a queue): one MGET of the processed counters
// and one of the failed counters of the last kBackfillDays days, oldest first.
QList<redis::RedisCommand> pastReads(const QueueRef &owner, qint64 nowMs);
// Completed (processed - failed) and failed per day; days without counters are left out
// (nothing ran, or their keys expired), today is always there (0 before the first job).
std::optional<PastThroughput> readPast(const QueueRef &owner,
                                       const QList<redis::RedisReply> &replies, qint64 nowMs);

} // namespace qs::queues::sidekiqstats
