#pragma once

#include <QEventLoop>

#include <optional>

namespace qs::cli {

// Runs `loop` until SIGINT or SIGTERM (or `durationMs`), for the commands that run until stopped
// (`record`, `exporter`); the previous handlers are back afterwards.
void runUntilStopped(QEventLoop &loop, const std::optional<qint64> &durationMs = std::nullopt);

} // namespace qs::cli
