#pragma once

#include "queues/actionsupport.h"

namespace qs::jobs {

// Sidekiq's action catalog (OSS): its sets are edited member by member (Feed::Prepared).
ActionSupport sidekiqActionSupport(JobAction action);

} // namespace qs::jobs
