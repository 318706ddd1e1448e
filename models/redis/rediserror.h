#pragma once

#include <QMetaType>
#include <QString>

namespace qs::redis {

// A typed, operator-readable error. `message` never contains a secret.
struct RedisError
{
    enum class Kind {
        None,
        UnknownHost,
        ConnectionRefused,
        ConnectTimeout,
        CommandTimeout,
        Tls,
        TlsRequired,     // plain client talking to a TLS-only port
        AuthRequired,    // NOAUTH: the server wants a password we did not send
        AuthFailed,      // WRONGPASS / invalid username-password pair
        NoPermission,    // ACL NOPERM
        NotRedis,        // protocol error: something else answers on that port
        Loading,         // dataset still loading
        Busy,            // a script is running
        UnknownCommand,  // renamed or disabled on the server
        ReadOnlyRefused, // refused by this client: the profile is read-only
        ReadOnlyReplica, // READONLY: a write sent to a replica (or a master demoted by a failover)
        ConnectionLost,  // dropped while the command was in flight
        NotConnected,    // connection closed by the caller / given up
        BadDatabase,     // SELECT failed: no such database
        ReplyTooLarge,   // a reply over QueueScope's limits (replylimits.h): refused, reset
        BadReply,        // a connected server sent bytes that are not RESP: reset
        Server,          // any other error reply
        // Sentinel (sentinelfollower.h): no sentinel could be asked (each one's reason in the
        // message), none knows the master's name, a sentinel refused its own password, or the
        // server a sentinel named is (no longer) the master.
        SentinelUnreachable,
        SentinelUnknownMaster,
        SentinelAuthFailed,
        NotMaster,
    };

    Kind kind = Kind::None;
    QString message;

    bool isNone() const { return kind == Kind::None; }
    // Errors after which retrying the same connection cannot help (bad credentials, TLS trust).
    bool isPermanent() const;
    // A short stable identifier for JSON output and logs ("auth-failed", "tls", ...).
    QString code() const;
};

} // namespace qs::redis

Q_DECLARE_METATYPE(qs::redis::RedisError)
