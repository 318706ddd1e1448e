#pragma once

#include "queues/frameworkentry.h"

namespace qs::frameworks {

// Celery 5 on the Redis transport: its entry in the registry.
queues::FrameworkEntry celeryFramework();

} // namespace qs::frameworks
