#pragma once

#include "queues/actionrequest.h"

#include <QStringList>

namespace qs::cli {

// queuescope retry|promote|remove|clean|pause|resume|drain|restore [target] QUEUE ...
// Without --yes it only says what it would touch (and exits 4); with --yes it runs the action
// in bounded batches, writes the audit log and prints a summary.
int runAction(jobs::JobAction action, const QStringList &arguments);

} // namespace qs::cli
