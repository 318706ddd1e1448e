#pragma once

#include "queues/actionsupport.h"

namespace qs::jobs {

// BullMQ's and Bull's action catalog: both share their verbs; only the scripts (bullmq-*,
// bull-*) and a few states differ.
ActionSupport bullFamilyActionSupport(JobAction action, bool bullmq);

} // namespace qs::jobs
