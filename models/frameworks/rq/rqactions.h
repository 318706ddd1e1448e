#pragma once

#include "queues/actionsupport.h"

namespace qs::jobs {

// RQ's action catalog: its own words (Requeue, Delete, Empty) for the actions it has.
ActionSupport rqActionSupport(JobAction action);

} // namespace qs::jobs
