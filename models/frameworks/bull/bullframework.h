#pragma once

#include "queues/frameworkentry.h"

namespace qs::frameworks {

// Bull 4 (and 3): its entry in the registry.
queues::FrameworkEntry bullFramework();

} // namespace qs::frameworks
