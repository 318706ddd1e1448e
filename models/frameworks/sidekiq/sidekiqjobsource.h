#pragma once

#include "queues/jobsource.h"

namespace qs::jobs {

// Sidekiq 6 (OSS): jobs are JSON payloads stored as list elements (queue:<name>) and as
// sorted-set members (schedule, retry, dead: one set each for the whole server). The payload
// itself is the job: a page needs no second round trip, and actions need its exact bytes.
class SidekiqJobSource final : public JobSource
{
public:
    QS_JOB_SOURCE_OVERRIDES
    void applyScore(JobSummary &job, const StateStore &store, double score) const override;

    // Fills a summary from a payload (jid, class, queue, times, error); false when the payload
    // is not a JSON object.
    static bool readPayload(JobSummary &job, const QByteArray &payload);
};

} // namespace qs::jobs
