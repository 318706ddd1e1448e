#include "transporterrors.h"

#include <QAbstractSocket>
#include <QLocalSocket>

namespace qs::redis {

namespace {

using Kind = RedisError::Kind;
using Phase = TransportPhase;

RedisError describeDropDuringHandshake(const core::ConnectionProfile &profile, Phase phase,
                                       bool receivedAny, const QString &socketError)
{
    const QString endpoint = profile.endpoint();
    if (receivedAny)
        return lostError(endpoint, 0, socketError);
    if (phase == Phase::RedisHandshake && !profile.tls.enabled && !profile.usesUnixSocket())
        return {Kind::TlsRequired,
                QStringLiteral("%1 closed the connection without answering the Redis handshake: "
                               "if it requires TLS, use rediss:// (%2)")
                    .arg(endpoint, socketError)};
    if (phase == Phase::RedisHandshake && profile.tls.enabled)
        return {Kind::Tls,
                QStringLiteral("%1 closed the TLS connection before answering: it probably "
                               "requires a client certificate (mutual TLS) that was not sent or "
                               "not accepted (%2)")
                    .arg(endpoint, socketError)};
    return lostError(endpoint, 0, socketError);
}

} // namespace

RedisError lostError(const QString &endpoint, qsizetype inflight, const QString &why)
{
    if (inflight == 0)
        return {Kind::ConnectionLost,
                QStringLiteral("connection to %1 lost (%2)").arg(endpoint, why)};
    return {Kind::ConnectionLost,
            QStringLiteral("connection to %1 lost (%2) with %3 request(s) in flight; they may or "
                           "may not have run")
                .arg(endpoint, why, QString::number(inflight))};
}

RedisError describeSocketError(const core::ConnectionProfile &profile, TransportPhase phase,
                               bool receivedAny, qsizetype inflight, const QString &description,
                               int qtError)
{
    const QString endpoint = profile.endpoint();
    if (qtError == QAbstractSocket::HostNotFoundError)
        return {Kind::UnknownHost,
                QStringLiteral("unknown host '%1': the name does not resolve (check the host "
                               "name, DNS or VPN)")
                    .arg(profile.host)};
    if (qtError == QAbstractSocket::ConnectionRefusedError ||
        qtError == 1000 + QLocalSocket::ConnectionRefusedError)
        return {Kind::ConnectionRefused,
                QStringLiteral("connection refused by %1: nothing listens there (is "
                               "redis-server running, and on this port?)")
                    .arg(endpoint)};
    if (qtError == 1000 + QLocalSocket::ServerNotFoundError)
        return {Kind::ConnectionRefused,
                QStringLiteral("no Redis socket at %1 (is redis-server running with "
                               "unixsocket set?)")
                    .arg(endpoint)};
    if (qtError == 1000 + QLocalSocket::SocketAccessError)
        return {Kind::ConnectionRefused,
                QStringLiteral("permission denied on the socket %1").arg(endpoint)};
    if (qtError == QAbstractSocket::SslHandshakeFailedError ||
        qtError == QAbstractSocket::SslInternalError ||
        qtError == QAbstractSocket::SslInvalidUserDataError)
        return {Kind::Tls, QStringLiteral("TLS handshake with %1 failed (%2): does the server "
                                          "speak TLS? For a plain server use redis://")
                               .arg(endpoint, description)};
    if (phase != Phase::Ready)
        return describeDropDuringHandshake(profile, phase, receivedAny, description);
    return lostError(endpoint, inflight, description);
}

RedisError describeConnectTimeout(const core::ConnectionProfile &profile, TransportPhase phase)
{
    const double seconds = profile.connectTimeoutMs / 1000.0;
    QString hint;
    switch (phase) {
    case Phase::TcpConnecting:
        hint = QStringLiteral("the host did not accept a connection (unreachable or firewalled?)");
        break;
    case Phase::TlsHandshake:
        hint = QStringLiteral("the TLS handshake did not complete: is it a TLS port? For a plain "
                              "server use redis://");
        break;
    default:
        hint = profile.tls.enabled
                   ? QStringLiteral("nothing answered the Redis handshake: is this a Redis server?")
                   : QStringLiteral("nothing answered the Redis handshake: is this a Redis server? "
                                    "A TLS-only port stays silent to plain text (try rediss://)");
    }
    return {Kind::ConnectTimeout, QStringLiteral("no answer from %1 within %2 s: %3")
                                      .arg(profile.endpoint(), QString::number(seconds), hint)};
}

} // namespace qs::redis
