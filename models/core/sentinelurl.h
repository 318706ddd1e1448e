#pragma once

#include "connectionprofile.h"
#include "hostport.h"
#include "redisurl.h"
#include "result.h"

#include <optional>
#include <utility>

namespace qs::core {

// The port a sentinel listens on when an address names none.
constexpr quint16 defaultSentinelPort = 26379;

// redis+sentinel://, rediss+sentinel:// and Celery's sentinel:// (compared without case).
bool isSentinelScheme(const QString &scheme);

// Parses the two ways a Sentinel group is written:
//   redis+sentinel://[user:password@]host1:26379,host2:26379/<master>[/db][?opts]
//   rediss+sentinel://...               (TLS to the sentinels and to the data nodes)
//   sentinel://[:password@]h1:26379;sentinel://h2:26379[/db][?opts]   (Celery / kombu)
// The user name and password are the data nodes'. Besides redis://'s options the query takes
// master_name (Celery keeps it in its transport options), sentinel_username and
// sentinel_password (the sentinels' own, when they have one) and sentinel_tls=true|false (TLS to
// the sentinels other than to the data nodes). A missing master name is not an error here (it
// may come from --sentinel-master or the profile): sentinelProblem() says so before connecting.
Result<ConnectionProfile> parseSentinelUrl(const QString &url);

// The redis+sentinel:// URL of a profile that uses Sentinel; with Secret::Redacted every
// password shows as "***".
QString toSentinelUrl(const ConnectionProfile &profile, Secret secret);

// "redis+sentinel://user:***@h1:26379,h2:26379/master/db" for titles: no options.
QString sentinelDisplayUrl(const ConnectionProfile &profile);

// Why a profile that uses Sentinel cannot be connected as it is (no master name, an address
// that is not host:port), or an empty string.
QString sentinelProblem(const ConnectionProfile &profile);

// "host:port", "[v6]:port" or "host" (defaultSentinelPort): the host and port, or an error.
Result<std::pair<QString, quint16>> parseSentinelAddress(const QString &address);

// The profile that reaches the sentinel at `address`: its own user, password and TLS, no
// database, the profile's timeouts.
ConnectionProfile sentinelNodeProfile(const ConnectionProfile &profile, const QString &address);

// The keychain entry (SecretStore::read/write name) that holds a profile's sentinel password.
QString sentinelSecretName(const QString &profileName);

} // namespace qs::core
