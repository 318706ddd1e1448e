#pragma once

#include "queues/queuedetails.h"
#include "queues/queueref.h"
#include "redis/redisreply.h"

#include <QList>

#include <optional>

// BullMQ's and Bull's own throughput metrics (kept when a Worker, BullMQ, or a Queue, Bull,
// enables `metrics`). Each finished job runs collectMetrics in the finishing script:
//   hash `<prefix>:<queue>:metrics:<completed|failed>` {count, prevTS, prevCount}
//   list `...:data`, one point per minute, newest first, zero-filled, trimmed to maxDataPoints.
// `count` grows by one per job. When a job finishes in a later minute than prevTS, the jobs
// since the last flush (count before this job - prevCount) are pushed as the point of prevTS's
// minute, followed by a 0 for every minute between, and prevTS/prevCount move to this job. So
// the newest point is the minute before prevTS's, and the jobs of prevTS's minute so far are
// count - prevCount: every minute is exact once a later one has begun.
namespace qs::queues::bullmetrics {

struct MetricsHash
{
    qint64 count = 0;
    qint64 prevTsMs = 0;
    qint64 prevCount = 0;
};

// The hash from `HMGET <key> count prevTS prevCount`; nullopt when metrics were never kept
// (every field nil) or the reply is not three numbers.
std::optional<MetricsHash> readHash(const redis::RedisReply &reply);

// The last whole minute before `nowMs`: from the newest data point (nullopt: the list is empty)
// when prevTS is in the current minute, else from the counters.
MinuteCount lastWholeMinute(const MetricsHash &hash, std::optional<qint64> newestPoint,
                            qint64 nowMs);

// Every whole minute (before nowMs's minute) that the hash and the data list (`data`, newest
// first, as LRANGE returns it) tell, oldest first.
QList<MinuteCount> wholeMinutes(const MetricsHash &hash, const QList<qint64> &data, qint64 nowMs);

} // namespace qs::queues::bullmetrics

namespace qs::queues::bullmetrics {

// At most this many points of each data list are read for the backfill: a week at one per
// minute (BullMQ's MetricsTime.ONE_WEEK), ~70 KB per list.
inline constexpr int kBackfillPoints = 10'080;

// The backfill reads of a queue (none for an installation): the completed and failed hashes and
// data lists. 4 commands, once per queue and hour at the most.
QList<redis::RedisCommand> pastReads(const QueueRef &owner, qint64 nowMs);
std::optional<PastThroughput> readPast(const QueueRef &owner,
                                       const QList<redis::RedisReply> &replies, qint64 nowMs);

} // namespace qs::queues::bullmetrics
