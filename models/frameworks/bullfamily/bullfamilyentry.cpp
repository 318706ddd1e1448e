#include "bullfamilyentry.h"

#include "bullactions.h"
#include "bullconnectionname.h"
#include "bulljobsource.h"
#include "bullkeys.h"
#include "bullmetrics.h"
#include "bullworkers.h"

namespace qs::frameworks {

namespace {

template <bool BullMq> std::unique_ptr<jobs::JobSource> makeJobSource()
{
    return std::make_unique<jobs::BullJobSource>(BullMq);
}

template <bool BullMq> jobs::ActionSupport actionSupport(jobs::JobAction action)
{
    return jobs::bullFamilyActionSupport(action, BullMq);
}

template <bool BullMq>
std::unique_ptr<queues::WorkerReader> makeWorkerReader(const queues::WorkerReader::Context &context)
{
    return std::make_unique<queues::BullWorkerReader>(
        BullMq ? queues::Framework::BullMQ : queues::Framework::Bull, context);
}

} // namespace

queues::FrameworkEntry bullFamilyEntry(bool bullmq)
{
    queues::FrameworkEntry entry;
    entry.framework = bullmq ? queues::Framework::BullMQ : queues::Framework::Bull;
    entry.defaultPrefix = queues::bullkeys::kDefaultPrefix;
    entry.makeJobSource = bullmq ? &makeJobSource<true> : &makeJobSource<false>;
    entry.actionSupport = bullmq ? &actionSupport<true> : &actionSupport<false>;
    entry.readConnectionName = &queues::readBullConnectionName;
    entry.makeWorkerReader = bullmq ? &makeWorkerReader<true> : &makeWorkerReader<false>;
    entry.pastThroughputReads = &queues::bullmetrics::pastReads;
    entry.readPastThroughput = &queues::bullmetrics::readPast;
    return entry;
}

} // namespace qs::frameworks
