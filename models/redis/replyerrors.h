#pragma once

#include "rediserror.h"
#include "redisreply.h"

namespace qs::redis {

// Turns an error reply to `command` into a typed error with a message an operator can act on:
// NOPERM names the command and the ACL user, an unknown command says it may be renamed or
// disabled, LOADING and BUSY say what the server is doing, READONLY that it is a replica.
// Returns Kind::None for non-errors.
RedisError errorFromReply(const RedisReply &reply, const RedisCommand &command,
                          const QString &user);

// A write refused by a replica (READONLY), `what` naming the command or script.
RedisError readOnlyReplicaError(const QString &what);

} // namespace qs::redis
