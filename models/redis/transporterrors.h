#pragma once

#include "core/connectionprofile.h"
#include "rediserror.h"

namespace qs::redis {

// Where a connection attempt is (RedisTransport's phases), for messages that say what failed.
enum class TransportPhase { Idle, TcpConnecting, TlsHandshake, RedisHandshake, Ready };

RedisError lostError(const QString &endpoint, qsizetype inflight, const QString &why);

// A socket error (QAbstractSocket::SocketError, or 1000 + QLocalSocket::LocalSocketError) as an
// error the operator can act on: unknown host, refused, TLS, a TLS-only port, a lost connection.
RedisError describeSocketError(const core::ConnectionProfile &profile, TransportPhase phase,
                               bool receivedAny, qsizetype inflight, const QString &description,
                               int qtError);

// The connect timeout, with a hint for the phase it expired in.
RedisError describeConnectTimeout(const core::ConnectionProfile &profile, TransportPhase phase);

} // namespace qs::redis
