#pragma once

#include "queues/actionsupport.h"

namespace qs::jobs {

// Celery's action catalog: re-run failures from their results, purge, restore unacked.
ActionSupport celeryActionSupport(JobAction action);

} // namespace qs::jobs
