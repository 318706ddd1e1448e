#pragma once

#include <QStringList>

namespace qs::cli {

// `queuescope check [target] [--json]`: health of one server. Returns the process exit code.
int runCheck(const QStringList &arguments);

} // namespace qs::cli
