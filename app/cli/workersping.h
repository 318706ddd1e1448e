#pragma once

#include "targetoptions.h"

#include <QCommandLineParser>

namespace qs::cli {

// `queuescope workers --ping [--ping-timeout MS] --yes`: Celery's "ping workers" through the
// pidbox (a write, as `celery inspect ping`). Refused (exit 4) on a read-only profile, and
// without --yes it only says what it would send; both refusals are audit-logged like actions.
// Lists each worker that answered with its round trip, then the workers heard on the event
// stream that did not answer. Exit 0 when every worker reached answered, 1 when a known live
// worker stayed silent or the ping failed after the broadcast, 3 unreachable.
void addPingOptions(QCommandLineParser &parser);
bool pingRequested(const QCommandLineParser &parser);
int runWorkersPing(const QCommandLineParser &parser, const Target &target);

} // namespace qs::cli
