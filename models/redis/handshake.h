#pragma once

#include "core/connectionprofile.h"
#include "rediserror.h"
#include "redisreply.h"

namespace qs::redis {

// What a new connection sends before it is usable: AUTH, SELECT, CLIENT SETNAME, CLUSTER MYID
// (is it a cluster node?), PING, and ROLE when the server must be a master (one a sentinel
// named: its answer may be stale).
QList<RedisCommand> handshakeCommands(const core::ConnectionProfile &profile,
                                      const QString &clientName, bool expectMaster = false);

// Why the handshake's replies make the connection unusable, or Kind::None when it is ready.
// The first failing command decides (a wrong password makes the later ones NOAUTH too); a
// NOAUTH means a password is missing, whatever the command was (SELECT of db 3 answers NOAUTH
// before it looks at db 3). A ROLE that is not "master" is Kind::NotMaster.
RedisError handshakeError(const core::ConnectionProfile &profile,
                          const QList<RedisCommand> &commands, const QList<RedisReply> &replies);

// Whether the server answered the handshake's CLUSTER MYID: a Redis Cluster node.
bool handshakeFoundCluster(const QList<RedisCommand> &commands, const QList<RedisReply> &replies);

} // namespace qs::redis
