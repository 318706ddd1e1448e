#pragma once

#include "queues/frameworkentry.h"

namespace qs::frameworks {

// Sidekiq 6 and 7 (OSS): its entry in the registry.
queues::FrameworkEntry sidekiqFramework();

} // namespace qs::frameworks
