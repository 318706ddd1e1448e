#pragma once

#include "queues/jobsource.h"

namespace qs::jobs {

// BullMQ (bullmq = true) and Bull 4: a job is the hash <prefix>:<queue>:<id>; states are lists
// and sorted sets of ids beside it.
class BullJobSource final : public JobSource
{
public:
    explicit BullJobSource(bool bullmq);

    QS_JOB_SOURCE_OVERRIDES
    void applyScore(JobSummary &job, const StateStore &store, double score) const override;

private:
    bool m_bullmq;
};

} // namespace qs::jobs
