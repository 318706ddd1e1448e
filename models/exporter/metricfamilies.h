#pragma once

#include "exposition.h"

#include <QList>

namespace qs::exporter {

// Every family a scrape can hold, in the order it is written. The server's own families keep
// redis_exporter's names where the meaning is the same (so its dashboards and alerts work on
// them); queue families are QueueScope's one scheme for all five frameworks.
enum class Family {
    RedisUp,
    QueuescopeUp,
    PollDuration,
    PollCommands,
    PollRoundTrips,
    PollTimestamp,
    InstanceInfo,
    DbKeys,
    DbKeysExpiring,
    QueueJobs,
    QueuePaused,
    QueueOldestWaiting,
    QueueWorkers,
    JobsCompleted,
    JobsFailed,
    CompletedPerMinute,
    FailedPerMinute,
    InstallationJobs,
    InstallationPaused,
    InstallationWorkers,
    FixedCount, // the INFO fields of infoMetrics() follow, in that order
};

// An INFO field served as it is, under redis_exporter's name for it.
struct InfoMetric
{
    const char *field; // "used_memory"
    MetricFamily family;
};
const QList<InfoMetric> &infoMetrics();

int familyCount(); // FixedCount + infoMetrics().size()
const MetricFamily &familyAt(int index);
inline int indexOf(Family family)
{
    return int(family);
}

} // namespace qs::exporter
