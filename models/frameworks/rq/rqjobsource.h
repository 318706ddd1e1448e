#pragma once

#include "queues/jobsource.h"

namespace qs::jobs {

// RQ 1.x: a job is the hash rq:job:<id>; the queue is a list, the other states are registries
// (sorted sets; started/finished/failed are scored by expiry time). Job arguments are a
// zlib-compressed pickle, which QueueScope never unpickles (that would run code).
class RqJobSource final : public JobSource
{
public:
    QS_JOB_SOURCE_OVERRIDES
    void applyScore(JobSummary &job, const StateStore &store, double score) const override;
};

} // namespace qs::jobs
