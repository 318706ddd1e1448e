#pragma once

#include "queues/frameworkentry.h"

namespace qs::frameworks {

// RQ 1.x: its entry in the registry.
queues::FrameworkEntry rqFramework();

} // namespace qs::frameworks
