#pragma once

#include "rediserror.h"
#include "redisreply.h"

#include <QMetaType>

namespace qs::redis {

enum class ConnectionState { Disconnected, Connecting, Connected, Reconnecting, Failed };

// What a status bar shows: "connected", "reconnecting in 2 s: connection refused", ...
struct ConnectionStatus
{
    ConnectionState state = ConnectionState::Disconnected;
    RedisError error;      // why the last attempt failed (kept while reconnecting)
    int reconnectInMs = 0; // when Reconnecting
    int attempt = 0;       // consecutive failed attempts
    QString tls;           // when connected over TLS: protocol, cipher, the server's certificate
    // Through Sentinel: the master this connection reached ("host:port") and how many times it
    // followed the master to another address since open() (a failover; charts mark it).
    QString sentinelMaster;
    int failovers = 0;
    bool cluster = false; // when connected: the server is a Redis Cluster node

    QString describe() const;
};

QString stateName(ConnectionState state);

// The outcome of one pipeline: either a transport-level error (nothing or not everything came
// back) or one reply per command, in order. Per-command failures are error replies in `replies`.
struct PipelineResult
{
    RedisError error;
    QList<RedisReply> replies;
    qint64 bytesSent = 0;
    qint64 bytesReceived = 0;
    qint64 elapsedUs = 0; // from the write to the last reply
    int roundTrips = 1;   // a Redis Cluster: one sub-pipeline per node (and per retry)

    bool ok() const { return error.isNone(); }
};

} // namespace qs::redis

Q_DECLARE_METATYPE(qs::redis::ConnectionStatus)
Q_DECLARE_METATYPE(qs::redis::PipelineResult)
