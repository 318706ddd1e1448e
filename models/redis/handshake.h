#pragma once

#include "core/connectionprofile.h"
#include "rediserror.h"
#include "redisreply.h"

namespace qs::redis {

// What a new connection sends before it is usable: AUTH, SELECT, CLIENT SETNAME, PING.
QList<RedisCommand> handshakeCommands(const core::ConnectionProfile &profile,
                                      const QString &clientName);

// Why the handshake's replies make the connection unusable, or Kind::None when it is ready.
// The first failing command decides (a wrong password makes the later ones NOAUTH too); a
// NOAUTH means a password is missing, whatever the command was (SELECT of db 3 answers NOAUTH
// before it looks at db 3).
RedisError handshakeError(const core::ConnectionProfile &profile,
                          const QList<RedisCommand> &commands, const QList<RedisReply> &replies);

} // namespace qs::redis
