#pragma once

#include "connectionprofile.h"
#include "result.h"

namespace qs::core {

// Parses redis://[user[:password]@]host[:port][/db][?opts], rediss://..., unix:///path?db=N,
// redis+unix:// and a bare "host:port". Errors say exactly what is wrong and never echo the
// password. Query options understood: db, ssl_cert_reqs=none (skip verify), tls_ca / tls_cert /
// tls_key, sni, timeout (connect, seconds). Sentinel URLs (redis+sentinel://, Celery's
// sentinel://) are read by parseSentinelUrl (sentinelurl.h).
Result<ConnectionProfile> parseRedisUrl(const QString &url);

enum class Secret { Redacted, Included };
// The URL of a profile; with Secret::Redacted the password shows as "***".
QString toRedisUrl(const ConnectionProfile &profile, Secret secret = Secret::Redacted);

} // namespace qs::core
