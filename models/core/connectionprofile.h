#pragma once

#include "core/limits.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace qs::core {

struct TlsOptions
{
    bool enabled = false;
    // Verification is on unless the operator explicitly turns it off for this profile.
    bool verifyPeer = true;
    QString caFile;     // PEM; empty = system CAs
    QString certFile;   // PEM client certificate (mutual TLS)
    QString keyFile;    // PEM private key of the client certificate
    QString serverName; // SNI and hostname to verify; empty = host

    bool operator==(const TlsOptions &) const = default;
};

// Where the sentinels of a Sentinel group are and how to talk to them. Empty addresses: the
// profile names its server directly. The sentinels' password is their own (sentinels often have
// none, or another one than the data nodes); like the data password it is held only in memory
// (the keychain keeps it under sentinelSecretName(), see sentinelurl.h) and never persisted here.
struct SentinelOptions
{
    QStringList addresses; // "host:port" ("[::1]:26379"), asked in this order
    QString masterName;    // the name the sentinels monitor the master under
    QString username;      // the sentinels' ACL user; empty = "default"
    QString password;      // the sentinels' password
    TlsOptions tls;        // how to reach the sentinels (the data nodes use `tls`)

    bool operator==(const SentinelOptions &) const = default;
};

// Everything needed to reach one Redis server. A plain value: copy it freely across threads.
// The password is held only in memory; it is never printed (see displayUrl()) or persisted here.
struct ConnectionProfile
{
    QString name;
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString unixSocket; // when set, host/port/tls are ignored
    int db = 0;
    QString username; // ACL user; empty = "default"
    QString password;
    TlsOptions tls;
    bool readOnly = false;
    QString environment; // "production", "staging", "development" or empty
    int connectTimeoutMs = limits::defaultConnectTimeoutMs;
    int commandTimeoutMs = limits::defaultCommandTimeoutMs;
    int pollIntervalMs = limits::defaultPollIntervalMs; // the window's poll interval here
    // Where to look for queues: "framework:prefix" (e.g. "bullmq:bull", "bull:{bull}",
    // "sidekiq:myapp" for a namespace, "celery:" for no global_keyprefix). Empty = every
    // framework with its default prefix.
    QStringList queueSources;
    // Set: host/port are where the master was last found; the sentinels are asked before
    // every connect (RedisTransport) and followed through a failover.
    SentinelOptions sentinel;
    // Redis Cluster nodes that announce addresses this machine cannot reach (NAT, containers):
    // "announced host:port=reachable host:port", one entry per node. Empty: used as announced.
    QStringList clusterAddressMap;

    bool usesUnixSocket() const { return !unixSocket.isEmpty(); }
    bool usesSentinel() const { return !sentinel.addresses.isEmpty(); }
    // "host:port", "[::1]:6379" or the socket path: for messages and titles.
    QString endpoint() const;
    // redis[s]://user:***@host:port/db (redis+sentinel://user:***@h1:26379,h2:26379/master/db
    // through Sentinel), never a password.
    QString displayUrl() const;

    bool operator==(const ConnectionProfile &) const = default;
};

} // namespace qs::core

Q_DECLARE_METATYPE(qs::core::ConnectionProfile)
