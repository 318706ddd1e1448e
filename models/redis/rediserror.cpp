#include "rediserror.h"

namespace qs::redis {

bool RedisError::isPermanent() const
{
    switch (kind) {
    case Kind::Tls:
    case Kind::TlsRequired:
    case Kind::AuthRequired:
    case Kind::AuthFailed:
    case Kind::NoPermission:
    case Kind::NotRedis:
    case Kind::SentinelAuthFailed:
    case Kind::SentinelUnknownMaster:
        return true;
    default:
        return false;
    }
}

QString RedisError::code() const
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("none");
    case Kind::UnknownHost:
        return QStringLiteral("unknown-host");
    case Kind::ConnectionRefused:
        return QStringLiteral("connection-refused");
    case Kind::ConnectTimeout:
        return QStringLiteral("connect-timeout");
    case Kind::CommandTimeout:
        return QStringLiteral("command-timeout");
    case Kind::Tls:
        return QStringLiteral("tls");
    case Kind::TlsRequired:
        return QStringLiteral("tls-required");
    case Kind::AuthRequired:
        return QStringLiteral("auth-required");
    case Kind::AuthFailed:
        return QStringLiteral("auth-failed");
    case Kind::NoPermission:
        return QStringLiteral("no-permission");
    case Kind::NotRedis:
        return QStringLiteral("not-redis");
    case Kind::Loading:
        return QStringLiteral("loading");
    case Kind::Busy:
        return QStringLiteral("busy");
    case Kind::UnknownCommand:
        return QStringLiteral("unknown-command");
    case Kind::ReadOnlyRefused:
        return QStringLiteral("read-only");
    case Kind::ReadOnlyReplica:
        return QStringLiteral("read-only-replica");
    case Kind::ConnectionLost:
        return QStringLiteral("connection-lost");
    case Kind::NotConnected:
        return QStringLiteral("not-connected");
    case Kind::BadDatabase:
        return QStringLiteral("bad-database");
    case Kind::ReplyTooLarge:
        return QStringLiteral("reply-too-large");
    case Kind::BadReply:
        return QStringLiteral("bad-reply");
    case Kind::Server:
        return QStringLiteral("server-error");
    case Kind::SentinelUnreachable:
        return QStringLiteral("sentinel-unreachable");
    case Kind::SentinelUnknownMaster:
        return QStringLiteral("sentinel-unknown-master");
    case Kind::SentinelAuthFailed:
        return QStringLiteral("sentinel-auth-failed");
    case Kind::NotMaster:
        return QStringLiteral("not-master");
    }
    return QStringLiteral("unknown");
}

} // namespace qs::redis
