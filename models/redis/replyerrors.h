#pragma once

#include "rediserror.h"
#include "redisreply.h"

namespace qs::redis {

// Turns an error reply to `command` into a typed error with a message an operator can act on:
// NOPERM names the command and the ACL user, an unknown command says it may be renamed or
// disabled, LOADING and BUSY say what the server is doing. Returns Kind::None for non-errors.
RedisError errorFromReply(const RedisReply &reply, const RedisCommand &command,
                          const QString &user);

} // namespace qs::redis
