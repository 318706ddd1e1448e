#pragma once

#include <QStringList>

namespace qs::cli {

// `queuescope record [--profile NAME ... | --all] [--duration AGE] [--flush-every AGE]`: polls
// each server at its profile's interval and records its history until stopped (SIGINT/SIGTERM:
// what is pending is written first).
int runRecord(const QStringList &arguments);

} // namespace qs::cli
