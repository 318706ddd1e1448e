#include "bullfamilyentry.h"

#include "bullactions.h"
#include "bullconnectionname.h"
#include "bulljobsource.h"
#include "bullkeys.h"

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

} // namespace

queues::FrameworkEntry bullFamilyEntry(bool bullmq)
{
    queues::FrameworkEntry entry;
    entry.framework = bullmq ? queues::Framework::BullMQ : queues::Framework::Bull;
    entry.defaultPrefix = queues::bullkeys::kDefaultPrefix;
    entry.makeJobSource = bullmq ? &makeJobSource<true> : &makeJobSource<false>;
    entry.actionSupport = bullmq ? &actionSupport<true> : &actionSupport<false>;
    entry.readConnectionName = &queues::readBullConnectionName;
    return entry;
}

} // namespace qs::frameworks
