#pragma once

#include "queues/actionsupport.h"

namespace qs::jobs {

// RQ's action catalog: its own words (Requeue, Delete, Empty) for the actions it has; Restore is
// "Move to failed" of the started jobs whose worker is gone (RQ's StartedJobRegistry cleanup).
ActionSupport rqActionSupport(JobAction action);

} // namespace qs::jobs
