#pragma once

#include "queues/frameworkentry.h"

namespace qs::frameworks {

// What BullMQ's and Bull's registry entries share: the framework id, the default prefix, the job
// source, the action catalog and the connection names. Each adds its label and adapter.
queues::FrameworkEntry bullFamilyEntry(bool bullmq);

} // namespace qs::frameworks
