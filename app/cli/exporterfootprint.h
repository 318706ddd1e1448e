#pragma once

#include "targetoptions.h"
#include "webconfig.h"

#include <QList>

namespace qs::cli {

// What the exporter does to stay small at fleet scale (50 servers x 200 queues in about 60 MB;
// see docs/performance.md). Each is measured there.

// Before any thread starts: at most two malloc arenas (an operator's MALLOC_ARENA_MAX wins).
void limitMallocArenas();

// Once per poll interval: the free pages inside the allocator's heaps go back to the system.
void releaseFreePages();

// Before any socket or the HTTP server exists: when nothing the exporter talks to uses TLS (no
// rediss:// server or sentinel, no tls_server_config), Qt finds no TLS plugin, so neither its
// TLS backend nor OpenSSL is loaded (4-5 MB of RSS). Plain sockets work without them. When
// something uses TLS, everything is left as it is.
void leaveTlsUnloadedWhenUnused(const QList<Target> &targets, const WebConfig &config);

} // namespace qs::cli
