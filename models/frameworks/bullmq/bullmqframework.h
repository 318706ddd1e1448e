#pragma once

#include "queues/frameworkentry.h"

namespace qs::frameworks {

// BullMQ (v1 to v6): its entry in the registry.
queues::FrameworkEntry bullmqFramework();

} // namespace qs::frameworks
