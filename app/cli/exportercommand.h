#pragma once

#include <QStringList>

namespace qs::cli {

// `queuescope exporter --listen 127.0.0.1:9810 [--profile NAME ... | --all | --url URL]
// [--interval AGE] [--web-config FILE]`: serves every watched server's latest poll to
// Prometheus until SIGINT/SIGTERM (docs/prometheus.md).
int runExporter(const QStringList &arguments);

} // namespace qs::cli
